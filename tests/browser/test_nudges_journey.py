"""Nudges in a real browser: the early-ask card, whom to ask at a target company, and insights."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from helpwanted.asks.actions import ask_create, ask_send, recipient_add, recipient_record_answer
from helpwanted.asks.models import Recipient
from helpwanted.circle.actions import circle_add
from helpwanted.journey.checkins import checkin_save, week_start
from helpwanted.journey.opportunities import opportunity_create, opportunity_move
from helpwanted.journey.updates import update_post
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.network.targets import target_add
from helpwanted.nudges.rules import early_ask_text
from tests.browser.conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local_today(user) -> dt.date:
    return timezone.localtime(timezone.now(), user.zoneinfo).date()


def at(user, day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment on `day` in the seeker's own time zone, where check-ins and steps count days."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=user.zoneinfo)


def send(owner, people, *, kind: str = "advice", request: str = "Could we talk for 15 minutes?"):
    ask = ask_create(owner=owner, fields={"kind": kind, "request": request})
    recipients = [recipient_add(ask=ask, person=p) for p in people]
    ask_send(ask=ask)
    return recipients


def home(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()


def test_a_dip_in_hope_suggests_asking_someone_close_and_the_ask_is_followed_up_on_schedule(
    page, alice
):
    today = local_today(alice)
    alice.date_joined = timezone.now() - dt.timedelta(days=60)
    alice.save(update_fields=["date_joined"])
    nora = person_create(
        owner=alice,
        fields={
            "name": "Nora Inner",
            "emails": ["nora@example.org"],
            "relationship": "friend",
            "closeness": 5,
        },
    )
    circle_add(person=nora, audience="inner")
    omar = person_create(
        owner=alice,
        fields={
            "name": "Omar Okafor",
            "emails": ["omar@example.org"],
            "relationship": "former_colleague",
        },
    )
    # Five days ago, before the dip, alice asked Omar, who kindly said no. So "no ask for ten
    # days" is not what fires, and an ask from before the dip doesn't quiet it.
    with time_machine.travel(at(alice, today - dt.timedelta(days=5)), tick=False):
        (omar_recipient,) = send(alice, [omar])
    with time_machine.travel(at(alice, today - dt.timedelta(days=4)), tick=False):
        recipient_record_answer(recipient=omar_recipient, answer="no")
    # Hope fell from 4 to 2 over the last fortnight: the dip began three days ago.
    for days_ago, hope in [(10, 4), (3, 2), (1, 2)]:
        day = today - dt.timedelta(days=days_ago)
        checkin_save(owner=alice, day=day, hope=hope, energy=3, confidence=3)
    request = early_ask_text("emotional_support", nora.name)

    # 1. Home: one small ask of someone close, with the reason, in plain words.
    log_in(page, alice.email)
    card = page.get_by_role("region", name="A good moment to ask Nora Inner")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Your hope has dipped over the last couple of weeks.")
    expect(card).not_to_contain_text("since you asked anyone")  # the dip alone fires
    expect(card.locator("blockquote")).to_have_text(re.compile(r"^\s*Hi Nora, "))
    expect(card.locator("blockquote")).to_contain_text(request)
    check_page(page, "home-early-ask")

    # 2. The composer opens prefilled: emotional support, Nora already chosen, the words written.
    card.get_by_role("link", name="Ask Nora Inner", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for something")
    expect(page.get_by_label("What kind of help?")).to_have_value("emotional_support")
    expect(page.get_by_label("What would you like them to do?")).to_have_value(request)
    expect(page.get_by_text("You'll ask:")).to_contain_text("You'll ask: Nora Inner.")
    check_page(page, "compose-early-ask")
    page.get_by_role("button", name="Next: choose who to ask").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Emotional support")
    nora_card = page.locator(".recipient").filter(has_text="Nora Inner")
    expect(nora_card).to_contain_text("Not sent yet")
    page.get_by_role("button", name="Send, one personal message each").click()
    expect(page.get_by_role("status")).to_contain_text("Emailed Nora Inner.")
    expect(nora_card.locator(".pill")).to_have_text("Sent")
    recipient = Recipient.objects.get(person=nora)
    assert (recipient.status, recipient.ask.kind, recipient.ask.request) == (
        "sent",
        "emotional_support",
        request,
    )

    # 3. Reaching out after the dip answers it: the suggestion is gone, and nothing is due yet.
    home(page)
    expect(page.get_by_role("heading", name=re.compile("^A good moment to ask"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Follow up with"))).to_have_count(0)

    # 4. The ask suggests a follow-up after its follow-up days (5 by default): not a day sooner.
    sent_on = timezone.localtime(recipient.sent_at, alice.zoneinfo).date()
    days = recipient.ask.follow_up_days
    assert days == 5
    with time_machine.travel(at(alice, sent_on + dt.timedelta(days=days - 1), 12), tick=True):
        page.reload()
        expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("^Follow up with"))).to_have_count(0)
    with time_machine.travel(at(alice, sent_on + dt.timedelta(days=days), 12), tick=True):
        page.reload()
        step = page.locator(".next-step").filter(has_text="Follow up with Nora Inner.")
        expect(step.get_by_role("link", name="Follow up with Nora Inner")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("^Follow up with"))).to_have_count(1)
        expect(page.get_by_role("heading", name=re.compile("^A good moment to ask"))).to_have_count(
            0
        )
        check_page(page, "home-follow-up")
        step.get_by_role("link", name="Follow up with Nora Inner").click()
        expect(page.get_by_label("Your follow-up")).to_contain_text("Nora")


def test_a_target_company_ranks_the_people_there_with_reasons_and_one_is_asked(page, alice):
    acme = target_add(owner=alice, company="Acme", why="Design tools I use every day.")
    at_acme = {"company": "Acme Inc."}
    wendell = person_create(
        owner=alice,
        fields={
            "name": "Wendell Weak",
            "emails": ["wendell@example.org"],
            "relationship": "former_colleague",
            "closeness": 2,
            "messages_count": 4,
            "position": "Product Designer",
            **at_acme,
        },
    )
    for name, relationship, closeness in [
        ("Chloé Close", "friend", 5),
        ("Sam Stranger", "acquaintance", 1),
    ]:
        person_create(
            owner=alice,
            fields={"name": name, "relationship": relationship, "closeness": closeness, **at_acme},
        )
    person_create(owner=alice, fields={"name": "Gus Globex", "company": "Globex"})

    # The home page points at the company where alice knows most people.
    log_in(page, alice.email)
    page.get_by_role("link", name="Ask for a referral at Acme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who do I know at Acme?")
    whom = page.get_by_role("region", name="Who to ask first at Acme")
    people = whom.get_by_role("listitem")
    # Only people at Acme, a looser tie first for a referral, each with a reason in plain words.
    expect(people).to_have_count(3)
    expect(whom).not_to_contain_text("Gus Globex")
    expect(people.first).to_contain_text("Wendell Weak")
    expect(people.first).to_contain_text(
        "people like this are the ones most likely to know of openings."
    )
    for person in people.all():
        expect(person).to_contain_text("Works at Acme, one of your target companies.")
    expect(people.filter(has_text="Sam Stranger")).to_contain_text(
        "You've never asked Sam Stranger."
    )
    check_page(page, "target-whom")

    # The suggestion's button opens the composer for a referral at Acme, to Wendell.
    whom.get_by_role("link", name="Ask Wendell Weak", exact=True).click()
    expect(page.get_by_label("What kind of help?")).to_have_value("referral")
    expect(page.get_by_label("Is it about a company on your list? (optional)")).to_have_value(
        str(acme.pk)
    )
    expect(page.get_by_text("You'll ask:")).to_contain_text("You'll ask: Wendell Weak.")
    page.get_by_label("What would you like them to do?").fill(
        "Would you refer me for the Senior Product Designer role at Acme?"
    )
    check_page(page, "compose-referral")
    page.get_by_role("button", name="Next: choose who to ask").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A referral")
    expect(page.locator(".ask-text").get_by_role("link", name="Acme")).to_be_visible()
    page.get_by_role("button", name="Send, one personal message each").click()
    expect(page.get_by_role("status")).to_contain_text("Emailed Wendell Weak.")

    recipient = Recipient.objects.select_related("ask").get()
    assert (recipient.person_id, recipient.status) == (wendell.pk, "sent")
    assert (recipient.ask.kind, recipient.ask.target_id) == ("referral", acme.pk)
    assert OutboxMessage.objects.filter(to_email="wendell@example.org").count() == 1

    # Back on Acme's page, Wendell is left out while his answer is awaited; the others stay.
    page.locator(".ask-text").get_by_role("link", name="Acme").click()
    expect(people).to_have_count(2)
    expect(whom).not_to_contain_text("Wendell Weak")


def test_insights_draws_every_chart_with_its_table_from_the_seekers_own_data(page, alice):
    today = local_today(alice)
    monday = week_start(today)
    people = {
        relationship: person_create(
            owner=alice,
            fields={
                "name": f"{relationship.title()} Person",
                "emails": [f"{relationship}@example.org"],
                "relationship": relationship,
            },
        )
        for relationship in ["friend", "former_colleague", "acquaintance", "recruiter"]
    }
    three_weeks_ago, last_week = monday - dt.timedelta(weeks=3), monday - dt.timedelta(weeks=1)
    # Three weeks ago (Tuesday): a former colleague says yes the next day; an acquaintance is quiet.
    with time_machine.travel(at(alice, three_weeks_ago + dt.timedelta(days=1)), tick=False):
        colleague, _ = send(alice, [people["former_colleague"], people["acquaintance"]])
    with time_machine.travel(at(alice, three_weeks_ago + dt.timedelta(days=2)), tick=False):
        recipient_record_answer(recipient=colleague, answer="yes")
    # Last week (Tuesday): a friend says yes, a recruiter says no; a rejection is shared.
    with time_machine.travel(at(alice, last_week + dt.timedelta(days=1)), tick=False):
        friend, recruiter = send(alice, [people["friend"], people["recruiter"]])
        update_post(owner=alice, kind="rejection", text="Globex said no. Onwards.")
    with time_machine.travel(at(alice, last_week + dt.timedelta(days=2)), tick=False):
        recipient_record_answer(recipient=friend, answer="yes")
        recipient_record_answer(recipient=recruiter, answer="no")
    with time_machine.travel(at(alice, three_weeks_ago), tick=False):
        acme = opportunity_create(owner=alice, fields={"company": "Acme", "role": "Designer"})
        globex = opportunity_create(
            owner=alice, fields={"company": "Globex", "role": "Designer"}, stage="applied"
        )
        opportunity_move(opportunity=acme, stage="applied")
    with time_machine.travel(at(alice, last_week), tick=False):
        opportunity_move(opportunity=acme, stage="interviewing")
        opportunity_move(opportunity=globex, stage="rejected")
    for day, hope in [(three_weeks_ago, 4), (last_week, 2), (last_week + dt.timedelta(days=2), 3)]:
        checkin_save(owner=alice, day=day, hope=hope, energy=3, confidence=4)

    log_in(page, alice.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insights")
    charts = [  # section heading, chart title (starts its accessible name), table caption
        (
            "Asks sent and answers received, per week",
            "Asks sent and answers received, per week",
            "Asks sent and answers received per week, over the last 12 weeks",
        ),
        (
            "Response rate by relationship",
            "Response rate by relationship",
            "Response rate by relationship, since you started",
        ),
        (
            "Your opportunities, stage by stage",
            "Your opportunities by stage",
            "Your opportunities by stage",
        ),
        (
            "Check-ins, asks and rejections over time",
            "Check-ins over time, with asks and rejections",
            "Weekly check-in averages out of 5, asks sent and rejections shared",
        ),
        (
            "The people who helped",
            "The people who helped, by relationship",
            "The people who helped, by relationship",
        ),
    ]
    tables = {}
    for heading, title, caption in charts:
        section = page.get_by_role("region", name=heading, exact=True)
        expect(section.get_by_role("heading", level=2)).to_have_text(heading)
        expect(section.get_by_role("img", name=re.compile("^" + re.escape(title)))).to_be_visible()
        section.get_by_text("Show the numbers as a table").click()  # a <details>: no JS needed
        tables[heading] = section.get_by_role("table", name=caption, exact=True)
        expect(tables[heading]).to_be_visible()
    # With data, no chart falls back to its "get started" panel.
    for start in ["Write an ask", "Add an opportunity", "Check in now"]:
        expect(page.get_by_role("link", name=start)).to_have_count(0)

    def cells(heading: str, row: str):
        line = (
            tables[heading]
            .get_by_role("row")
            .filter(has=page.get_by_role("rowheader", name=row, exact=True))
        )
        return line.get_by_role("cell")

    def label(day: dt.date) -> str:
        return f"{day.day} {day:%b}"

    asks = "Asks sent and answers received, per week"
    expect(cells(asks, label(three_weeks_ago))).to_have_text(["2", "1"])
    expect(cells(asks, label(last_week))).to_have_text(["2", "2"])
    expect(cells(asks, label(monday))).to_have_text(["0", "0"])
    rates = "Response rate by relationship"
    expect(cells(rates, "Friend")).to_have_text(["1", "1", "100%"])
    expect(cells(rates, "Former colleague")).to_have_text(["1", "1", "100%"])
    expect(cells(rates, "Recruiter")).to_have_text(["1", "1", "100%"])
    expect(cells(rates, "Acquaintance")).to_have_text(["1", "0", "0%"])
    funnel = "Your opportunities, stage by stage"
    expect(cells(funnel, "Applied")).to_have_text(["2", "0"])
    expect(cells(funnel, "Interviewing")).to_have_text(["1", "1"])
    expect(cells(funnel, "Rejected")).to_have_text(["1", "1"])
    checkins = "Check-ins, asks and rejections over time"
    expect(cells(checkins, label(three_weeks_ago))).to_have_text(
        ["4.0", "3.0", "4.0", "1", "2", "0"]
    )
    expect(cells(checkins, label(last_week))).to_have_text(["2.5", "3.0", "4.0", "2", "2", "1"])
    # The asks and the rejection are marked under the check-in lines, and said in words.
    checkin_chart = page.get_by_role("img", name=re.compile("^Check-ins over time"))
    expect(checkin_chart).to_have_accessible_name(
        re.compile(r"Marked below: 4 asks sent in 2 weeks, and 1 rejection shared in 1 week\.")
    )
    expect(checkin_chart.locator(".chart__events--asks .chart__event")).to_have_count(2)
    expect(checkin_chart.locator(".chart__events--rejections .chart__event")).to_have_count(1)
    helpers = "The people who helped"
    expect(cells(helpers, "Friend")).to_have_text(["1"])
    expect(cells(helpers, "Former colleague")).to_have_text(["1"])
    expect(tables[helpers].get_by_role("rowheader")).to_have_count(2)
    check_page(page, "insights")
