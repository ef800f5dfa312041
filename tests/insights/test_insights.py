"""The insights page: the seeker's own numbers, drawn as accessible SVG with tables beside."""

import datetime as dt
import re
from itertools import count

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpwanted.asks.models import Ask, Recipient
from helpwanted.journey.models import CheckIn, Opportunity, StageChange, Update
from helpwanted.network.models import Person

# Wednesday 18 March 2026, 13:00 in Paris: this week starts Monday 16 March, and the 12 weeks
# shown start on Monday 29 December 2025.
NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)
PAGE_QUERIES = 9  # session, user, check-ins, 3 weekly counts, rates, funnel, helpers

S = Recipient.Status
_seq = count()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def person(owner, relationship: str) -> Person:
    return Person.objects.create(
        owner=owner, name=f"Person {next(_seq)}", relationship=relationship
    )


def ask(owner, sent: str | None, *recipients: tuple) -> Ask:
    """recipients: (person, status, answered_at or None)."""
    sent_at = at(sent) if sent else None
    a = Ask.objects.create(owner=owner, request="A short chat?", sent_at=sent_at)
    for who, status, answered in recipients:
        Recipient.objects.create(
            ask=a,
            person=who,
            status=status,
            sent_at=sent_at,
            answered_at=at(answered) if answered else None,
        )
    return a


def opportunity(owner, stages: list[str], *, history: bool = True) -> Opportunity:
    o = Opportunity.objects.create(owner=owner, company="Acme", role="Analyst", stage=stages[-1])
    if history:
        previous = ""
        for stage in stages:
            StageChange.objects.create(opportunity=o, from_stage=previous, to_stage=stage)
            previous = stage
    return o


@pytest.fixture
def alice_data(alice):
    friend = person(alice, "friend")
    colleague = person(alice, "former_colleague")
    acq1, acq2 = person(alice, "acquaintance"), person(alice, "acquaintance")
    recruiter = person(alice, "recruiter")
    ask(
        alice,
        "2026-03-17T10:00",
        (friend, S.OFFERED, "2026-03-17T12:00"),
        (acq1, S.DECLINED, "2026-03-18T09:00"),
        (colleague, S.SENT, None),
    )
    ask(
        alice,
        "2026-03-04T10:00",
        (acq2, S.DONE, "2026-03-10T10:00"),
        (recruiter, S.OPENED, None),
        (acq1, S.SUGGESTED, "2026-03-05T10:00"),
    )
    ask(alice, None, (friend, S.DRAFT, None))  # a draft counts nowhere
    ask(alice, "2025-10-01T10:00", (acq1, S.THANKED, "2025-10-02T10:00"))  # before the 12 weeks
    # Sunday 23:30 UTC is already Monday in Paris: it belongs to the week of 16 March.
    ask(alice, "2026-03-15T23:30", (recruiter, S.SENT, None))

    opportunity(alice, ["idea", "applied", "interviewing"])
    opportunity(alice, ["applied", "rejected"])
    opportunity(alice, ["idea"], history=False)

    for day, h, e, c in [("2026-03-16", 2, 3, 4), ("2026-03-17", 3, 3, 3), ("2026-03-03", 4, 4, 4)]:
        CheckIn.objects.create(
            owner=alice, day=dt.date.fromisoformat(day), hope=h, energy=e, confidence=c
        )
    Update.objects.create(
        owner=alice, kind="rejection", text="No from Acme", created_at=at("2026-03-17T09:00")
    )
    Update.objects.create(
        owner=alice, kind="rejection", text="No from Globex", created_at=at("2026-03-04T09:00")
    )
    Update.objects.create(
        owner=alice,
        kind="rejection",
        text="Deleted",
        created_at=at("2026-03-17T09:00"),
        deleted_at=timezone.now(),
    )
    Update.objects.create(
        owner=alice, kind="progress", text="Progress", created_at=at("2026-03-17T09:00")
    )
    return alice


def section(html: str, section_id: str) -> str:
    match = re.search(
        rf'<section class="insights-chart" id="{section_id}".*?</section>', html, re.S
    )
    assert match, section_id
    return match.group(0)


def table(html: str) -> dict[str, list[str]]:
    """{row header: [cell texts]} of the section's data table."""
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', html, re.S)
    return {head: re.findall(r"<td>(.*?)</td>", cells) for head, cells in rows}


def bars(html: str) -> dict[tuple[str, str], str]:
    """{(series key, category): printed value} from each bar's <title>."""
    found = re.findall(
        r'chart__bar--(\w+)"[^>]*><title>[^,]*, (?:week of )?([^:]*): ([^<]*)</title>', html
    )
    return {(key, label): value for key, label, value in found}


def page(client) -> str:
    response = client.get("/insights/")
    assert response.status_code == 200
    return response.content.decode()


def test_asks_and_answers_are_counted_per_week_in_the_seekers_time_zone(alice_data, alice_client):
    html = section(page(alice_client), "asks-per-week")
    rows = table(html)
    assert len(rows) == 12
    assert list(rows)[0] == "29 Dec" and list(rows)[-1] == "16 Mar"
    assert rows["16 Mar"] == ["4", "2"]
    assert rows["9 Mar"] == ["0", "1"]
    assert rows["2 Mar"] == ["3", "1"]
    assert rows["9 Feb"] == ["0", "0"]
    drawn = bars(html)
    assert len(drawn) == 24
    for week, (sent, answered) in rows.items():
        assert drawn[("sent", week)] == sent
        assert drawn[("answered", week)] == answered
    assert "you sent 7 asks and received 4 answers" in html


def test_response_rate_is_answered_over_asked_per_relationship(alice_data, alice_client):
    html = section(page(alice_client), "response-rate")
    rows = table(html)
    # In relationship order; drafts never count as asked, and every answer counts, even a no.
    assert rows == {
        "Friend": ["1", "1", "100%"],
        "Former colleague": ["1", "0", "0%"],
        "Recruiter": ["2", "0", "0%"],
        "Acquaintance": ["4", "4", "100%"],
    }
    drawn = bars(html)
    assert drawn == {
        ("rate", "Friend"): "100% (1 of 1)",
        ("rate", "Former colleague"): "0% (0 of 1)",
        ("rate", "Recruiter"): "0% (0 of 2)",
        ("rate", "Acquaintance"): "100% (4 of 4)",
    }
    assert "weak ties answer too" in html


def test_the_funnel_counts_each_stage_now_and_ever_reached(alice_data, alice_client):
    html = section(page(alice_client), "funnel")
    rows = table(html)
    assert list(rows) == [
        "Idea", "Applied", "Screening", "Interviewing", "Offer", "Accepted", "Rejected", "Withdrawn",
    ]  # fmt: skip
    assert rows["Idea"] == ["2", "1"]  # one from history, one with none that is there now
    assert rows["Applied"] == ["2", "0"]
    assert rows["Interviewing"] == ["1", "1"]
    assert rows["Rejected"] == ["1", "1"]
    assert rows["Offer"] == ["0", "0"]
    drawn = bars(html)
    for stage, (reached, now) in rows.items():
        assert drawn[("reached", stage)] == reached
        assert drawn[("now", stage)] == now


def test_checkins_are_averaged_weekly_with_asks_and_shared_rejections_marked(
    alice_data, alice_client
):
    html = section(page(alice_client), "checkins-over-time")
    rows = table(html)
    assert rows["16 Mar"] == ["2.5", "3.0", "3.5", "2", "4", "1"]
    assert rows["2 Mar"] == ["4.0", "4.0", "4.0", "1", "3", "1"]
    assert rows["9 Mar"] == ["–", "–", "–", "0", "0", "0"]
    assert re.findall(r"<title>Week of ([^:]*): (\d+) asks? sent</title>", html) == [
        ("2 Mar", "3"),
        ("16 Mar", "4"),
    ]
    assert re.findall(r"<title>Week of ([^:]*): (\d+) rejections? shared</title>", html) == [
        ("2 Mar", "1"),
        ("16 Mar", "1"),
    ]
    assert "<title>Hope, week of 16 Mar: 2.5</title>" in html
    assert "hope from 4.0 to 2.5" in html


def test_the_people_who_helped_count_each_person_once_per_relationship(alice_data, alice_client):
    html = section(page(alice_client), "helpers")
    rows = table(html)
    # acq1 helped twice (suggested, thanked) and counts once; a no or a silence doesn't count.
    assert rows == {"Friend": ["1"], "Acquaintance": ["2"]}
    assert bars(html) == {("people", "Friend"): "1", ("people", "Acquaintance"): "2"}
    assert "3 people have helped you so far" in html


def test_every_chart_is_an_svg_named_and_described_with_a_table(alice_data, alice_client):
    html = page(alice_client)
    svgs = re.findall(r"<svg class=\"chart[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 5
    for svg in svgs:
        labelled = re.search(r'role="img" aria-labelledby="([\w-]+) ([\w-]+)"', svg)
        assert labelled, svg[:200]
        title_id, desc_id = labelled.groups()
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{desc_id}">[^<]+</desc>', svg)
    assert html.count('<details class="chart-table">') == 5
    assert html.count("<caption") == 5
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids must be unique on the page"


def test_the_page_is_csp_clean(alice_data, alice_client):
    html = page(alice_client)
    assert "style=" not in html
    assert "<style" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert not re.search(r"<[^>]+\son\w+=", html), "no inline event handlers"
    assert "http://" not in html and "https://" not in html


def test_an_empty_account_is_taught_what_each_chart_will_show(alice_client):
    html = page(alice_client)
    assert '<svg class="chart' not in html
    assert html.count("panel--onboarding") == 5
    assert html.count('href="/asks/new/"') >= 3
    assert 'href="/journey/checkins/"' in html
    assert 'href="/journey/opportunities/new/"' in html
    assert "People you rarely talk to often answer too" in html
    assert "you're behind" not in html.lower()


def test_asks_without_checkins_still_show_on_the_time_axis(alice, alice_client):
    ask(alice, "2026-03-17T10:00", (person(alice, "friend"), S.SENT, None))
    html = section(page(alice_client), "checkins-over-time")
    assert '<svg class="chart' in html
    assert "No check-ins in these weeks yet" in html
    assert "<title>Week of 16 Mar: 1 ask sent</title>" in html


def test_charlie_sees_nothing_of_alices(alice_data, charlie, charlie_client):
    ask(charlie, "2026-03-17T10:00", (person(charlie, "mentor"), S.OFFERED, "2026-03-17T11:00"))
    html = page(charlie_client)
    assert table(section(html, "response-rate")) == {"Mentor": ["1", "1", "100%"]}
    assert table(section(html, "helpers")) == {"Mentor": ["1"]}
    assert table(section(html, "asks-per-week"))["16 Mar"] == ["1", "1"]
    for absent in ("Acquaintance", "Friend", "Recruiter"):
        assert absent not in html
    assert section(html, "funnel").count("panel--onboarding") == 1
    assert section(html, "checkins-over-time").count("hope from") == 0


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/insights/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_the_nav_links_to_insights(alice_client):
    html = page(alice_client)
    assert '<a href="/insights/" aria-current="page">Insights</a>' in html


def grow(owner, n: int) -> None:
    """Add n of everything: people, asks, answers, opportunities, check-ins, rejections."""
    relationships = ["friend", "family", "classmate", "mentor", "other", "partner"]
    for i in range(n):
        who = person(owner, relationships[i % len(relationships)])
        ask(owner, f"2026-0{1 + i % 3}-1{i % 10}T08:00", (who, S.DONE, "2026-03-11T08:00"))
        opportunity(owner, ["idea", "applied", "screening", "offer", "accepted"][: 1 + i % 5])
        CheckIn.objects.create(
            owner=owner,
            day=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            hope=3,
            energy=2,
            confidence=5,
        )
        Update.objects.create(
            owner=owner, kind="rejection", text="No", created_at=at(f"2026-02-1{i % 10}T09:00")
        )


def test_the_page_takes_the_same_number_of_queries_however_much_data(
    alice_data, alice_client, django_assert_num_queries
):
    with django_assert_num_queries(PAGE_QUERIES):
        alice_client.get("/insights/")
    grow(alice_data, 30)
    with CaptureQueriesContext(connection) as queries:
        html = page(alice_client)
    assert len(queries) == PAGE_QUERIES
    assert "Classmate" in html and "Accepted" in html
