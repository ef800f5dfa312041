"""A club email, read at the dev outbox, and its "stop club emails" link, in Chromium with axe."""

import datetime as dt

import pytest

from helpwanted.clubs import jobs
from helpwanted.clubs.models import Membership
from helpwanted.mail.models import OutboxMessage
from tests.browser.conftest import check_page
from tests.clubs.club_fixtures import make_club, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_stops_club_emails_from_the_link_in_one(page, dana, alice, charlie):
    club = make_club(dana, alice, charlie)
    mine, theirs = member(club, alice), member(club, charlie)
    Membership.objects.filter(pk=mine.pk).update(buddy=theirs)
    Membership.objects.filter(pk=theirs.pk).update(
        buddy=mine, last_active_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=11)
    )
    assert jobs.buddy_quiet_emails_send() == 1
    email = OutboxMessage.objects.get(kind="club-buddy-quiet")

    link = email.headers["List-Unsubscribe"].strip("<>")
    assert link in email.body_html and link in email.body_text
    page.goto(link)  # straight from the email (its own page has no favicon: a 404 not ours)
    assert page.get_by_role("heading", name="Stop emails from Tuesday Job Club?").is_visible()
    check_page(page)
    mine.refresh_from_db()
    assert mine.club_emails  # opening the link changed nothing
    page.get_by_role("button", name="Stop club emails").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Club emails are off").is_visible()
    check_page(page)
    mine.refresh_from_db()
    assert not mine.club_emails
