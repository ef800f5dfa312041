"""The round, end to end in Chromium at 375 px and desktop, axe-clean on every page: alice writes
her request with the coach; erin and fay offer; alice accepts erin's, which is an ask in her
asks list; she notes erin's answer and thanks her; the round's figures follow."""

import re

import pytest
from playwright.sync_api import expect

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, Recipient
from helpwanted.clubs.actions import club_create
from helpwanted.clubs.models import Membership, Offer
from helpwanted.mail.models import OutboxMessage
from tests.browser.conftest import check_page, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUEST = (
    "Would you introduce me to someone on the design team at Lumen Labs? I'm applying for "
    "their Senior Product Designer role and would love a 15-minute chat before Friday."
)
WHY = "A word from inside would help me tailor my application."


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_a_request_gets_two_offers_and_one_becomes_a_thanked_ask(page, alice, dana):
    club = club_create(facilitator=dana, fields={"name": "Tuesday Job Club"})
    erin = User.objects.create_user("erin@example.org", PASSWORD, display_name="Erin Okafor")
    fay = User.objects.create_user("fay@example.org", PASSWORD, display_name="Fay Lindgren")
    for user in (alice, erin, fay):
        Membership.objects.create(club=club, user=user)
    round_url = f"/clubs/{club.pk}/round/"

    # alice writes her one request for this round, with the asks coach beside it.
    log_in(page, alice.email)
    page.goto(round_url)
    expect(page.get_by_role("heading", name=re.compile("^The round"))).to_be_visible()
    check_page(page, "club-round-empty")
    page.get_by_role("link", name="Make my request").click()
    page.get_by_label("What kind of help?").select_option("introduction")
    page.get_by_label("What would you like help with?").fill(REQUEST)
    page.get_by_label("Why it matters to you").fill(WHY)
    coach = page.locator("#coach")
    expect(coach).to_contain_text(re.compile(r"SMART score: [3-5] of 5"))
    check_page(page, "club-round-request")
    page.get_by_role("button", name="Post my request").click()
    expect(page.get_by_text("Your request is up")).to_be_visible()
    expect(page.get_by_text(re.compile(r"SMART score [3-5] of 5"))).to_be_visible()
    check_page(page, "club-round-requested")
    log_out(page)

    # Two fellow members offer, each in one tap (a note is optional).
    for user, note in ((erin, "I know Priya on their design team."), (fay, "")):
        log_in(page, user.email)
        page.goto(round_url)
        if note:
            page.get_by_label("A note for them (optional)").fill(note)
        page.get_by_role("button", name="Offer help with this request").click()
        expect(page.get_by_text("Offered. Alice")).to_be_visible()
        check_page(page, f"club-round-offered-{user.pk}")
        log_out(page)

    # alice accepts erin's offer: it is an ask of hers now, through the club.
    log_in(page, alice.email)
    page.goto(round_url)
    expect(page.get_by_text("2 offers")).to_be_visible()
    page.get_by_role("button", name="Accept the offer from Erin Okafor").click()
    expect(
        page.get_by_text(re.compile("Erin Okafor's offer is one of your asks now"))
    ).to_be_visible()
    check_page(page, "club-round-accepted")
    page.goto("/asks/")
    expect(page.get_by_text("Through your job club")).to_be_visible()
    check_page(page, "club-round-asks-list")
    page.get_by_role("link", name=re.compile("An introduction")).first.click()
    expect(page.get_by_text("Offered through your job club")).to_be_visible()
    expect(page.get_by_text("I know Priya on their design team.")).to_be_visible()
    check_page(page, "club-round-ask")

    # The usual lifecycle: erin's answer, noted by alice; then thanks, with no email sent.
    page.get_by_role("link", name="Note Erin Okafor's answer").click()
    page.get_by_label("Yes, they can").check()
    page.get_by_role("button", name="Save their answer").click()
    expect(page.get_by_text("Noted Erin Okafor's answer.")).to_be_visible()
    page.get_by_role("link", name="Thank Erin Okafor").click()
    check_page(page, "club-round-thank")
    page.get_by_role("button", name="Save my thanks").click()
    expect(page.get_by_text(re.compile("Thanks recorded. No email went from here"))).to_be_visible()

    # The round's figures follow: the one request had offers, and is fulfilled.
    page.goto(round_url)
    expect(page.locator("#figures-heading + p")).to_contain_text(
        "100% of requests had at least one offer; 100% are fulfilled."
    )
    expect(page.locator("#offer-" + str(_accepted_offer_id()))).to_contain_text("Fulfilled")
    check_page(page, "club-round-fulfilled")

    ask = Ask.objects.get(owner=alice)
    assert ask.recipients.get().status == Recipient.Status.THANKED
    # Offers never become emails: nothing went to erin or fay.
    assert OutboxMessage.objects.filter(to_email__in=[erin.email, fay.email]).count() == 0


def _accepted_offer_id() -> int:
    return Offer.objects.get(state=Offer.State.ACCEPTED).pk
