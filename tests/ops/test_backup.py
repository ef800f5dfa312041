"""`helpwanted backup` under concurrent writes, and `helpwanted restore` into a fresh database."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from helpwanted.accounts.models import User
from helpwanted.network.models import Person
from helpwanted.ops.backups import BackupError, integrity, restore
from tests.processes import ROOT, database_url

pytestmark = pytest.mark.django_db(transaction=True)


def _writer(owner_id: int, stop: threading.Event, written: list[int]) -> None:
    """Add people one transaction at a time until told to stop (its own connection)."""
    try:
        n = 0
        while not stop.is_set():
            Person.objects.create(owner_id=owner_id, name=f"Writer {n}", name_key=f"writer {n}")
            written.append(n)
            n += 1
    finally:
        connections.close_all()


def _counts_in(url: str, tmp_path: Path, backup: Path) -> str:
    """Restore `backup` into the database at `url` in a fresh process; return its output."""
    env = {**os.environ, "DATABASE_URL": url, "HELPWANTED_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "helpwanted", "restore", str(backup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _restore_target(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    import psycopg

    base = database_url()
    name = "helpwanted_restore_test"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + f"/{name}"


def _names_in(url: str) -> list[str]:
    sql = "SELECT name FROM network_person"
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return [row[0] for row in db.execute(sql)]
    import psycopg

    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute(sql)]


def test_it_backs_up_while_someone_writes_and_restores_a_consistent_copy(tmp_path):
    alice = User.objects.create_user("alice@example.org", "correct horse battery")
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(alice.pk, stop, written))
    writer.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        backup = tmp_path / "backup.db"
        call_command("backup", str(backup))
        at_backup = len(written)
        while len(written) < at_backup + 20:  # keeps writing after the copy
            time.sleep(0.01)
    finally:
        stop.set()
        writer.join()
    if connection.vendor == "sqlite":
        assert integrity(backup) == "ok"
    target = _restore_target(tmp_path)
    output = _counts_in(target, tmp_path, backup)
    restored = int(output.split("network_person: ")[1].split()[0])
    assert sorted(_names_in(target)) == sorted(f"Writer {n}" for n in range(restored))
    # A snapshot: every person written before the copy began, none of those written after it
    # ended, and the people in it numbered 0..n-1 with no gap (no half-applied transaction).
    assert 20 <= restored <= at_backup + 1
    assert restored < Person.objects.count()
    assert "accounts_user: 1\n" in output
    if connection.vendor != "sqlite":
        import psycopg

        with psycopg.connect(database_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{target.rsplit("/", 1)[1]}" WITH (FORCE)')


def test_it_refuses_a_damaged_sqlite_backup(tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the integrity check of a copy is SQLite's")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(BackupError, match="integrity"):
        restore(damaged)


def test_it_never_overwrites_an_existing_backup(tmp_path):
    existing = tmp_path / "kept.db"
    existing.write_text("precious")
    with pytest.raises(Exception, match="already exists"):
        call_command("backup", str(existing))
    assert existing.read_text() == "precious"
