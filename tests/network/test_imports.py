"""The import actions: merging contacts files into a seeker's people."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpwanted.network.companies import company_key
from helpwanted.network.imports import (
    FAILURE_MESSAGE,
    ImportReport,
    import_file,
    import_job_run,
    person_import,
)
from helpwanted.network.models import ImportJob, Person
from helpwanted.network.parsing import ImportFileError, normalise_name, parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
MESSAGES_HEADER = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER"
)

pytestmark = pytest.mark.django_db


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def linkedin(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


def run(owner, data: bytes, filename: str = "Connections.csv", **kwargs) -> ImportReport:
    return import_file(owner=owner, data=data, filename=filename, **kwargs)


def counts(report: ImportReport) -> tuple[int, int, int, int]:
    return report.created, report.updated, report.unchanged, report.skipped


def person(owner, name: str) -> Person:
    return Person.objects.get(owner=owner, name=name)


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("linkedin_connections.csv", "linkedin", (19, 0, 0, 1)),
        ("linkedin_connections_cp1252.csv", "linkedin", (3, 0, 0, 0)),
        ("linkedin_connections_windows1252.csv", "linkedin", (1, 0, 0, 0)),
        ("google_contacts.csv", "google", (5, 0, 0, 1)),
        ("google_contacts_legacy.csv", "google", (2, 0, 0, 0)),
        ("contacts_v3.vcf", "vcard", (3, 0, 0, 1)),
        ("contacts_v4.vcf", "vcard", (2, 0, 0, 0)),
        ("broken_unclosed_quote.csv", "linkedin", (3, 0, 0, 1)),
        ("broken_no_end.vcf", "vcard", (2, 0, 0, 2)),
        ("broken_bad_base64.vcf", "vcard", (2, 0, 0, 1)),
    ],
)
def test_the_held_out_files_import_with_the_right_counts_and_change_nothing_the_second_time(
    alice, name, fmt, expected
):
    first = run(alice, fixture(name), name)
    assert (first.format, counts(first)) == (fmt, expected)
    assert Person.objects.filter(owner=alice).count() == expected[0]
    assert len(first.errors) == expected[3]

    again = run(alice, fixture(name), name)
    assert counts(again) == (0, 0, expected[0], expected[3])
    assert Person.objects.filter(owner=alice).count() == expected[0]


def test_it_reports_every_skipped_row_with_its_line_and_reason(alice):
    report = run(alice, fixture("broken_no_end.vcf"), "contacts.vcf")
    assert [(e.line, e.reason) for e in report.errors] == [
        (6, "This card has no END:VCARD line."),
        (14, "This card has no END:VCARD line."),
    ]


def test_it_stores_what_the_file_says_with_the_source_and_matching_keys(alice):
    run(alice, fixture("linkedin_connections.csv"))
    jane = Person.objects.get(owner=alice, linkedin_url="https://www.linkedin.com/in/jane-doe-123")
    assert (jane.name, jane.emails, jane.company, jane.position) == (
        "Jane Doe",
        ["jane.doe@example.com"],
        "Acme Inc.",
        "Senior Engineer",
    )
    assert jane.connected_on.isoformat() == "2024-03-12"
    assert jane.sources == ["linkedin"]
    assert jane.relationship == "acquaintance"
    assert (jane.name_key, jane.company_key, jane.email_key) == (
        "jane doe",
        "acme",
        "jane.doe@example.com",
    )
    expected = Person(name=jane.name, company=jane.company, emails=jane.emails)
    expected.refresh_keys()
    assert (jane.name_key, jane.company_key, jane.email_key) == (
        expected.name_key,
        expected.company_key,
        expected.email_key,
    )


def test_every_imported_person_has_the_keys_refresh_keys_would_give(alice):
    run(alice, fixture("linkedin_connections.csv"))
    run(alice, fixture("google_contacts.csv"), "contacts.csv")
    for p in Person.objects.filter(owner=alice):
        keys = (p.name_key, p.company_key, p.email_key)
        p.refresh_keys()
        assert keys == (p.name_key, p.company_key, p.email_key), p.name


def test_people_from_google_or_a_vcard_are_not_assumed_to_be_acquaintances(alice):
    run(alice, fixture("contacts_v4.vcf"), "contacts.vcf")
    assert set(Person.objects.filter(owner=alice).values_list("relationship", flat=True)) == {
        "other"
    }


def test_it_keeps_only_what_fits_in_a_field_and_stays_idempotent(alice):
    long_company = "Acme " + "x" * 5000
    data = linkedin(f"Jane,Doe,https://www.linkedin.com/in/jane,,{long_company},Engineer,")
    assert counts(run(alice, data)) == (1, 0, 0, 0)
    assert len(person(alice, "Jane Doe").company) == 200
    assert counts(run(alice, data)) == (0, 0, 1, 0)


# --------------------------------------------------------------------------- merging


def test_it_matches_on_the_linkedin_url_first_even_when_the_name_changed(alice):
    run(alice, linkedin("Jane,Doe,https://www.linkedin.com/in/jane,,Acme,Engineer,"))
    report = run(
        alice, linkedin("Jane,Smith,https://uk.linkedin.com/in/Jane/?trk=x,,Acme,Engineer,")
    )
    assert counts(report) == (0, 1, 0, 0)
    jane = Person.objects.get(owner=alice)
    assert (jane.name, jane.name_key) == ("Jane Smith", "jane smith")


def test_it_matches_on_any_email_ignoring_case_when_there_is_no_url_match(alice):
    Person.objects.create(
        owner=alice, name="Jane D", emails=["old@example.org", "Jane@Example.org"]
    )
    report = run(alice, linkedin("Jane,Doe,https://www.linkedin.com/in/jane,JANE@example.org,,,"))
    assert counts(report) == (0, 1, 0, 0)
    jane = Person.objects.get(owner=alice)
    assert jane.linkedin_url == "https://www.linkedin.com/in/jane"
    assert jane.emails == ["old@example.org", "Jane@Example.org"]


def test_it_matches_on_name_and_company_last_with_loose_company_names(alice):
    Person.objects.create(
        owner=alice, name="José García", company="ACME Corporation",
        name_key=normalise_name("José García"), company_key=company_key("ACME Corporation"),
    )  # fmt: skip
    report = run(alice, linkedin("Jose,Garcia,https://www.linkedin.com/in/jg,,Acme Inc.,CTO,"))
    assert counts(report) == (0, 1, 0, 0)
    assert Person.objects.get(owner=alice).position == "CTO"


def test_the_url_wins_over_an_email_that_points_at_someone_else(alice):
    run(alice, linkedin("Jane,Doe,https://www.linkedin.com/in/jane,,,,"))
    Person.objects.create(owner=alice, name="Other", emails=["shared@example.org"])
    report = run(alice, linkedin("Jane,Doe,https://www.linkedin.com/in/jane,shared@example.org,,,"))
    assert counts(report) == (0, 1, 0, 0)
    assert person(alice, "Jane Doe").emails == ["shared@example.org"]
    assert person(alice, "Other").emails == ["shared@example.org"]


def test_two_people_with_one_name_at_one_company_but_different_profiles_stay_two(alice):
    report = run(
        alice,
        linkedin(
            "Sam,Lee,https://www.linkedin.com/in/sam-lee-1,,Acme,Engineer,",
            "Sam,Lee,https://www.linkedin.com/in/sam-lee-2,,Acme,Designer,",
        ),
    )
    assert counts(report) == (2, 0, 0, 0)


def test_it_never_overwrites_a_field_the_seeker_edited(alice):
    run(alice, linkedin("Jane,Doe,https://www.linkedin.com/in/jane,,Acme,Engineer,"))
    Person.objects.filter(owner=alice).update(
        position="Best mentor", edited_fields=["position", "emails"]
    )
    report = run(
        alice,
        linkedin("Jane,Doe,https://www.linkedin.com/in/jane,jane@example.org,Globex,CTO,"),
    )
    assert counts(report) == (0, 1, 0, 0)
    jane = Person.objects.get(owner=alice)
    assert (jane.position, jane.emails, jane.company) == ("Best mentor", [], "Globex")
    assert jane.company_key == "globex"


def test_it_fills_empty_fields_merges_lists_and_adds_the_source(alice):
    run(
        alice, linkedin("Jane,Doe,https://www.linkedin.com/in/jane-doe-123,jane.doe@example.com,,,")
    )
    before = Person.objects.get(owner=alice).updated_at
    report = run(alice, fixture("google_contacts.csv"), "contacts.csv")
    assert report.updated == 1
    jane = Person.objects.get(owner=alice, name="Jane Doe")
    assert jane.emails == ["jane.doe@example.com", "jane@home.example"]
    assert jane.phones == ["+44 7700 900123", "+44 20 7946 0000"]
    assert (jane.company, jane.location) == ("Acme Inc.", "London")
    assert jane.sources == ["linkedin", "google"]
    assert jane.updated_at > before


def test_an_unchanged_person_keeps_their_updated_at(alice):
    run(alice, fixture("linkedin_connections.csv"))
    before = dict(Person.objects.filter(owner=alice).values_list("id", "updated_at"))
    run(alice, fixture("linkedin_connections.csv"))
    assert dict(Person.objects.filter(owner=alice).values_list("id", "updated_at")) == before


def test_a_person_repeated_in_one_file_is_created_once_and_the_repeat_is_explained(alice):
    data = linkedin(
        "Jane,Doe,https://www.linkedin.com/in/jane,,Acme,Engineer,",
        "Ahmed,Khan,https://www.linkedin.com/in/ahmed,,Globex,Analyst,",
        "Jane,Doe,https://www.linkedin.com/in/jane,jane@example.org,Initech,Lead,",
    )
    report = run(alice, data)
    assert counts(report) == (2, 0, 0, 1)
    assert report.errors[0].line == 4
    assert "same person as line 2" in report.errors[0].reason
    jane = person(alice, "Jane Doe")
    assert (jane.company, jane.emails) == ("Acme", ["jane@example.org"])
    again = run(alice, data)
    assert counts(again) == (0, 0, 2, 1)
    assert Person.objects.filter(owner=alice).count() == 2


def test_archived_people_are_matched_rather_than_duplicated(alice):
    run(alice, linkedin("Jane,Doe,https://www.linkedin.com/in/jane,,Acme,Engineer,"))
    Person.objects.filter(owner=alice).update(archived_at="2026-01-01T00:00:00Z")
    assert counts(
        run(alice, linkedin("Jane,Doe,https://www.linkedin.com/in/jane,,Acme,Engineer,"))
    ) == (0, 0, 1, 0)
    assert Person.objects.get(owner=alice).archived_at is not None


def test_another_seekers_people_are_never_matched_or_touched(alice, charlie):
    run(charlie, fixture("linkedin_connections.csv"))
    before = list(Person.objects.filter(owner=charlie).values())
    report = run(alice, fixture("linkedin_connections.csv"))
    assert report.created == 19
    assert list(Person.objects.filter(owner=charlie).values()) == before


# --------------------------------------------------------------------------- messages


def test_messages_set_the_count_for_people_matched_by_url_and_keep_no_content(alice):
    run(alice, fixture("linkedin_connections.csv"))
    report = run(alice, fixture("linkedin_messages.csv"), "messages.csv")
    assert counts(report) == (0, 3, 0, 0)
    assert dict(
        Person.objects.filter(owner=alice, messages_count__gt=0).values_list(
            "name", "messages_count"
        )
    ) == {"Jane Doe": 3, "Ahmed Khan": 3, "Kwame Mensah": 2}
    assert "linkedin-messages" in person(alice, "Jane Doe").sources
    stored = repr(list(Person.objects.filter(owner=alice).values()))
    assert "SECRET" not in stored
    assert counts(run(alice, fixture("linkedin_messages.csv"), "messages.csv")) == (0, 0, 3, 0)


def test_messages_with_people_not_yet_imported_are_summed_up_in_one_reason(alice):
    report = run(alice, fixture("linkedin_messages.csv"), "messages.csv")
    assert counts(report) == (0, 0, 0, 3)
    assert len(report.errors) == 1
    assert report.errors[0].line == 0
    assert "Import your Connections.csv first" in report.errors[0].reason
    assert not Person.objects.filter(owner=alice).exists()


def test_messages_never_create_people(alice):
    rows = "2-a,,Jane,https://www.linkedin.com/in/jane,Me,https://www.linkedin.com/in/me,2024-01-01,,hi,INBOX"
    data = f"{MESSAGES_HEADER}\n{rows}\n{rows}\n".encode()
    run(alice, linkedin("Me,Myself,https://www.linkedin.com/in/me,,,,"))
    report = run(alice, data, "messages.csv")
    assert report.skipped == 1
    assert Person.objects.filter(owner=alice).count() == 1


# --------------------------------------------------------------------------- dry run, bad files


def test_a_dry_run_reports_the_same_and_writes_nothing(alice):
    run(alice, linkedin("Jane,Doe,https://www.linkedin.com/in/jane-doe-123,,Old Co,,"))
    before = list(Person.objects.filter(owner=alice).values())
    result = parse(fixture("linkedin_connections.csv"), "Connections.csv")
    dry = person_import(owner=alice, result=result, dry_run=True)
    assert list(Person.objects.filter(owner=alice).values()) == before
    real = person_import(owner=alice, result=parse(fixture("linkedin_connections.csv")))
    assert dry.as_json() == real.as_json()
    assert counts(real) == (18, 1, 0, 1)


def test_a_bad_file_raises_a_friendly_error_and_leaves_people_alone(alice):
    run(alice, fixture("linkedin_connections.csv"))
    with pytest.raises(ImportFileError, match="looks like LinkedIn.s Connections.csv instead"):
        run(alice, fixture("linkedin_connections.csv"), fmt="google")
    with pytest.raises(ImportFileError, match="empty"):
        run(alice, b"")
    assert Person.objects.filter(owner=alice).count() == 19


def test_the_json_report_has_exactly_the_documented_keys(alice):
    report = run(alice, fixture("broken_unclosed_quote.csv"))
    data = report.as_json()
    assert list(data) == [
        "format", "encoding", "created", "updated", "unchanged", "skipped", "errors",
        "possible_duplicates",
    ]  # fmt: skip
    assert data["errors"] == [{"line": 3, "reason": report.errors[0].reason}]
    assert ImportReport.from_json(report.preview_json()) == report


def test_progress_is_reported_as_rows_go_by_and_ends_at_the_total(alice):
    rows = [f"P{i},Q,https://www.linkedin.com/in/p{i},,Co {i % 7},," for i in range(1200)]
    seen: list[tuple[int, int]] = []
    run(alice, linkedin(*rows), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]


# --------------------------------------------------------------------------- queries


def import_queries(owner, rows: int, django_assert_max_num_queries, limit: int):
    data = linkedin(
        *(
            f"P{i},Q,https://www.linkedin.com/in/p{i},p{i}@example.org,Co {i % 9},X,"
            for i in range(rows)
        )
    )
    with django_assert_max_num_queries(limit):
        run(owner, data)  # all new
    with django_assert_max_num_queries(limit):
        run(owner, data)  # all unchanged
    changed = data.replace(b",X,", b",Y,")
    with django_assert_max_num_queries(limit):
        assert run(owner, changed).updated == rows


def test_the_queries_of_an_import_do_not_grow_with_the_rows(
    alice, charlie, django_assert_max_num_queries
):
    import_queries(alice, 50, django_assert_max_num_queries, 12)
    import_queries(charlie, 2500, django_assert_max_num_queries, 12)


def test_a_finished_job_forgets_its_file(alice):
    job = ImportJob.objects.create(owner=alice, filename="c.csv", format="linkedin",
                                   encoding="utf-8", data=fixture("linkedin_connections.csv"),
                                   status=ImportJob.Status.QUEUED, total=20)  # fmt: skip
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, bytes(job.data), job.created, job.skipped) == ("done", b"", 19, 1)
    assert job.processed == job.total == 20
    import_job_run(job_id=job.pk)  # idempotent: a done job does nothing
    assert Person.objects.filter(owner=alice).count() == 19


def test_a_job_that_hits_an_unexpected_error_fails_kindly_and_changes_nothing(alice):
    # A format name the parser has never heard of is a programming error (ValueError), the
    # kind of surprise the seeker must never see as a traceback.
    job = ImportJob.objects.create(owner=alice, filename="c.csv", format="spreadsheet",
                                   encoding="utf-8", data=fixture("linkedin_connections.csv"),
                                   status=ImportJob.Status.QUEUED, total=20)  # fmt: skip
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.failure == FAILURE_MESSAGE
    assert "spreadsheet" not in job.failure
    assert not Person.objects.filter(owner=alice).exists()


def test_an_edit_made_while_an_import_is_planning_still_wins(alice):
    from helpwanted.network.actions import person_update

    rows = [f"P{i},Q,https://www.linkedin.com/in/p{i},,Acme,Engineer," for i in range(600)]
    run(alice, linkedin(*rows))
    changed = linkedin(*(row.replace("Engineer", "Manager") for row in rows))

    def seeker_edits_meanwhile(done: int, total: int) -> None:
        if done < total:  # while the import is still reading, before it writes
            p0 = Person.objects.get(owner=alice, name="P0 Q")
            person_update(person=p0, fields={"position": "Mentor"}, tags=None)

    report = run(alice, changed, progress=seeker_edits_meanwhile)
    assert person(alice, "P0 Q").position == "Mentor"
    assert person(alice, "P1 Q").position == "Manager"
    assert (report.updated, report.unchanged) == (599, 1)
