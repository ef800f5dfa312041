"""A job club from both sides, in Chromium at 375 px and desktop, axe-clean on every page: a
facilitator signs up with "I run a job club", starts a club and invites; the invitee opens the
email, signs up on the way and joins, chooses what the club sees, says yes to a buddy and posts
how their week went; the facilitator sees the club."""

import re

import pytest
from playwright.sync_api import expect

from helpwanted.accounts.models import User
from helpwanted.clubs.models import Club, Membership, WeekCheck
from tests.browser.conftest import check_page
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, name: str, email: str | None, *, runs_a_club: bool = False) -> None:
    if runs_a_club:
        page.get_by_role("radio", name="I run a job club").check()
    page.get_by_label("Your name").fill(name)
    if email is not None:
        page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()


def test_a_facilitator_starts_a_club_and_an_invitee_joins_shares_and_checks_in(page):
    # The facilitator signs up as someone who runs a job club, and lands on starting one.
    page.goto("/account/signup/")
    check_page(page, "club-signup")
    sign_up(page, "Dana Whitfield", "dana@example.org", runs_a_club=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a job club")
    check_page(page, "club-new")
    page.get_by_label("Club name").fill("Tuesday Job Club")
    page.get_by_label("Meets on").select_option("Tuesday")
    page.get_by_label("At (local time)").fill("10:00")
    page.get_by_label("Place or video link").fill("Central Library, room 2")
    page.get_by_role("button", name="Start the club").click()
    expect(page.get_by_text("Tuesday Job Club is ready")).to_be_visible()
    check_page(page, "club-invite")
    page.get_by_label("Their email address").fill("nia@")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("#id_email_error")).to_contain_text("Enter an email address like")
    page.get_by_label("Their email address").fill("nia@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation emailed to nia@example.org")).to_be_visible()
    expect(page.get_by_text("nia@example.org, invited")).to_be_visible()

    # The email, read at the demo outbox.
    page.get_by_role("link", name="Outbox (demo)").click()
    page.get_by_role("link", name="Dana Whitfield invites you to Tuesday Job Club").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dana Whitfield invites you to Tuesday Job Club"
    )
    link = page.locator("a[href*='/clubs/join/']").first.get_attribute("href")
    assert link
    page.get_by_role("button", name="Log out").click()

    # Omar is already in the club and has asked for Nia as his buddy once she joins.
    club = Club.objects.get(name="Tuesday Job Club")
    omar = User.objects.create_user("omar@example.org", PASSWORD, display_name="Omar Haddad")
    omar_in = Membership.objects.create(club=club, user=omar)

    # Nia opens her link, makes an account on the way, and joins.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Tuesday Job Club")
    check_page(page, "club-invitation")
    page.get_by_role("button", name="Create an account and join").click()
    expect(page.get_by_label("Email address")).to_have_value("nia@example.org")
    sign_up(page, "Nia Okoye", None)
    check_page(page, "club-join")
    page.get_by_role("button", name="Join Tuesday Job Club").click()
    expect(page.get_by_text("Welcome to Tuesday Job Club")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("What Tuesday Job Club sees")
    check_page(page, "club-sharing")
    page.get_by_label(re.compile("^My check-in scores")).check()
    page.get_by_label("How many interviews I had").uncheck()
    page.get_by_role("button", name="Save what the club sees").click()
    expect(page.get_by_text("Saved. Tuesday Job Club sees only what's ticked.")).to_be_visible()
    nia_in = Membership.objects.get(club=club, user__email="nia@example.org")
    assert (nia_in.share_checkins, nia_in.share_interviews, nia_in.share_asks) == (
        True,
        False,
        True,
    )
    check_page(page, "club-detail")

    # A buddy: Omar asked; Nia says yes.
    Membership.objects.filter(pk=omar_in.pk).update(buddy_wanted=nia_in.pk)
    page.get_by_role("link", name="Your buddy and your week").click()
    expect(page.get_by_text("They'd like to be your buddy")).to_be_visible()
    check_page(page, "club-buddy-pick")
    page.get_by_role("button", name="Yes, be buddies").click()
    expect(page.get_by_text("You and Omar Haddad are buddies now.")).to_be_visible()
    page.get_by_label("How did your week go?").fill("Two applications out, and a good chat.")
    page.get_by_role("button", name="Save my week").click()
    expect(page.get_by_text("Saved. Your buddy will see it.")).to_be_visible()
    check_page(page, "club-buddy")
    assert WeekCheck.objects.get(membership=nia_in).text == "Two applications out, and a good chat."
    nia_in.refresh_from_db()
    assert nia_in.buddy_id == omar_in.pk

    # Home shows the club card and the nav has Clubs.
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", name="Your job club")).to_be_visible()
    expect(page.get_by_role("link", name="Omar Haddad")).to_be_visible()
    check_page(page, "club-home")
    page.get_by_role("button", name="Log out").click()

    # The facilitator sees the club, the pair and the outcomes; never Nia's week line.
    page.goto("/account/login/")
    page.get_by_label("Email address").fill("dana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Clubs").click()
    page.get_by_role("link", name="Tuesday Job Club").click()
    check_page(page, "club-detail-facilitator")
    page.get_by_role("link", name="Who may need a word, and outcomes").click()
    expect(page.get_by_role("heading", name="Outcomes")).to_be_visible()
    expect(page.get_by_text("Two applications out")).to_have_count(0)
    check_page(page, "club-facilitator")
