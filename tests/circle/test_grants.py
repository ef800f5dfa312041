"""One live link per member, reused by every email; switching it off holds until a new invite."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from helpwanted.asks.actions import recipient_thank
from helpwanted.circle.actions import member_consent, member_link
from helpwanted.circle.models import CircleMember, HelperGrant, hash_token
from helpwanted.journey.digest import digests_enqueue
from helpwanted.journey.models import Update
from helpwanted.mail.models import OutboxMessage
from tests.circle.helpers import links, send_ask, token_of

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _next_monday_8_paris() -> datetime:
    """alice's helpers' digest slot, after the fixtures made bob's link (and before it expires)."""
    today = datetime.now(PARIS).date()
    return datetime.combine(today + timedelta(days=7 - today.weekday()), time(8), tzinfo=PARIS)


MONDAY_8_PARIS = _next_monday_8_paris()


def news(owner, text):
    return Update.objects.create(owner=owner, text=text, audience="everyone", kind="progress")


def digest_for(email):
    return OutboxMessage.objects.filter(kind="digest", to_email=email).order_by("-id").first()


def test_every_email_to_a_member_carries_the_same_link(alice, bob, alice_client):
    member_consent(member=bob.member, via="invite")
    (recipient,) = send_ask(alice, [bob.person])
    ask_email = OutboxMessage.objects.get(kind="ask")
    recipient_thank(recipient=recipient, text="Thank you, Bob.")
    thanks = OutboxMessage.objects.get(kind="ask-thanks")
    with time_machine.travel(MONDAY_8_PARIS, tick=False):
        news(alice, "Started a course")
        digests_enqueue()
    tokens = {
        token_of(p) for m in (ask_email, thanks, digest_for("bob@example.org")) for p in links(m)
    }
    assert tokens == {bob.token}
    assert HelperGrant.objects.filter(member=bob.member).count() == 1


def test_the_link_is_derived_so_only_its_hash_is_stored(bob):
    grant = HelperGrant.objects.get(member=bob.member)
    assert grant.token_hash == hash_token(bob.token)
    assert bob.token not in grant.token_hash and bob.token != grant.nonce
    assert len(bob.token) >= 43


def test_weekly_digests_reuse_one_grant_per_member_and_slide_its_expiry(alice, bob, settings):
    member_consent(member=bob.member, via="invite")
    first_expiry = None
    for week in range(6):
        moment = MONDAY_8_PARIS + timedelta(weeks=week)
        with time_machine.travel(moment, tick=False):
            news(alice, f"News of week {week}")
            assert digests_enqueue() == 1
            grants = list(HelperGrant.objects.filter(member=bob.member))
            assert len(grants) == 1  # rows do not grow week by week
            good_for = timedelta(days=settings.HELPER_LINK_DAYS)
            assert grants[0].expires_at == moment.astimezone(UTC) + good_for
            first_expiry = first_expiry or grants[0].expires_at
            assert {token_of(p) for p in links(digest_for("bob@example.org"))} == {bob.token}
    assert grants[0].expires_at > first_expiry
    assert OutboxMessage.objects.filter(kind="digest").count() == 6


def test_a_switched_off_members_next_digest_holds_no_working_link(alice, bob, alice_client):
    member_consent(member=bob.member, via="invite")
    with time_machine.travel(MONDAY_8_PARIS, tick=False):
        news(alice, "Week one")
        digests_enqueue()
    old_links = links(digest_for("bob@example.org"))
    assert old_links
    alice_client.post(reverse("circle:revoke", args=[bob.member.pk]))
    with time_machine.travel(MONDAY_8_PARIS + timedelta(weeks=1), tick=False):
        news(alice, "Week two")
        assert digests_enqueue() == 1
        latest = digest_for("bob@example.org")
        assert "Week two" in latest.body_text
        assert "/h/" not in latest.body_text and "/h/" not in latest.body_html
        assert "get in touch with them directly" in latest.body_text
        for path in old_links + [f"/h/{bob.token}/"]:
            assert Client().post(path).status_code == 403
    assert not HelperGrant.objects.filter(member=bob.member, revoked_at=None).exists()


def test_a_switched_off_member_gets_asks_with_no_link_and_is_told_how_to_answer(
    alice, bob, alice_client
):
    alice_client.post(reverse("circle:revoke", args=[bob.member.pk]))
    send_ask(alice, [bob.person])
    email = OutboxMessage.objects.get(kind="ask")
    assert links(email) == []
    assert "get in touch with Alice directly" in email.body_text
    assert member_link(CircleMember.objects.get(pk=bob.member.pk)) is None


def test_undo_turns_the_same_link_back_on(alice_client, bob):
    response = alice_client.post(reverse("circle:revoke", args=[bob.member.pk]), follow=True)
    page = response.content.decode()
    undo = reverse("circle:revoke_undo", args=[bob.member.pk])
    assert f'action="{undo}"' in page and "Undo" in page
    assert Client().post(f"/h/{bob.token}/").status_code == 403
    alice_client.post(undo)
    assert Client().post(f"/h/{bob.token}/").status_code == 303
    bob.member.refresh_from_db()
    assert bob.member.links_off_at is None
    assert HelperGrant.objects.filter(member=bob.member).count() == 1


def test_a_new_invitation_after_switching_off_sends_a_fresh_link_and_the_old_stays_dead(
    alice_client, bob
):
    alice_client.post(reverse("circle:revoke", args=[bob.member.pk]))
    alice_client.post(reverse("circle:invite", args=[bob.member.pk]), {"email": "bob@example.org"})
    (fresh,) = {token_of(p) for p in links(OutboxMessage.objects.get(kind="circle-invite"))}
    assert fresh != bob.token
    assert Client().post(f"/h/{bob.token}/").status_code == 403
    assert Client().post(f"/h/{fresh}/").status_code == 303


def test_rotating_the_secret_key_changes_the_link_on_the_next_email(alice, bob, settings):
    settings.SECRET_KEY = "a-brand-new-secret-key-" + "x" * 40
    link = member_link(CircleMember.objects.get(pk=bob.member.pk))
    assert token_of(link) != bob.token
    assert Client().post(f"/h/{bob.token}/").status_code == 403
    assert Client().post(f"/h/{token_of(link)}/").status_code == 303
    assert HelperGrant.objects.filter(member=bob.member).count() == 1


def test_undoing_a_removal_puts_them_back_as_they_were(alice_client, bob):
    member_consent(member=bob.member, via="invite")
    CircleMember.objects.filter(pk=bob.member.pk).update(audience="inner", news_timing="weekly")
    response = alice_client.post(reverse("circle:remove", args=[bob.member.pk]), follow=True)
    assert not CircleMember.objects.filter(person=bob.person).exists()
    undo = response.context["messages"]._loaded_messages[0].extra_tags.removeprefix("undo=")
    alice_client.post(undo)
    member = CircleMember.objects.get(person=bob.person)
    assert (member.audience, member.consent_via, member.news_timing) == (
        "inner",
        "invite",
        "weekly",
    )
    assert member.consented_at is not None


def test_another_seeker_cannot_undo_alices_switch_off_or_removal(alice_client, charlie_client, bob):
    alice_client.post(reverse("circle:revoke", args=[bob.member.pk]))
    assert (
        charlie_client.post(reverse("circle:revoke_undo", args=[bob.member.pk])).status_code == 404
    )
    bob.member.refresh_from_db()
    assert bob.member.links_off_at is not None
    response = alice_client.post(reverse("circle:remove", args=[bob.member.pk]), follow=True)
    undo = response.context["messages"]._loaded_messages[0].extra_tags.removeprefix("undo=")
    assert charlie_client.post(undo).status_code == 404
    assert not CircleMember.objects.filter(person=bob.person).exists()
