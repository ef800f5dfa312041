"""Backup and restore of the whole database: `helpwanted backup PATH`, `helpwanted restore PATH`.

SQLite: `VACUUM INTO` writes a consistent copy while others keep writing (it reads one
snapshot), and `PRAGMA integrity_check` checks the copy. A restore checks the file the same way,
then copies it over the database file (stop the app and the worker first).
PostgreSQL: `pg_dump -Fc` and `pg_restore --clean --if-exists` with the DATABASE_URL's parts
(the client tools must be installed; PGPASSWORD is passed in the environment, never argv).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection, connections


class BackupError(Exception):
    pass


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def integrity(path: Path) -> str:
    """'ok', or what SQLite found wrong with the file at `path`."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            rows = db.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows)


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args + ["-d", str(db["NAME"])]


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools).")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def backup(path: Path) -> None:
    path = path.resolve()
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(path)])
        found = integrity(path)
        if found != "ok":
            raise BackupError(f"The copy failed its integrity check: {found}")
        return
    env, args = _pg_env_and_args()
    _run(["pg_dump", "-Fc", "--no-owner", "-f", str(path), *args], env)


def restore(path: Path) -> None:
    path = path.resolve()
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    if is_sqlite():
        found = integrity(path)
        if found != "ok":
            raise BackupError(f"{path} failed its integrity check: {found}")
        target = Path(str(connection.settings_dict["NAME"]))
        connections.close_all()
        for suffix in ("-wal", "-shm"):  # the old journal belongs to the old file
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        partial = target.with_name(target.name + ".restoring")
        shutil.copyfile(path, partial)
        partial.replace(target)
        return
    env, args = _pg_env_and_args()
    connections.close_all()
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", *args, str(path)],
        env,
    )


def row_counts() -> dict[str, int]:
    """Rows per table, for every model table in the database."""
    counts = {}
    tables = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in tables and table not in counts:
            counts[table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))
