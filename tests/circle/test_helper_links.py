from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpwanted.circle.models import HelperGrant

pytestmark = pytest.mark.django_db


def test_opening_a_link_only_shows_continue_and_changes_nothing(client, bob):
    response = client.get(f"/h/{bob.token}/")
    assert response.status_code == 200
    assert "Continue" in response.content.decode()
    assert response["Referrer-Policy"] == "strict-origin"  # the token never leaves in a Referer
    bob.grant.refresh_from_db()
    assert bob.grant.last_used_at is None
    assert client.get(reverse("circle:helper_home")).status_code == 403


def test_continue_starts_a_helper_session_and_redirects_to_a_url_without_the_token(client, bob):
    response = client.post(f"/h/{bob.token}/")
    assert response.status_code == 303 or response.status_code == 302
    assert response["Location"] == reverse("circle:helper_home")
    assert bob.token not in response["Location"]
    page = client.get(reverse("circle:helper_home")).content.decode()
    assert "You&#x27;re in Alice Moreau&#x27;s corner" in page or "Alice Moreau" in page
    assert "their progress updates and the asks they send you" in page
    bob.grant.refresh_from_db()
    assert bob.grant.last_used_at is not None


def test_the_redirect_after_continue_is_a_303(client, bob):
    assert client.post(f"/h/{bob.token}/").status_code == 303


def test_a_made_up_token_gets_a_kind_page_and_no_session(client, bob):
    response = client.post("/h/not-a-real-token-at-all-000000000000000000/")
    assert response.status_code == 403
    assert "This link has stopped working" in response.content.decode()
    assert client.get(reverse("circle:helper_home")).status_code == 403


def test_a_revoked_link_stops_working_on_the_next_request(alice_client, bob, bob_client):
    assert bob_client.get(reverse("circle:helper_home")).status_code == 200
    alice_client.post(reverse("circle:revoke", args=[bob.member.pk]))
    assert bob_client.get(reverse("circle:helper_home")).status_code == 403
    assert Client().post(f"/h/{bob.token}/").status_code == 403


def test_a_link_expires(client, bob):
    with time_machine.travel(bob.grant.expires_at + timedelta(minutes=1)):
        assert client.post(f"/h/{bob.token}/").status_code == 403


def test_a_helper_session_ends_when_the_link_expires(bob, bob_client):
    with time_machine.travel(bob.grant.expires_at + timedelta(minutes=1)):
        assert bob_client.get(reverse("circle:helper_home")).status_code == 403


def test_a_network_helper_sees_only_that_asks_come_personally(alice_client, bob, bob_client):
    alice_client.post(reverse("circle:audience", args=[bob.member.pk]), {"audience": "network"})
    page = bob_client.get(reverse("circle:helper_home")).content.decode()
    assert "shares updates with a smaller group" in page
    assert "the asks they send you personally." in page


def test_a_helper_page_shows_nothing_of_the_seekers_private_records(alice, bob, bob_client):
    from helpwanted.network.actions import person_create

    person_create(owner=alice, fields={"name": "Secret Contact", "notes": "private note"})
    page = bob_client.get(reverse("circle:helper_home")).content.decode()
    assert "Secret Contact" not in page and "private note" not in page
    assert "alice@example.org" not in page


def test_a_helper_sets_email_preferences_and_pauses_the_digest(bob, bob_client):
    bob_client.post(reverse("circle:helper_preferences"), {"digest_enabled": "on", "pause": "on"})
    bob.member.refresh_from_db()
    assert bob.member.digest_enabled is True
    assert bob.member.digest_paused_until == timezone.localdate() + timedelta(weeks=4)
    bob_client.post(reverse("circle:helper_preferences"), {})
    bob.member.refresh_from_db()
    assert bob.member.digest_enabled is False and bob.member.digest_paused_until is None


def test_a_helper_can_leave_the_circle_and_the_link_stops(bob, bob_client):
    confirm = bob_client.get(reverse("circle:helper_leave"))
    assert "Step out" in confirm.content.decode()
    done = bob_client.post(reverse("circle:helper_leave"))
    assert (
        "You&#x27;ve stepped out" in done.content.decode() or "stepped out" in done.content.decode()
    )
    bob.member.refresh_from_db()
    assert bob.member.left_at is not None
    assert bob_client.get(reverse("circle:helper_home")).status_code == 403
    assert HelperGrant.objects.filter(member=bob.member, revoked_at__isnull=True).count() == 0


def test_helper_pages_refuse_a_visitor_without_a_link(client):
    for name in ("circle:helper_home", "circle:helper_leave"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("circle:helper_preferences")).status_code == 403


def test_charlie_logged_in_is_still_not_alices_helper(charlie_client):
    assert charlie_client.get(reverse("circle:helper_home")).status_code == 403


def test_helper_posts_need_a_csrf_token(bob):
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/h/{bob.token}/").status_code == 403
    bob.grant.refresh_from_db()
    assert bob.grant.last_used_at is None


def test_the_link_is_never_written_to_the_log(client, bob, caplog):
    with caplog.at_level("DEBUG"):
        client.get(f"/h/{bob.token}/")
        client.post(f"/h/{bob.token}/")
    assert bob.token not in caplog.text


def test_a_grant_is_usable_only_until_it_expires(bob):
    assert bob.grant.is_usable
    bob.grant.expires_at = timezone.now() - timedelta(seconds=1)
    assert not bob.grant.is_usable
