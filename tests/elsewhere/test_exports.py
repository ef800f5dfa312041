"""Take your data with you: JSON, CSV and vCard exports, and the download page."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.actions import (
    ask_close,
    ask_create,
    ask_send,
    help_given_add,
    recipient_add,
    recipient_answer,
    recipient_done,
    recipient_thank,
)
from helpwanted.asks.models import Recipient
from helpwanted.circle.models import Audience, CircleMember
from helpwanted.elsewhere.exports import export_csv, export_json, export_vcard
from helpwanted.network.companies import company_key
from helpwanted.network.models import Person, Relationship, Tag, Target
from helpwanted.network.parsing import parse_vcards

pytestmark = pytest.mark.django_db

# Straight from the issue, plus "archived", so nothing is silently added or dropped.
PERSON_KEYS = {
    "name",
    "emails",
    "phones",
    "company",
    "position",
    "location",
    "linkedin_url",
    "relationship",
    "closeness",
    "tags",
    "notes",
    "how_we_know",
    "connected_on",
    "sources",
    "audience",
    "archived",
}


def person(owner, name, company="", tags=(), **fields) -> Person:
    p = Person.objects.create(
        owner=owner, name=name, company=company, company_key=company_key(company), **fields
    )
    for tag in tags:
        p.tags.add(Tag.objects.get_or_create(owner=owner, name=tag)[0])
    return p


@pytest.fixture
def ada(alice) -> Person:
    ada = person(
        alice,
        "Ada Lovelace",
        "Analytical Engines Ltd",
        tags=["mentor", "maths"],
        emails=["ada@example.org", "ada.l@work.example"],
        phones=["+44 20 7946 0018"],
        position="Head of Engineering",
        location="London, UK",
        linkedin_url="https://www.linkedin.com/in/ada-lovelace",
        relationship=Relationship.MENTOR,
        closeness=4,
        notes="Met at the Babbage talk.\nLikes tea; hates small talk, mostly.",
        how_we_know="She taught my evening class",
        sources=["linkedin", "manual"],
        connected_on=datetime.date(2024, 3, 12),
    )
    CircleMember.objects.create(owner=alice, person=ada, audience=Audience.INNER)
    return ada


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --------------------------------------------------------------------------- JSON


def test_the_json_export_has_exactly_the_promised_fields_for_each_person(alice, ada):
    person(alice, "Ben", relationship=Relationship.FRIEND)

    data = export_json(alice)

    assert set(data) == {
        "people",
        "targets",
        "circle",
        "asks",
        "thanks",
        "help_given",
        "opportunities",
        "updates",
        "checkins",
        "landing_thanks",
        "clubs",
        "work_search_added",
    }
    assert [set(p) for p in data["people"]] == [PERSON_KEYS, PERSON_KEYS]


def test_the_json_export_holds_each_persons_details_tags_and_audience(alice, ada):
    data = export_json(alice)

    assert data["people"] == [
        {
            "name": "Ada Lovelace",
            "emails": ["ada@example.org", "ada.l@work.example"],
            "phones": ["+44 20 7946 0018"],
            "company": "Analytical Engines Ltd",
            "position": "Head of Engineering",
            "location": "London, UK",
            "linkedin_url": "https://www.linkedin.com/in/ada-lovelace",
            "relationship": "mentor",
            "closeness": 4,
            "tags": ["maths", "mentor"],
            "notes": "Met at the Babbage talk.\nLikes tea; hates small talk, mostly.",
            "how_we_know": "She taught my evening class",
            "connected_on": "2024-03-12",
            "sources": ["linkedin", "manual"],
            "audience": "inner",
            "archived": False,
        }
    ]
    assert json.loads(json.dumps(data)) == data  # plain JSON, no dates or models inside


def test_the_json_export_includes_archived_people_marked_as_archived(alice):
    person(alice, "Ben", archived_at=timezone.now())
    person(alice, "Cy")

    people = {p["name"]: p for p in export_json(alice)["people"]}

    assert people["Ben"]["archived"] is True
    assert people["Cy"]["archived"] is False
    assert people["Cy"]["audience"] is None
    assert people["Cy"]["connected_on"] is None
    assert people["Cy"]["tags"] == []


def test_the_json_export_lists_targets_and_the_circle(alice, ada):
    Target.objects.create(owner=alice, company="Acme Inc.", company_key="acme", why="Kind people")

    data = export_json(alice)

    assert [(t["company"], t["why"]) for t in data["targets"]] == [("Acme Inc.", "Kind people")]
    assert [(m["name"], m["audience"]) for m in data["circle"]] == [("Ada Lovelace", "inner")]


def test_the_json_export_holds_nothing_of_another_seeker(alice, charlie, ada):
    person(charlie, "Charlie's friend", tags=["mentor"])
    Target.objects.create(owner=charlie, company="Initech", company_key="initech")

    data = export_json(alice)

    assert [p["name"] for p in data["people"]] == ["Ada Lovelace"]
    assert data["people"][0]["tags"] == ["maths", "mentor"]
    assert data["targets"] == []


# --------------------------------------------------------------------------- asks

ASK_DAY = datetime.date(2026, 11, 2)
SENT = "2026-11-02T09:00:00+00:00"
ANSWERED = "2026-11-03T18:30:00+00:00"
THANKED = "2026-11-10T08:15:00+00:00"
ASK_KEYS = {
    "kind",
    "request",
    "why",
    "needed_by",
    "target",
    "sent_at",
    "closed_at",
    "recipients",
}
RECIPIENT_KEYS = {
    "person",
    "status",
    "answered_at",
    "message",
    "offer_when",
    "suggested_person",
    "outcome",
    "led_to",
}


@pytest.fixture
def answered_ask(alice, ada):
    """An introduction at Acme: Ada said yes, was thanked; Ben suggested Jane at Acme."""
    acme = Target.objects.create(owner=alice, company="Acme Inc.", company_key="acme")
    ben = person(alice, "Ben Okoro", "Globex", emails=["ben@example.org"])
    with time_machine.travel(SENT, tick=False):
        ask = ask_create(
            owner=alice,
            fields={
                "kind": "introduction",
                "request": "Would you introduce me to Acme's design lead by email?",
                "why": "I'm applying for their Product Designer role.",
                "needed_by": datetime.date(2026, 11, 20),
                "target": acme,
            },
        )
        ada_r = recipient_add(ask=ask, person=ada)
        ben_r = recipient_add(ask=ask, person=ben)
        ask_send(ask=ask)
    with time_machine.travel(ANSWERED, tick=False):
        recipient_answer(
            recipient=ada_r, answer="yes", message="Gladly!", offer_when="Friday morning"
        )
        recipient_answer(
            recipient=ben_r,
            answer="suggest",
            message="Not me, but try Jane.",
            suggestion={"name": "Jane Doe", "email": "jane@acme.example", "company": "Acme"},
        )
    with time_machine.travel(THANKED, tick=False):
        ada_r.refresh_from_db()
        recipient_done(recipient=ada_r, outcome="Met their lead.", led_to="interview")
        recipient_thank(recipient=ada_r, text="Thank you, Ada: it led to an interview!")
        ask_close(ask=ask)
    return ask


def test_the_json_export_holds_each_ask_with_every_recipients_answer(alice, answered_ask):
    data = export_json(alice)

    assert [set(a) for a in data["asks"]] == [ASK_KEYS]
    [ask] = data["asks"]
    assert {k: v for k, v in ask.items() if k != "recipients"} == {
        "kind": "introduction",
        "request": "Would you introduce me to Acme's design lead by email?",
        "why": "I'm applying for their Product Designer role.",
        "needed_by": "2026-11-20",
        "target": "Acme Inc.",
        "sent_at": SENT,
        "closed_at": THANKED,
    }
    assert [set(r) for r in ask["recipients"]] == [RECIPIENT_KEYS, RECIPIENT_KEYS]
    assert ask["recipients"] == [
        {
            "person": "Ada Lovelace",
            "status": "thanked",
            "answered_at": ANSWERED,
            "message": "Gladly!",
            "offer_when": "Friday morning",
            "suggested_person": None,
            "outcome": "Met their lead.",
            "led_to": "interview",
        },
        {
            "person": "Ben Okoro",
            "status": "suggested",
            "answered_at": ANSWERED,
            "message": "Not me, but try Jane.",
            "offer_when": "",
            "suggested_person": "Jane Doe",
            "outcome": "",
            "led_to": None,
        },
    ]
    assert json.loads(json.dumps(data)) == data


def test_the_json_export_lists_thanks_sent_and_help_given(alice, answered_ask):
    help_given_add(owner=alice, who="Kemi", what="Read her CV", given_on=ASK_DAY)

    data = export_json(alice)

    assert data["thanks"] == [
        {
            "person": "Ada Lovelace",
            "text": "Thank you, Ada: it led to an interview!",
            "thanked_at": THANKED,
        }
    ]
    assert data["help_given"] == [{"who": "Kemi", "what": "Read her CV", "given_on": "2026-11-02"}]


def test_a_draft_ask_exports_with_empty_dates_and_no_target(alice, ada):
    ask = ask_create(owner=alice, fields={"kind": "referral", "request": "Refer me?"})
    recipient_add(ask=ask, person=ada)

    [exported] = export_json(alice)["asks"]

    assert exported["sent_at"] is None
    assert exported["closed_at"] is None
    assert exported["needed_by"] is None
    assert exported["target"] is None
    assert [(r["person"], r["status"], r["answered_at"]) for r in exported["recipients"]] == [
        ("Ada Lovelace", "draft", None)
    ]
    assert export_json(alice)["thanks"] == []


def test_the_json_export_holds_no_ask_thanks_or_help_of_another_seeker(
    alice, charlie, answered_ask
):
    help_given_add(owner=alice, who="Kemi", what="Read her CV", given_on=ASK_DAY)

    data = export_json(charlie)

    assert (data["asks"], data["thanks"], data["help_given"]) == ([], [], [])
    assert len(export_json(alice)["asks"]) == 1


# --------------------------------------------------------------------------- CSV


def test_the_csv_export_has_a_header_and_one_row_per_person(alice, ada):
    person(alice, "Ben", archived_at=timezone.now())

    header, *rows = csv_rows(export_csv(alice))

    assert header[:4] == ["Name", "Emails", "Phones", "Company"]
    assert len(rows) == 2
    row = dict(zip(header, rows[0], strict=True))
    assert row["Name"] == "Ada Lovelace"
    assert row["Emails"] == "ada@example.org; ada.l@work.example"
    assert row["Tags"] == "maths; mentor"
    assert row["Sources"] == "linkedin; manual"
    assert row["Relationship"] == "Mentor"
    assert row["Audience"] == "Inner circle"
    assert row["Connected on"] == "2024-03-12"
    assert row["Notes"] == "Met at the Babbage talk.\nLikes tea; hates small talk, mostly."
    assert dict(zip(header, rows[1], strict=True))["Archived"] == "yes"


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("http://evil.example","Click")',
        "+cmd",
        "-2+3",
        "@SUM(A1)",
        "|calc",
        "%0A",
        "\tx",
    ],
)
def test_the_csv_export_neutralises_formulas_in_every_cell(alice, dangerous):
    person(
        alice,
        dangerous,
        dangerous,
        tags=[dangerous],
        position=dangerous,
        notes=dangerous,
        emails=[dangerous],
        how_we_know=dangerous,
    )

    header, row = csv_rows(export_csv(alice))
    cells = dict(zip(header, row, strict=True))

    for column in (
        "Name",
        "Company",
        "Position",
        "Notes",
        "Emails",
        "Tags",
        "How you know each other",
    ):
        assert cells[column] == "'" + dangerous


def test_the_csv_export_leaves_ordinary_text_alone(alice):
    person(alice, "Ben O'Neil", "Acme", position="Engineer")

    _, row = csv_rows(export_csv(alice))

    assert row[:5] == ["Ben O'Neil", "", "", "Acme", "Engineer"]


def test_a_hyperlink_name_and_a_plus_company_come_out_prefixed(alice):
    person(alice, '=HYPERLINK("http://evil.example")', "+cmd")

    _, row = csv_rows(export_csv(alice))

    assert row[0] == '\'=HYPERLINK("http://evil.example")'
    assert row[3] == "'+cmd"


# --------------------------------------------------------------------------- vCard


def test_the_vcard_export_re_imports_to_the_same_people(alice, ada):
    person(alice, "Prince")
    person(alice, "Zoë O'Brien", "Société Générale", emails=["zoe@example.fr"], location="Lyon")
    person(alice, "Archived Alan", archived_at=timezone.now())

    contacts, errors = parse_vcards(export_vcard(alice))

    fields = (
        "name",
        "emails",
        "phones",
        "company",
        "position",
        "location",
        "linkedin_url",
        "notes",
    )
    exported = [tuple(getattr(c, f) for f in fields) for c in contacts]
    expected = [
        tuple(getattr(p, f) for f in fields)
        for p in Person.objects.filter(owner=alice, archived_at=None).order_by("name", "id")
    ]
    assert errors == []
    assert exported == expected
    assert [c[0] for c in exported] == ["Ada Lovelace", "Prince", "Zoë O'Brien"]


def test_the_vcard_export_is_empty_when_you_have_nobody_yet(alice):
    assert export_vcard(alice) == ""


# --------------------------------------------------------------------------- query counts


def make_crowd(owner, count: int) -> None:
    """People, and for each one an ask with a target and two recipients, one of them thanked."""
    target = Target.objects.create(
        owner=owner, company=f"Target {count}", company_key=f"target {count}"
    )
    previous = None
    for i in range(count):
        p = person(owner, f"Person {i}", f"Company {i}", tags=[f"tag {i % 3}"])
        if i % 2:
            CircleMember.objects.create(owner=owner, person=p)
        ask = ask_create(owner=owner, fields={"request": f"Ask {i}", "target": target})
        Recipient.objects.create(ask=ask, person=p, status="thanked", thanked_at=timezone.now())
        if previous is not None:
            Recipient.objects.create(
                ask=ask, person=previous, status="suggested", suggested_person=p
            )
        help_given_add(owner=owner, who=f"Friend {i}", what="Read a CV", given_on=ASK_DAY)
        previous = p


@pytest.mark.parametrize(("build", "most"), [(export_json, 14), (export_csv, 2), (export_vcard, 1)])
def test_exports_take_the_same_number_of_queries_for_3_or_60_people(alice, build, most):
    make_crowd(alice, 3)
    with CaptureQueriesContext(connection) as few:
        build(alice)
    make_crowd(alice, 57)
    with CaptureQueriesContext(connection) as many:
        build(alice)

    assert len(few) == len(many) <= most


# --------------------------------------------------------------------------- the page


def test_the_export_page_offers_three_downloads(alice_client):
    response = alice_client.get(reverse("elsewhere:export"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Take your data with you" in html
    for fmt in ("csv", "vcard", "json"):
        assert f"{reverse('elsewhere:export')}?format={fmt}" in html


@pytest.mark.parametrize(
    ("fmt", "filename", "content_type"),
    [
        ("csv", "helpwanted-people-2026-11-27.csv", "text/csv; charset=utf-8"),
        ("vcard", "helpwanted-people-2026-11-27.vcf", "text/vcard; charset=utf-8"),
        ("json", "helpwanted-data-2026-11-27.json", "application/json; charset=utf-8"),
    ],
)
def test_each_download_is_a_dated_attachment(alice_client, ada, fmt, filename, content_type):
    with time_machine.travel("2026-11-27 12:00:00+00:00", tick=False):
        response = alice_client.get(reverse("elsewhere:export"), {"format": fmt})

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]
    assert "Ada Lovelace" in response.content.decode("utf-8-sig")


def test_the_json_download_is_the_json_export(alice_client, alice, ada):
    response = alice_client.get(reverse("elsewhere:export"), {"format": "json"})

    assert json.loads(response.content) == export_json(alice)


def test_the_csv_download_opens_in_excel_with_accents_intact(alice_client, alice):
    person(alice, "Zoë")

    response = alice_client.get(reverse("elsewhere:export"), {"format": "csv"})

    assert response.content.startswith(b"\xef\xbb\xbf")  # the UTF-8 BOM Excel looks for
    assert response.content.decode("utf-8-sig") == export_csv(alice)


def test_an_unknown_format_gets_a_friendly_400_page(alice_client):
    response = alice_client.get(reverse("elsewhere:export"), {"format": "xlsx"})

    assert response.status_code == 400
    assert "JSON, CSV or vCard" in response.content.decode()
    assert "Content-Disposition" not in response


def test_a_seeker_downloads_only_their_own_people(charlie_client, ada):
    response = charlie_client.get(reverse("elsewhere:export"), {"format": "csv"})

    assert response.status_code == 200
    assert "Ada Lovelace" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("query", [{}, {"format": "csv"}, {"format": "json"}])
def test_anonymous_visitors_are_sent_to_log_in_before_exporting(client, ada, query):
    response = client.get(reverse("elsewhere:export"), query)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_download_takes_the_same_queries_for_many_people(
    alice_client, alice, django_assert_max_num_queries
):
    make_crowd(alice, 40)
    # session, user, then the export's own queries (tags, people, targets, circle, asks,
    # recipients, help given, opportunities, updates, check-ins, landing thanks, club
    # memberships, clubs run, work-search activities added by hand).
    with django_assert_max_num_queries(16):
        response = alice_client.get(reverse("elsewhere:export"), {"format": "json"})
    data = json.loads(response.content)
    assert (len(data["people"]), len(data["asks"]), len(data["thanks"])) == (40, 40, 40)


def test_the_json_export_has_interview_dates_and_added_work_search_activities(alice):
    from helpwanted.elsewhere.models import WorkActivity
    from helpwanted.journey.models import Interview
    from helpwanted.journey.opportunities import opportunity_create

    opp = opportunity_create(owner=alice, fields={"company": "Lumen Labs", "role": "Designer"})
    Interview.objects.create(opportunity=opp, on=datetime.date(2026, 12, 2), at=datetime.time(10))
    WorkActivity.objects.create(
        owner=alice, on=datetime.date(2026, 11, 3), method="job_fair", employer="City fair"
    )
    data = export_json(alice)
    assert data["opportunities"][0]["dates"] == [
        {"kind": "interview", "date": "2026-12-02", "time": "10:00:00", "minutes": 60}
    ]
    assert data["work_search_added"] == [
        {
            "date": "2026-11-03",
            "activity": "job_fair",
            "employer": "City fair",
            "employer_contact": "",
            "position": "",
            "contact": "",
            "result": "",
        }
    ]
