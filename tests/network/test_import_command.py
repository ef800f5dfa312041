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
        "format", "encoding", "created", "updated", "unchanged", "skipped", "errors"
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
