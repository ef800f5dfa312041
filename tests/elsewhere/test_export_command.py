"""helpwanted export_data EMAIL --format json|csv|vcard [-o FILE]"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command, load_command_class

from helpwanted.elsewhere.exports import export_csv
from helpwanted.network.companies import company_key
from helpwanted.network.models import Person
from helpwanted.network.parsing import parse_vcards

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice, charlie) -> None:
    for owner, name, company in [
        (alice, "Ada Lovelace", "Analytical Engines"),
        (alice, "=cmd|' /C calc'!A0", "+Evil Corp"),
        (charlie, "Charlie's friend", "Initech"),
    ]:
        Person.objects.create(
            owner=owner, name=name, company=company, company_key=company_key(company)
        )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("export_data", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_json_export_to_stdout(people):
    data = json.loads(run("alice@example.org", "--format", "json"))

    assert sorted(p["name"] for p in data["people"]) == ["=cmd|' /C calc'!A0", "Ada Lovelace"]


def test_json_is_the_default_format_and_the_email_is_case_insensitive(people):
    data = json.loads(run("ALICE@Example.org"))

    assert len(data["people"]) == 2


def test_it_writes_a_csv_file_with_o_and_says_so(people, alice, tmp_path):
    target = tmp_path / "people.csv"

    out = run("alice@example.org", "--format", "csv", "-o", str(target))

    assert f"to {target}" in out
    assert target.read_bytes().decode("utf-8") == export_csv(alice)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    header, *people = rows
    assert header[0] == "Name"
    assert sorted((row[0], row[3]) for row in people) == [
        ("'=cmd|' /C calc'!A0", "'+Evil Corp"),
        ("Ada Lovelace", "Analytical Engines"),
    ]


def test_it_prints_a_vcard_that_re_imports_to_the_same_people(people):
    contacts, errors = parse_vcards(run("alice@example.org", "--format", "vcard"))

    assert errors == []
    assert sorted((c.name, c.company) for c in contacts) == [
        ("=cmd|' /C calc'!A0", "+Evil Corp"),
        ("Ada Lovelace", "Analytical Engines"),
    ]


def test_an_unknown_email_is_a_one_line_error_with_exit_code_2(people):
    with pytest.raises(CommandError) as raised:
        run("nobody@example.org")

    assert str(raised.value) == "There's no account for nobody@example.org."
    assert raised.value.returncode == 2


def test_the_command_line_exits_with_status_2_for_an_unknown_email(people, capsys):
    command = load_command_class("helpwanted.elsewhere", "export_data")

    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["helpwanted", "export_data", "nobody@example.org"])

    assert exited.value.code == 2
    assert (
        capsys.readouterr().err.strip()
        == "CommandError: There's no account for nobody@example.org."
    )


def test_an_unknown_format_is_refused(people):
    with pytest.raises(CommandError, match="invalid choice"):
        run("alice@example.org", "--format", "xlsx")


def test_an_unwritable_output_path_is_a_clear_error(people, tmp_path):
    with pytest.raises(CommandError, match="Couldn't write") as raised:
        run("alice@example.org", "-o", str(tmp_path / "missing" / "dir" / "out.json"))

    assert raised.value.returncode == 2
