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


def test_club_emails_go_out_over_smtp_with_one_click_unsubscribe(membership):
    emails.buddy_quiet_email(membership, membership, timezone.localdate())
    with SMTPServer() as smtp, override_settings(MAILERS={"default": smtp.mailer}):
        assert outbox_deliver() == 1
    received = smtp.inbox.messages[0]
    assert received["To"] == "alice@example.org"
    assert received["List-Unsubscribe"] == f"<{emails.unsubscribe_url(membership)}>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
