"""The work-search record: exactly the activities of the period, CSV, printable page, bad input."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from helpwanted.elsewhere.models import WorkActivity, WorkSearchSettings
from helpwanted.elsewhere.worklog import WorkSearchRow, worklog_rows
from helpwanted.journey.models import Stage
from helpwanted.journey.opportunities import opportunity_delete
from tests.elsewhere.world import interview, move, opportunity, person, sent_ask

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
RECORD = reverse("elsewhere:worklog")


def at(day: date, hour: int = 12, minute: int = 0):
    return time_machine.travel(datetime.combine(day, time(hour, minute), tzinfo=PARIS), tick=False)


@pytest.fixture
def november(alice):
    """alice's November 2026: a set of activities, some on the edges of 1-30 November."""
    with at(date(2026, 10, 31), 23, 59):  # the day before the range, late at night in Paris
        before = opportunity(alice, "Before Ltd", "Too early")
        move(before, Stage.APPLIED)
    with at(date(2026, 11, 1), 0, 1):  # the first minute of the range, in Paris (still Oct in UTC)
        lumen = opportunity(alice, "Lumen Labs", "Designer", link="https://lumen.example/jobs/1")
        move(lumen, Stage.APPLIED)
    with at(date(2026, 11, 10)):
        move(lumen, Stage.INTERVIEWING)
        interview(lumen, date(2026, 11, 12), time(10))
        interview(lumen, date(2026, 12, 1), time(10))  # after the range
        interview(lumen, date(2026, 11, 20), kind="offer_deadline")  # not an interview
        idea = opportunity(alice, "Idea Co", "Maybe")  # an idea only: not an application
        acme = opportunity(alice, "Acme", "UX lead", stage=Stage.APPLIED)  # made at applied
        gone = opportunity(alice, "Gone Inc", "Deleted", stage=Stage.APPLIED)
        opportunity_delete(opportunity=gone)
        bob = person(alice, "Bob Lindqvist", "bob@example.org")
        sent_ask(alice, [bob], target="Globex")
        sent_ask(alice, [person(alice, "Priya Shah", "priya@example.org")])  # no target company
    with at(date(2026, 11, 30), 23, 59):  # the last minute of the range
        move(acme, Stage.REJECTED)
        move(idea, Stage.APPLIED)
    with at(date(2026, 12, 1), 0, 1):
        opportunity(alice, "After plc", "Too late", stage=Stage.APPLIED)
    WorkActivity.objects.create(
        owner=alice, on=date(2026, 11, 30), method="job_fair", employer="City job fair",
        employer_contact="Town hall", result="Spoke to 3 employers",
    )  # fmt: skip
    WorkActivity.objects.create(owner=alice, on=date(2026, 10, 31), employer="Too early fair")
    return {"bob": bob}


def test_the_record_holds_exactly_the_periods_activities(alice, november) -> None:
    rows = worklog_rows(alice, date(2026, 11, 1), date(2026, 11, 30))
    assert rows == [
        WorkSearchRow(date(2026, 11, 1), "Lumen Labs", "Designer", "application", "",
                      "Invited to interview", "recorded", "https://lumen.example/jobs/1"),
        WorkSearchRow(date(2026, 11, 10), "Acme", "UX lead", "application", "", "Not selected",
                      "recorded", ""),
        WorkSearchRow(date(2026, 11, 10), "Globex", "", "networking", "", "Waiting to hear",
                      "recorded", ""),
        WorkSearchRow(date(2026, 11, 12), "Lumen Labs", "Designer", "interview", "",
                      "Interview; invited to interview", "recorded", "https://lumen.example/jobs/1"),
        WorkSearchRow(date(2026, 11, 30), "Idea Co", "Maybe", "application", "",
                      "Applied, waiting to hear", "recorded", ""),
        WorkSearchRow(date(2026, 11, 30), "City job fair", "", "job_fair", "",
                      "Spoke to 3 employers", "added", "Town hall"),
    ]  # fmt: skip


def test_people_are_named_only_when_the_seeker_chooses(alice, november) -> None:
    WorkSearchSettings.objects.create(owner=alice, include_contacts=True)
    rows = worklog_rows(alice, date(2026, 11, 1), date(2026, 11, 30))
    assert [r.contact for r in rows if r.method == "networking"] == ["Bob Lindqvist"]


def test_a_one_day_range_takes_both_edges(alice, november) -> None:
    rows = worklog_rows(alice, date(2026, 11, 30), date(2026, 11, 30))
    assert [(r.employer, r.method) for r in rows] == [
        ("Idea Co", "application"),
        ("City job fair", "job_fair"),
    ]


def test_another_seeker_has_an_empty_record(charlie, november) -> None:
    assert worklog_rows(charlie, date(2026, 11, 1), date(2026, 11, 30)) == []


def test_the_page_shows_the_table_and_the_csv_has_the_same_rows(alice, alice_client, november):
    query = {"start": "2026-11-01", "end": "2026-11-30"}
    page = alice_client.get(RECORD, query).content.decode()
    assert "6 activities" in page and "Lumen Labs" in page and "Before Ltd" not in page
    response = alice_client.get(reverse("elsewhere:worklog_csv"), query)
    assert response["Content-Disposition"] == (
        'attachment; filename="work-search-2026-11-01-to-2026-11-30.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Date", "Activity", "Employer or organiser"]
    assert [r[0] for r in rows[1:]] == [
        "2026-11-01", "2026-11-10", "2026-11-10", "2026-11-12", "2026-11-30", "2026-11-30"
    ]  # fmt: skip
    assert rows[-1][1:3] == ["Job fair", "City job fair"]


def test_the_printable_page_names_the_seeker_and_the_period(alice, alice_client, november):
    page = alice_client.get(
        reverse("elsewhere:worklog_print"), {"start": "2026-11-01", "end": "2026-11-30"}
    ).content.decode()
    assert "Alice Moreau" in page
    assert "1 November 2026 to 30 November 2026" in page
    assert page.count("<table") == 1
    assert "worklog-print.css" in page


def test_a_csv_cell_cannot_start_a_formula(alice, alice_client) -> None:
    WorkActivity.objects.create(owner=alice, on=date(2026, 11, 3), employer="=HYPERLINK(1)")
    response = alice_client.get(
        reverse("elsewhere:worklog_csv"), {"start": "2026-11-01", "end": "2026-11-30"}
    )
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def test_the_default_period_is_the_last_30_days(alice, alice_client) -> None:
    with at(date(2026, 11, 30)):
        page = alice_client.get(RECORD).content.decode()
    assert "1 November 2026 to 30 November 2026" in page


@pytest.mark.parametrize(
    "view", ["elsewhere:worklog", "elsewhere:worklog_csv", "elsewhere:worklog_print"]
)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-11-31", "end": "2026-12-01"}, "Enter a real date."),
        ({"start": "yesterday", "end": "2026-12-01"}, "Enter a real date."),
        ({"start": "2026-11-01"}, "Enter the last day."),
        ({"start": "2026-12-01", "end": "2026-11-01"}, "comes before the first"),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "more than a year"),
        ({"start": "1900-01-01", "end": "1900-02-01"}, "Check the year."),
    ],
)  # fmt: skip
def test_a_bad_period_says_what_to_fix(alice_client, view, query, message) -> None:
    response = alice_client.get(reverse(view), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_the_include_people_choice_is_saved_and_kept_per_seeker(alice, alice_client) -> None:
    url = reverse("elsewhere:worklog_contacts")
    response = alice_client.post(
        url, {"include_contacts": "on", "start": "2026-11-01", "end": "2026-11-30"}
    )
    assert response["Location"] == f"{RECORD}?start=2026-11-01&end=2026-11-30"
    assert WorkSearchSettings.objects.get(owner=alice).include_contacts is True
    alice_client.post(url, {})
    assert WorkSearchSettings.objects.get(owner=alice).include_contacts is False


def test_adding_an_activity_puts_it_on_the_record(alice, alice_client) -> None:
    with at(date(2026, 11, 20)):
        response = alice_client.post(
            reverse("elsewhere:activity_add"),
            {"on": "2026-11-18", "method": "job_fair", "employer": "City job fair"},
        )
        assert response.status_code == 302
        page = alice_client.get(response["Location"]).content.decode()
    assert "City job fair" in page
    assert WorkActivity.objects.get(owner=alice).on == date(2026, 11, 18)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"on": "", "method": "job_fair", "employer": "Fair"}, "Enter the date."),
        ({"on": "2026-13-01", "method": "job_fair", "employer": "Fair"}, "Enter a real date."),
        ({"on": "2026-11-25", "method": "job_fair", "employer": "Fair"}, "already happened"),
        ({"on": "2026-11-18", "method": "job_fair", "employer": ""}, "Enter the employer"),
        ({"on": "2026-11-18", "method": "bribery", "employer": "Fair"}, "Select a valid choice"),
        ({"on": "2026-11-18", "method": "other", "employer": "x" * 201}, "at most 200"),
    ],
)
def test_a_bad_activity_says_what_to_fix_and_keeps_what_was_typed(
    alice, alice_client, data, message
) -> None:
    with at(date(2026, 11, 20)):
        response = alice_client.post(reverse("elsewhere:activity_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    if data["employer"]:
        assert data["employer"] in response.content.decode()
    assert not WorkActivity.objects.exists()


def test_removing_an_activity_and_outsiders_cannot(alice, alice_client, charlie_client) -> None:
    activity = WorkActivity.objects.create(owner=alice, on=date(2026, 11, 3), employer="Fair")
    url = reverse("elsewhere:activity_delete", args=[activity.pk])
    assert charlie_client.post(url).status_code == 404
    assert WorkActivity.objects.filter(pk=activity.pk).exists()
    assert alice_client.post(url).status_code == 302
    assert not WorkActivity.objects.filter(pk=activity.pk).exists()


def test_the_record_costs_the_same_queries_however_many_activities(alice, alice_client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            alice_client.get(RECORD, {"start": "2026-11-01", "end": "2026-11-30"})
        return len(queries)

    def grow(first: int, last: int) -> None:
        with at(date(2026, 11, 10)):
            for i in range(first, last):
                opp = opportunity(alice, f"Company {i}", stage=Stage.APPLIED)
                interview(opp, date(2026, 11, 12))
                sent_ask(alice, [person(alice, f"P {i}", f"p{i}@example.org")], target=f"T {i}")
                WorkActivity.objects.create(owner=alice, on=date(2026, 11, 3), employer=f"F {i}")

    grow(0, 1)
    few = count()
    grow(1, 9)
    assert count() == few
