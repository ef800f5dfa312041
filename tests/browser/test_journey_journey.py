import re
import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpwanted.circle.actions import circle_add, grant_issue, member_consent
from helpwanted.journey.digest import CATCH_UP, digests_enqueue
from helpwanted.journey.models import CheckIn, Opportunity, Reply, Stage, ThankYou, Update
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from tests.browser.conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REJECTED = ("Product designer", "Globex")
LANDED = ("Senior product designer", "Initech")
ENCOURAGEMENT = "Their loss, Alice. You've got this, and I'm around for a coffee."
BOB_THANKS = "Dear Bob, your words after Globex kept me going. Thank you, truly."


def add_opportunity(page, role: str, company: str, stage: str) -> None:
    page.get_by_role("link", name="Opportunities", exact=True).click()
    page.get_by_role("link", name="Add an opportunity").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an opportunity")
    page.get_by_label("Company").fill(company)
    page.get_by_label("Role").fill(role)
    page.get_by_label("Where are you with it?").select_option(label=stage)
    page.get_by_role("button", name="Add it").click()
    expect(page.get_by_role("status")).to_contain_text(f"Added {role} at {company}.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(role)


def move_on_board(page, role: str, company: str, stage: str) -> None:
    """The keyboard and no-JS path: the card's own "Move to…" form on the board."""
    page.get_by_role("link", name="Opportunities", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your opportunities")
    card = page.locator(".opp-card").filter(has_text=f"{role} at {company}")
    expect(card).to_have_count(1)
    card.get_by_label(f"Move to… ({role} at {company})").select_option(label=stage)
    card.get_by_role("button", name=f"Move {role} at {company}").click()


def digest_time() -> datetime:
    """A moment inside bob's digest window (Monday 08:00 in alice's Europe/Paris) that is
    still within a week of now, so the update posted just now counts as new."""
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    now = timezone.now()
    local = now.astimezone(paris)
    monday = local.date() - timedelta(days=local.weekday())
    for day in (monday, monday + timedelta(weeks=1)):
        start = datetime.combine(day, time(8), tzinfo=paris)
        moment = max(start, now) + timedelta(minutes=5)
        if moment < start + CATCH_UP:
            return moment
    raise AssertionError("no digest slot found")  # pragma: no cover


def open_on_phone(page, link: str, name: str):
    """A helper opens their personal link on a phone: a fresh 375px browser, no account."""
    context = page.context.browser.new_context(viewport={"width": 375, "height": 740})
    phone = context.new_page()
    phone.console_errors = []
    phone.on("console", lambda msg: msg.type == "error" and phone.console_errors.append(msg.text))
    phone.viewport_name = f"{page.viewport_name}-{name}"
    phone.goto(link)
    expect(phone.get_by_role("button", name="Continue")).to_be_visible()
    check_page(phone)
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("You're in Alice Moreau's corner")
    assert "/h/" not in phone.url
    return phone


def test_a_rejection_is_shared_encouraged_and_the_seeker_checks_in_lands_and_thanks_everyone(
    page, live_server, alice, bob
):
    # bob is in alice's inner circle, invited, and said yes to her news (so he gets the digest);
    # cleo, a supporter, will help on a role.
    circle_add(person=bob.person, audience="inner")
    member_consent(member=bob.member, via="invite")  # he said yes: digests need consent
    bob.member.refresh_from_db()
    bob.member.invited_at = timezone.now()
    # He hears hard news in the weekly summary (his choice), so the digest carries the rejection.
    bob.member.news_timing = "weekly"
    bob.member.save(update_fields=["invited_at", "news_timing"])
    cleo = person_create(
        owner=alice,
        fields={"name": "Cleo Diaz", "emails": ["cleo@example.org"], "relationship": "mentor"},
    )
    cleo_member = circle_add(person=cleo, audience="supporters")
    cleo_member.invited_at = timezone.now()
    cleo_member.save(update_fields=["invited_at"])
    _, cleo_token = grant_issue(member=cleo_member)

    # 1. alice adds an opportunity, moves it to rejected, and shares it with her inner circle.
    log_in(page, alice.email)
    add_opportunity(page, *REJECTED, stage="Applied")
    check_page(page, "journey-opportunity")
    move_on_board(page, *REJECTED, stage="Rejected")
    expect(page.get_by_role("heading", level=1)).to_have_text("Share it with your inner circle?")
    text = page.get_by_label("Your update")
    expect(text).to_have_value(re.compile("Globex"))
    prepared = text.input_value()
    check_page(page, "journey-share-rejection")
    page.get_by_role("button", name="Share with my inner circle").click()
    expect(page.get_by_role("status")).to_contain_text("Shared.")
    expect(page.locator(".update-card")).to_contain_text(prepared)
    expect(page.locator(".update-card .pill")).to_have_text("Inner circle only")
    check_page(page, "journey-shared")
    rejection = Update.objects.get(owner=alice, kind="rejection")
    assert (rejection.audience, rejection.opportunity.stage) == ("inner", Stage.REJECTED)

    # 2. The weekly tick queues bob's digest; he opens it from the outbox on his phone.
    assert digests_enqueue(now=digest_time()) == 1
    digest = OutboxMessage.objects.get(kind="digest")
    assert digest.to_email == "bob@example.org"
    page.get_by_role("link", name="Outbox (demo)").click()
    row = page.get_by_role("row").filter(has_text="bob@example.org")
    expect(row).to_have_count(1)  # weekly: no separate hard-news email
    row.get_by_role("link", name="This week from Alice Moreau").click()
    body = page.locator(".email-body")
    expect(body).to_contain_text(prepared)
    check_page(page, "journey-digest")
    link = body.locator("a[href*='/h/']").first.get_attribute("href")
    bob_phone = open_on_phone(page, link, "bob")
    update = bob_phone.locator(f"#update-{rejection.pk}")
    expect(update).to_contain_text(prepared)
    check_page(bob_phone, "journey-helper-update")
    update.get_by_role("button", name="You've got this").click()
    expect(bob_phone.get_by_role("status")).to_contain_text("Alice will see it")
    update = bob_phone.locator(f"#update-{rejection.pk}")
    update.get_by_label("Or a few words of encouragement").fill(ENCOURAGEMENT)
    update.get_by_role("button", name="Send encouragement").click()
    expect(bob_phone.get_by_role("status")).to_contain_text("Alice will see it")
    mine = bob_phone.locator(f"#update-{rejection.pk} .helper-update__mine")
    expect(mine).to_contain_text("You've got this")
    expect(mine).to_contain_text(ENCOURAGEMENT)
    check_page(bob_phone, "journey-helper-replied")
    assert Reply.objects.filter(update=rejection, member=bob.member).count() == 2

    # 3. alice sees it on her home page, from her circle.
    page.get_by_role("link", name="Home", exact=True).click()
    news = page.get_by_role("region", name="From your circle")
    expect(news).to_contain_text("Bob Lindqvist replied to your update")
    expect(news).to_contain_text(ENCOURAGEMENT)
    expect(news).to_contain_text("You've got this")
    check_page(page, "journey-home")

    # 4. She checks in, and sees the trend as a chart and as a table.
    page.get_by_role("link", name="Your check-ins and trend").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in")
    for scale, score in (("Hope", "2"), ("Energy", "3"), ("Confidence", "4")):
        page.get_by_role("group", name=scale).get_by_role("radio", name=score, exact=True).check()
    page.get_by_label("A note for yourself (optional)").fill("Tired, but Bob's note helped.")
    check_page(page, "journey-checkin")
    page.get_by_role("button", name="Save my check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Thanks for checking in.")
    chart = page.locator("svg[role='img']")
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_have_text(
        "Hope, energy and confidence over the last 12 weeks"
    )
    expect(chart.locator(".chart__marker")).to_have_count(3)  # one point a line, this week
    page.get_by_text("Show the numbers as a table").click()
    table = page.get_by_role("table", name="Weekly averages of your check-ins, out of 5")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").last).to_contain_text(
        re.compile(r"2(\.0)?\s*3(\.0)?\s*4(\.0)?\s*1$")
    )
    check_page(page, "journey-trend")
    checkin = CheckIn.objects.get(owner=alice)
    assert (checkin.hope, checkin.energy, checkin.confidence, checkin.shared) == (2, 3, 4, False)

    # 5. A second role, where cleo helped, moves to accepted: "I got the job", and thanks.
    add_opportunity(page, *LANDED, stage="Offer")
    page.get_by_label("Add someone: search your people by name or company").fill("Cleo")
    page.get_by_role("button", name="Add Cleo Diaz").click()
    expect(page.get_by_role("status")).to_contain_text("Noted that Cleo Diaz helped.")
    move_on_board(page, *LANDED, stage="Accepted")
    expect(page.get_by_role("heading", level=1)).to_have_text("You got the job?")
    check_page(page, "journey-landed")
    page.get_by_role("button", name="Yes, I got the job").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank everyone who helped")
    drafts = page.get_by_role("region", name="Ready for you to read (2)")
    expect(drafts).to_contain_text("Thank you for cheering me on")
    expect(drafts).to_contain_text("Thank you for helping me with Initech")
    check_page(page, "journey-thanks")
    page.get_by_role("link", name="Read, change and send them").click()  # nothing sent yet
    expect(page.get_by_role("heading", level=1)).to_have_text("Read your thank-yous before they go")
    assert not OutboxMessage.objects.filter(kind="landed-thanks").exists()
    page.get_by_label("Your note to Bob Lindqvist").fill(BOB_THANKS)  # in her own words
    expect(page.get_by_label("Your note to Cleo Diaz")).to_have_value(re.compile("Hi Cleo, "))
    check_page(page, "journey-thanks-review")
    page.get_by_role("button", name="Send the ticked thank-yous").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your thank-you is on its way to Bob Lindqvist and Cleo Diaz."
    )
    expect(page.get_by_role("link", name="Read, change and send them")).to_have_count(0)
    expect(page.get_by_role("region", name="Thanked")).to_contain_text(BOB_THANKS)
    check_page(page, "journey-thanked")
    assert Opportunity.objects.get(owner=alice, company="Initech").stage == Stage.ACCEPTED
    assert set(
        ThankYou.objects.filter(sent_at__isnull=False).values_list("person__name", flat=True)
    ) == {
        "Bob Lindqvist",
        "Cleo Diaz",
    }
    thanks_to = OutboxMessage.objects.filter(kind="landed-thanks").values_list(
        "to_email", flat=True
    )
    assert sorted(thanks_to) == ["bob@example.org", "cleo@example.org"]

    # Each helper sees their own thank-you on their page, and only theirs.
    bob_phone.reload()
    notes = bob_phone.get_by_role("region", name="Thank you notes")
    expect(notes).to_contain_text(BOB_THANKS)
    expect(notes).not_to_contain_text("Initech as Senior")
    check_page(bob_phone, "journey-helper-thanked")
    bob_phone.context.close()
    cleo_phone = open_on_phone(page, f"{live_server.url}/h/{cleo_token}/", "cleo")
    notes = cleo_phone.get_by_role("region", name="Thank you notes")
    expect(notes).to_contain_text("Hi Cleo, I got the job")
    expect(notes).not_to_contain_text(BOB_THANKS)
    expect(cleo_phone.get_by_text(prepared)).to_have_count(0)  # the rejection was inner only
    check_page(cleo_phone, "journey-helper-cleo")
    cleo_phone.context.close()
