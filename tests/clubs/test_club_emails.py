"""Club emails: the invitation, the one-click stop link, and delivery over real SMTP."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from helpwanted.clubs import emails
from helpwanted.clubs.models import Club, Invitation, Membership
from helpwanted.mail.actions import outbox_deliver
from helpwanted.mail.models import OutboxMessage
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(dana) -> Club:
    return Club.objects.create(name="Tuesday Job Club", facilitator=dana, place="Room 2")


@pytest.fixture
def membership(club, alice) -> Membership:
    return Membership.objects.create(club=club, user=alice)


def _invitation(club: Club, dana) -> Invitation:
    return Invitation.objects.create(
        club=club,
        email="nia@example.org",
        token_hash="0" * 64,
        invited_by=dana,
        expires_at=timezone.now() + timedelta(days=14),
    )


def test_an_invitation_is_queued_once_with_its_link(club, dana):
    invitation = _invitation(club, dana)
    first = emails.invitation_email(invitation, "tok-123")
    again = emails.invitation_email(invitation, "tok-123")
    assert first.pk == again.pk
    assert OutboxMessage.objects.filter(key=f"club-invite:{invitation.pk}").count() == 1
    assert first.to_email == "nia@example.org"
    assert "Dana Whitfield invites you to Tuesday Job Club" == first.subject
    assert "tok-123" in first.body_text and "tok-123" in first.body_html
    assert "Tuesdays at 10:00" in first.body_text


def test_the_stop_link_asks_first_then_turns_club_emails_off(client, membership):
    url = emails.unsubscribe_url(membership)
    page = client.get(url)
    assert page.status_code == 200 and "Stop emails from Tuesday Job Club?" in page.text
    membership.refresh_from_db()
    assert membership.club_emails  # a GET (a mail scanner) changes nothing
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Club emails are off" in done.text
    membership.refresh_from_db()
    assert not membership.club_emails


def test_a_tampered_stop_link_is_refused(client, membership):
    value = emails.unsubscribe_value(membership)
    forged = f"{membership.pk + 1}-{value.rsplit('-', 1)[1]}"
    assert client.post(f"/clubs/emails-off/{forged}/").status_code == 404
    membership.refresh_from_db()
    assert membership.club_emails


def unfolded(header: str) -> str:
    """A header as a reader sees it: long ones arrive folded onto a second line (RFC 5322)."""
    return " ".join(str(header).split())


def test_club_emails_go_out_over_smtp_with_one_click_unsubscribe(membership):
    emails.buddy_quiet_email(membership, membership, timezone.localdate())
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        assert outbox_deliver() == 1
    received = smtp.inbox.messages[0]
    assert received["To"] == "alice@example.org"
    assert unfolded(received["List-Unsubscribe"]) == f"<{emails.unsubscribe_url(membership)}>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_every_club_email_carries_its_stop_link_through_real_smtp(dana, alice, charlie):
    """A reminder, offers, a quiet buddy and the weekly summary: each with the one-click header
    and the link in both parts, each link the recipient's own membership's."""
    import datetime as dt

    import time_machine

    from helpwanted.clubs import jobs
    from tests.clubs.club_fixtures import (
        MONDAY,
        TUESDAY_MEETING,
        make_club,
        meeting_at,
        member,
        offer_on,
        request_in,
    )

    club = make_club(dana, alice, charlie)
    mine, theirs = member(club, alice), member(club, charlie)
    Membership.objects.filter(pk=mine.pk).update(buddy=theirs)
    Membership.objects.filter(pk=theirs.pk).update(
        buddy=mine, last_active_at=MONDAY - dt.timedelta(days=12)
    )
    request = request_in(meeting_at(club, TUESDAY_MEETING), mine, "A CV review by Friday")
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        offer_on(request, theirs, note="Send it over")
        assert jobs.meeting_reminders_send() == 2
        assert jobs.offers_notify() == 1
        assert jobs.buddy_quiet_emails_send() == 1
        assert jobs.club_weekly_send() == 2
    kinds = ["club-reminder", "club-offers", "club-buddy-quiet", "club-weekly"]
    queued = OutboxMessage.objects.filter(kind__in=kinds)
    assert sorted({m.kind for m in queued}) == sorted(kinds)
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        assert outbox_deliver() == queued.count() == 6
    own = {
        "alice@example.org": emails.unsubscribe_url(mine),
        "charlie@example.org": emails.unsubscribe_url(theirs),
    }
    for received in smtp.inbox.messages:
        url = own[received["To"]]
        assert unfolded(received["List-Unsubscribe"]) == f"<{url}>"
        assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        parts = {
            part.get_content_type(): part.get_payload(decode=True).decode()
            for part in received.walk()
            if not part.is_multipart()
        }
        assert url in parts["text/plain"] and url in parts["text/html"], received["Subject"]
