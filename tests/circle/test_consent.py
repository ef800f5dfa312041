"""Asking does not enrol: digests and news go only to members who said yes."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from helpwanted.circle.actions import member_consent
from helpwanted.circle.models import CircleMember
from helpwanted.journey.digest import digests_enqueue
from helpwanted.journey.models import Update
from helpwanted.mail.models import OutboxMessage
from tests.circle.helpers import links, person, send_ask, token_of
from tests.circle.test_grants import MONDAY_8_PARIS

pytestmark = pytest.mark.django_db


def news(owner, text="Applied to three roles this week"):
    return Update.objects.create(owner=owner, text=text, audience="everyone", kind="progress")


def digest_to(email):
    return OutboxMessage.objects.filter(kind="digest", to_email=email)


def test_a_person_only_asked_gets_the_ask_but_no_digest(alice):
    priya = person(alice)
    send_ask(alice, [priya])
    member = CircleMember.objects.get(person=priya)
    assert member.consented_at is None  # a row for their link, not consent
    with time_machine.travel(MONDAY_8_PARIS, tick=False):
        news(alice)
        assert digests_enqueue() == 0
    assert not digest_to("priya@example.org").exists()


def test_ticking_keep_me_posted_with_an_answer_brings_the_next_digest(alice, client):
    priya = person(alice)
    (recipient,) = send_ask(alice, [priya])
    (path,) = [p for p in links(OutboxMessage.objects.get(kind="ask")) if p.endswith("&a=yes")]
    client.post(path, {"answer": "yes", "keep_me_posted": "on"})
    member = CircleMember.objects.get(person=priya)
    assert member.consent_via == "keep_me_posted" and member.consented_at is not None
    with time_machine.travel(MONDAY_8_PARIS, tick=False):
        news(alice)
        assert digests_enqueue() == 1
    assert digest_to("priya@example.org").count() == 1


def test_an_answer_without_the_tick_records_no_consent(alice, client):
    priya = person(alice)
    send_ask(alice, [priya])
    (path,) = [p for p in links(OutboxMessage.objects.get(kind="ask")) if p.endswith("&a=no")]
    client.post(path, {"answer": "no"})
    assert CircleMember.objects.get(person=priya).consented_at is None


def invite(alice_client, member, email="bob@example.org"):
    alice_client.post(reverse("circle:invite", args=[member.pk]), {"email": email})
    message = OutboxMessage.objects.filter(kind="circle-invite").latest("id")
    return message, links(message)


def test_the_invitation_lands_on_a_page_naming_the_seeker_and_yes_records_consent(
    alice_client, bob
):
    message, (join, look) = invite(alice_client, bob.member)
    assert join.endswith("?join=1") and token_of(join) == token_of(look)
    client = Client()
    page = client.get(join).content.decode()
    assert "Alice Moreau would like you in their corner" in page
    assert "Yes, keep me posted" in page and "Just look for now" in page
    assert "Log in" not in page
    bob.member.refresh_from_db()
    assert bob.member.consented_at is None  # the GET changed nothing
    response = client.post(join, {"keep_me_posted": "yes"})
    assert response.status_code == 303
    bob.member.refresh_from_db()
    assert bob.member.consent_via == "invite" and bob.member.consented_at is not None


def test_just_looking_records_no_consent(alice_client, bob):
    _, (join, _look) = invite(alice_client, bob.member)
    client = Client()
    assert client.post(join, {"keep_me_posted": ""}).status_code == 303
    assert client.get(reverse("circle:helper_home")).status_code == 200
    bob.member.refresh_from_db()
    assert bob.member.consented_at is None


def test_an_invited_member_who_never_said_yes_gets_no_digest(alice_client, alice, bob):
    invite(alice_client, bob.member)
    with time_machine.travel(MONDAY_8_PARIS, tick=False):
        news(alice)
        assert digests_enqueue() == 0


def test_a_helper_says_keep_me_posted_then_stops_from_their_page(alice, bob, bob_client):
    page = bob_client.get(reverse("circle:helper_home")).content.decode()
    assert "Keep me posted on Alice's search" in page
    bob_client.post(reverse("circle:helper_consent"), {"keep_me_posted": "yes"})
    bob.member.refresh_from_db()
    assert bob.member.consent_via == "keep_me_posted"
    assert (
        "Stop keeping me posted" in bob_client.get(reverse("circle:helper_home")).content.decode()
    )
    bob_client.post(reverse("circle:helper_consent"), {})
    bob.member.refresh_from_db()
    assert bob.member.consented_at is None
    with time_machine.travel(MONDAY_8_PARIS, tick=False):
        news(alice)
        assert digests_enqueue() == 0


def test_consent_on_the_helper_page_needs_the_helpers_session(client, bob):
    assert (
        client.post(reverse("circle:helper_consent"), {"keep_me_posted": "yes"}).status_code == 403
    )
    bob.member.refresh_from_db()
    assert bob.member.consented_at is None


def test_the_circle_page_shows_who_said_yes_and_who_was_only_asked(alice, alice_client, bob):
    member_consent(member=bob.member, via="invite")
    send_ask(alice, [person(alice)])
    page = alice_client.get(reverse("circle:list")).content.decode()
    assert "Kept posted: accepted your invitation" in page
    assert "Only asked: gets your asks, not your news" in page


def test_the_circle_page_reads_in_a_fixed_number_of_queries(
    alice, alice_client, bob, django_assert_max_num_queries
):
    for i in range(15):
        send_ask(alice, [person(alice, f"Person {i}", f"p{i}@example.org")])
    with django_assert_max_num_queries(12):
        assert alice_client.get(reverse("circle:list")).status_code == 200


def test_existing_rows_before_this_change_have_no_consent(bob):
    # The migration adds consent as empty: nobody is opted in after the fact.
    assert CircleMember.objects.get(pk=bob.member.pk).consented_at is None
