"""`helpwanted import_contacts EMAIL FILE [--format …] [--json]`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from helpwanted.network.models import Person
from tests.processes import database_url

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
ROOT = Path(__file__).resolve().parent.parent.parent


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_contacts", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_prints_exactly_one_object_with_the_documented_keys(alice):
    out = run("alice@example.org", str(FIXTURES / "broken_unclosed_quote.csv"), "--json")
    report = json.loads(out)  # fails if anything but one JSON document is printed
    assert list(report) == [
        "format", "encoding", "created", "updated", "unchanged", "skipped", "errors",
        "possible_duplicates",
    ]  # fmt: skip
    assert (report["format"], report["encoding"], report["created"], report["skipped"]) == (
        "linkedin",
        "utf-8",
        3,
        1,
    )
    assert [list(error) for error in report["errors"]] == [["line", "reason"]]
    assert report["errors"][0]["line"] == 3
    assert Person.objects.filter(owner=alice).count() == 3


@pytest.mark.django_db
def test_a_second_run_changes_nothing(alice):
    path = str(FIXTURES / "contacts_v3.vcf")
    run("alice@example.org", path, "--json")
    again = json.loads(run("ALICE@example.org", path, "--format", "vcard", "--json"))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)


@pytest.mark.django_db
def test_without_json_it_prints_a_readable_summary_with_the_skipped_lines(alice):
    out = run("alice@example.org", str(FIXTURES / "linkedin_connections.csv"))
    assert out.splitlines() == [
        "Imported linkedin_connections.csv (linkedin, read as utf-8): 19 new, 0 updated, "
        "0 unchanged, 1 skipped.",
        "  Line 17: No name on this row.",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "path", "fmt", "message"),
    [
        ("nobody@example.org", "linkedin_connections.csv", "auto", "No account uses the email"),
        ("alice@example.org", "missing.csv", "auto", "Can't read"),
        ("alice@example.org", "empty.csv", "auto", "This file is empty."),
        ("alice@example.org", "broken_no_header.csv", "auto", "We don't recognise this file."),
        ("alice@example.org", "linkedin_connections.csv", "google", "doesn't look like"),
    ],
)
def test_a_bad_request_is_a_command_error_with_exit_code_2(alice, email, path, fmt, message):
    with pytest.raises(CommandError) as error:
        run(email, str(FIXTURES / path), "--format", fmt)
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert not Person.objects.filter(owner=alice).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("nobody@example.org", "linkedin_connections.csv"),
        ("alice@example.org", "missing.csv"),
        ("alice@example.org", "broken_no_header.csv"),
    ],
)
def test_the_real_command_exits_2_with_one_line_on_stderr(alice, email, path):
    env = {**os.environ, "DATABASE_URL": database_url()}
    finished = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "helpwanted", "import_contacts", email, str(FIXTURES / path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 2
    assert finished.stdout == ""
    assert len(finished.stderr.strip().splitlines()) == 1
    assert "Traceback" not in finished.stderr


# Issue 10: only a regular file, read in chunks up to the upload limit; --json errors are JSON.


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "contacts.csv"
    os.mkfifo(path)
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/dev/zero", "is a device"),
        ("folder", "is a folder"),
        ("fifo", "is a pipe"),
    ],
)
def test_it_refuses_anything_but_a_regular_file_before_reading_it(
    alice, tmp_path, request, target, message
):
    path = {"/dev/zero": Path("/dev/zero"), "folder": tmp_path}.get(
        target
    ) or request.getfixturevalue("fifo")
    with pytest.raises(CommandError) as error:
        run("alice@example.org", str(path))
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert "exported .csv or .vcf file" in str(error.value)
    assert not Person.objects.filter(owner=alice).exists()


@pytest.mark.django_db
def test_it_refuses_a_file_over_the_upload_limit_without_reading_past_it(
    alice, tmp_path, monkeypatch
):
    from helpwanted.network.management.commands import import_contacts
    from helpwanted.network.parsing import MAX_FILE_BYTES

    big = tmp_path / "Connections.csv"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk needed
    seen: list[int] = []
    real_read = import_contacts.os.fdopen

    def counting_fdopen(*args, **kwargs):
        handle = real_read(*args, **kwargs)
        original = handle.read

        def read(size=-1):
            assert size != -1, "the command must never read without a limit"
            data = original(size)
            seen.append(len(data))
            return data

        handle.read = read
        return handle

    monkeypatch.setattr(import_contacts.os, "fdopen", counting_fdopen)
    with pytest.raises(CommandError) as error:
        run("alice@example.org", str(big))
    assert error.value.returncode == 2
    assert "larger than 20 MB" in str(error.value)
    assert sum(seen) == MAX_FILE_BYTES + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "target", "message"),
    [
        ("alice@example.org", "/dev/zero", "is a device"),
        ("alice@example.org", "folder", "is a folder"),
        ("alice@example.org", "missing.csv", "Can't read"),
        ("alice@example.org", "broken_no_header.csv", "We don't recognise this file."),
        ("nobody@example.org", "linkedin_connections.csv", "No account uses the email"),
    ],
)
def test_with_json_every_error_is_one_json_object_and_exit_code_2(
    alice, tmp_path, email, target, message
):
    path = {"/dev/zero": "/dev/zero", "folder": str(tmp_path)}.get(target, str(FIXTURES / target))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_contacts", email, path, "--json", stdout=out)
    assert exit_.value.code == 2
    payload = json.loads(out.getvalue())
    assert list(payload) == ["error"]
    assert message in payload["error"]


@pytest.mark.django_db
def test_the_email_is_matched_in_any_case(alice):
    out = run("ALICE@Example.org", str(FIXTURES / "linkedin_connections.csv"), "--json")
    assert json.loads(out)["created"] > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_the_real_command_refuses_dev_zero_and_a_fifo_at_once(alice, fifo, json_flag):
    env = {**os.environ, "DATABASE_URL": database_url()}
    for path in ("/dev/zero", str(fifo)):
        finished = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "helpwanted", "import_contacts", alice.email, path, *json_flag],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert finished.returncode == 2
        assert "Traceback" not in finished.stderr
        if json_flag:
            assert finished.stderr == ""
            assert "error" in json.loads(finished.stdout)
        else:
            assert finished.stdout == ""
            assert len(finished.stderr.strip().splitlines()) == 1
