"""The helper's side of issue 10 in a real browser: two taps from the email, consent, hard news.

Emails are read as a helper would see them: the HTML version at the demo outbox.
"""

import re

import pytest
from playwright.sync_api import expect

from helpwanted.asks.actions import ask_create, ask_send, recipient_add
from helpwanted.asks.models import Recipient
from helpwanted.circle.actions import circle_add, member_consent
from helpwanted.journey.digest import digests_enqueue
from helpwanted.journey.models import Reply, Update
from helpwanted.mail.actions import outbox_deliver
from helpwanted.mail.models import OutboxMessage
from helpwanted.mail.tick import run_tick
from helpwanted.network.actions import person_create
from tests.browser.conftest import check_page, log_in
from tests.circle.test_grants import MONDAY_8_PARIS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUEST = "Would you introduce me to someone on the design team at Lumen Labs?"


def helper_browser(page, name: str):
    """The helper's own browser, at the same size as the test's viewport, with no account."""
    from django.conf import settings

    context = page.context.browser.new_context(
        viewport=page.viewport_size,
        base_url=settings.SITE_URL,  # the live server (conftest)
    )
    helper = context.new_page()
    helper.console_errors = []
    helper.on("console", lambda m: m.type == "error" and helper.console_errors.append(m.text))
    helper.viewport_name = f"{page.viewport_name}-{name}"
    return helper


def open_email(browser_page, message: OutboxMessage) -> None:
    """Open the email as it looks in a mail app (the outbox's HTML version)."""
    browser_page.goto(f"/dev/outbox/{message.pk}/html/")
    browser_page.wait_for_load_state("networkidle")
    browser_page.console_errors.clear()  # the email itself (a favicon 404) is not our page


def test_a_helper_answers_from_the_email_in_exactly_two_taps(page, alice, live_server):
    priya = person_create(owner=alice, fields={"name": "Priya Shah", "emails": ["p@example.org"]})
    ask = ask_create(
        owner=alice, fields={"kind": "introduction", "request": REQUEST, "why": "I'm applying."}
    )
    recipient_add(ask=ask, person=priya)
    ask_send(ask=ask)
    page.goto("/")  # the seeker's browser is only used to open the helper's
    helper = helper_browser(page, "priya")
    open_email(helper, OutboxMessage.objects.get(kind="ask"))
    taps = 0

    helper.get_by_role("link", name="Yes, I can").click()
    taps += 1
    expect(helper.get_by_role("heading", level=1)).to_have_text("Alice Moreau asked you:")
    expect(helper.locator(".ask-text")).to_contain_text(REQUEST)
    expect(helper.get_by_role("radio", name="Yes, I can")).to_be_checked()
    expect(helper.get_by_role("link", name="Log in")).to_have_count(0)
    check_page(helper, "helper-answer")
    assert Recipient.objects.get().status == "sent"  # tap 1 (a GET) recorded nothing

    helper.get_by_role("button", name="Send").click()
    taps += 1
    expect(helper.get_by_role("status")).to_contain_text("Sent. Alice will see it soon.")
    expect(helper.get_by_role("heading", name="What you sent")).to_be_visible()
    assert "/h/" not in helper.url
    check_page(helper, "helper-answer-sent")
    assert taps == 2
    assert Recipient.objects.get().status == "offered"
    helper.context.close()


def test_a_rejection_reaches_a_right_away_member_in_one_tick_and_she_cheers_in_two_taps(
    page, alice, live_server
):
    hannah = circle_add(
        person=person_create(
            owner=alice, fields={"name": "Hannah Whitlock", "emails": ["hannah@example.org"]}
        ),
        audience="inner",
    )
    member_consent(member=hannah, via="invite")
    log_in(page, alice.email)
    page.goto("/journey/updates/new/?kind=rejection")
    page.get_by_label("Your update").fill("Didn't get the Globex role. Disappointed, still going.")
    page.get_by_role("button", name=re.compile("^Share")).click()
    expect(page.get_by_role("status")).to_contain_text("Shared.")

    run_tick()  # one time round the worker's loop
    outbox_deliver()
    message = OutboxMessage.objects.get(kind="update-news")
    assert message.status == "sent" and message.to_email == "hannah@example.org"

    helper = helper_browser(page, "hannah")
    open_email(helper, message)
    helper.get_by_role("link", name="You've got this").click()
    expect(helper.get_by_role("radio", name="You've got this")).to_be_checked()
    check_page(helper, "helper-encourage")
    helper.get_by_role("button", name="Send").click()
    expect(helper.get_by_role("status")).to_contain_text("Sent. Alice will see it")
    assert "/h/" not in helper.url
    check_page(helper)
    (reply,) = Reply.objects.all()
    assert reply.reaction == "strong" and reply.update == Update.objects.get()
    helper.context.close()


def test_a_switched_off_link_stays_off_in_the_next_digest_and_the_only_asked_get_none(
    page, alice, bob, live_server
):
    member_consent(member=bob.member, via="invite")
    priya = person_create(owner=alice, fields={"name": "Priya Shah", "emails": ["p@example.org"]})
    ask = ask_create(owner=alice, fields={"kind": "advice", "request": REQUEST})
    recipient_add(ask=ask, person=priya)
    ask_send(ask=ask)
    bob.member.invited_at = bob.member.created_at
    bob.member.save(update_fields=["invited_at"])

    log_in(page, alice.email)
    page.get_by_role("link", name="Circle", exact=True).click()
    expect(page.get_by_text("Only asked: gets your asks, not your news")).to_be_visible()
    expect(page.get_by_text("Kept posted: accepted your invitation")).to_be_visible()
    check_page(page, "circle-consent")
    page.get_by_role("button", name="Switch off link for Bob Lindqvist").click()
    expect(page.get_by_role("status")).to_contain_text("no email will carry a new one")
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    check_page(page)

    Update.objects.create(owner=alice, text="Applied to three roles", audience="everyone")
    assert digests_enqueue(now=MONDAY_8_PARIS) == 1  # bob's; Priya was only asked
    digest = OutboxMessage.objects.get(kind="digest")
    assert digest.to_email == "bob@example.org"
    page.goto(f"/dev/outbox/{digest.pk}/")
    expect(page.locator(".email-body")).to_contain_text("Applied to three roles")
    expect(page.locator(".email-body a[href*='/h/']")).to_have_count(0)
    helper = helper_browser(page, "bob")
    helper.goto(f"/h/{bob.token}/")
    expect(helper.get_by_role("heading", level=1)).to_have_text("This link has stopped working")
    helper.console_errors.remove(  # the page is served with 403 on purpose
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    )
    check_page(helper)
    helper.context.close()
