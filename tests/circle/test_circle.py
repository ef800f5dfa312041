import re

import pytest
from django.urls import reverse

from helpwanted.circle.models import CircleMember, HelperGrant, hash_token
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create

pytestmark = pytest.mark.django_db


def person(owner, name="Priya Shah", **fields):
    return person_create(owner=owner, fields={"name": name, **fields})


def test_a_seeker_puts_a_person_in_the_circle_and_is_asked_to_invite_them(alice_client, alice):
    priya = person(alice)
    response = alice_client.post(reverse("circle:add", args=[priya.pk]), {"audience": "inner"})
    member = CircleMember.objects.get(person=priya)
    assert member.audience == "inner" and member.owner == alice
    assert response["Location"] == reverse("circle:invite", args=[member.pk])


def test_a_bad_audience_is_refused_kindly(alice_client, alice):
    priya = person(alice)
    response = alice_client.post(
        reverse("circle:add", args=[priya.pk]), {"audience": "everyone"}, follow=True
    )
    assert "Choose what they see" in response.content.decode()
    assert not CircleMember.objects.exists()


def test_the_invitation_email_carries_a_personal_link_whose_token_is_stored_hashed(
    alice_client, alice
):
    priya = person(alice)
    alice_client.post(reverse("circle:add", args=[priya.pk]), {"audience": "supporters"})
    member = CircleMember.objects.get(person=priya)
    response = alice_client.post(
        reverse("circle:invite", args=[member.pk]),
        {"email": "Priya@Example.org", "message": "You always keep me going."},
    )
    assert response.status_code == 302
    email = OutboxMessage.objects.get(kind="circle-invite")
    assert email.to_email == "priya@example.org"
    assert "Alice Moreau would like you in their corner" == email.subject
    assert "You always keep me going." in email.body_text
    token = re.search(r"/h/([\w-]+)/", email.body_text).group(1)
    assert len(token) >= 43
    grant = HelperGrant.objects.get(member=member)
    assert grant.token_hash == hash_token(token) and token not in grant.token_hash
    priya.refresh_from_db()
    assert priya.emails == ["priya@example.org"]
    member.refresh_from_db()
    assert member.invited_at is not None


def test_an_invitation_needs_a_real_email_address(alice_client, alice, bob):
    response = alice_client.post(reverse("circle:invite", args=[bob.member.pk]), {"email": "bob@"})
    assert "doesn&#x27;t look like an email address" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_sending_a_new_link_switches_off_the_old_one(alice_client, bob):
    alice_client.post(reverse("circle:invite", args=[bob.member.pk]), {"email": "bob@example.org"})
    bob.grant.refresh_from_db()
    assert bob.grant.revoked_at is not None
    assert bob.member.grants.filter(revoked_at__isnull=True).count() == 1


def test_the_seeker_changes_an_audience(alice_client, bob):
    alice_client.post(reverse("circle:audience", args=[bob.member.pk]), {"audience": "inner"})
    bob.member.refresh_from_db()
    assert bob.member.audience == "inner"


def test_the_circle_page_groups_members_by_audience(alice_client, bob):
    body = alice_client.get(reverse("circle:list")).content.decode()
    assert "Supporters" in body and "Bob Lindqvist" in body
    assert "Sees your progress updates and your open asks." in body


def test_removing_someone_from_the_circle_switches_off_their_link(alice_client, bob, bob_client):
    alice_client.post(reverse("circle:remove", args=[bob.member.pk]))
    assert not CircleMember.objects.filter(pk=bob.member.pk).exists()
    assert bob_client.get(reverse("circle:helper_home")).status_code == 403


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("circle:invite", "get"),
        ("circle:invite", "post"),
        ("circle:audience", "post"),
        ("circle:revoke", "post"),
        ("circle:remove", "post"),
    ],
)
def test_another_seeker_cannot_touch_alices_circle(charlie_client, bob, name, method):
    response = getattr(charlie_client, method)(
        reverse(name, args=[bob.member.pk]), {"audience": "inner", "email": "x@example.org"}
    )
    assert response.status_code == 404
    bob.member.refresh_from_db()
    assert bob.member.audience == "supporters"
    assert not OutboxMessage.objects.exists()


def test_charlie_cannot_add_alices_people_to_a_circle(charlie_client, alice):
    priya = person(alice)
    response = charlie_client.post(reverse("circle:add", args=[priya.pk]), {"audience": "inner"})
    assert response.status_code == 404
    assert not CircleMember.objects.exists()


def test_circle_posts_need_a_csrf_token(csrf_client, alice, bob):
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    for url in (
        reverse("circle:audience", args=[bob.member.pk]),
        reverse("circle:invite", args=[bob.member.pk]),
        reverse("circle:revoke", args=[bob.member.pk]),
        reverse("circle:remove", args=[bob.member.pk]),
    ):
        assert csrf_client.post(url, {"audience": "inner"}).status_code == 403
    assert CircleMember.objects.get(pk=bob.member.pk).audience == "supporters"


def test_the_circle_page_asks_an_anonymous_visitor_to_log_in(client):
    assert client.get(reverse("circle:list")).status_code == 302
