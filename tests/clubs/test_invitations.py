"""Invitations: emailed once, token hashed, re-invite and revoke, accepting with an account or
signing up on the way, once per invitation, never past the size limit (two at once too)."""

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpwanted.clubs import actions
from helpwanted.clubs.models import Club, Invitation, Membership
from helpwanted.mail.models import OutboxMessage
from tests.clubs.club_world import PASSWORD, make_user
from tests.concurrency import at_once, twice

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(dana) -> Club:
    return actions.club_create(facilitator=dana, fields={"name": "Tuesday Job Club"})


@pytest.fixture
def dana_client(dana) -> Client:
    client = Client()
    client.force_login(dana, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _link(message: OutboxMessage) -> str:
    line = next(line for line in message.body_text.splitlines() if "/clubs/join/" in line)
    return "/" + line.strip().split("/", 3)[3]


def test_the_facilitator_invites_by_email_and_only_the_hash_is_kept(club, dana_client):
    response = dana_client.post(
        reverse("clubs:invite", args=[club.pk]), {"email": "Nia@Example.org"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(club=club)
    assert invitation.email == "nia@example.org"
    message = OutboxMessage.objects.get(to_email="nia@example.org")
    token = _link(message).rstrip("/").rsplit("/", 1)[-1]
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values_list())


def test_a_bad_address_is_refused_with_a_clear_message(club, dana_client):
    response = dana_client.post(reverse("clubs:invite", args=[club.pk]), {"email": "nia@"})
    assert response.status_code == 200
    assert "Enter an email address like name@example.org" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_re_invite_stops_the_old_link(club, dana, alice):
    first, old = actions.invitation_send(club=club, email=alice.email, invited_by=dana)
    second, new = actions.invitation_resend(invitation=first)
    assert actions.invitation_lookup(old) is None
    assert actions.invitation_lookup(new) == second
    assert OutboxMessage.objects.filter(to_email=alice.email).count() == 2


def test_a_withdrawn_or_expired_invitation_shows_a_kind_dead_end(club, dana, alice):
    invitation, token = actions.invitation_send(club=club, email=alice.email, invited_by=dana)
    actions.invitation_revoke(invitation=invitation)
    response = Client().get(reverse("clubs:invitation", args=[token]))
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()
    _, token = actions.invitation_send(club=club, email=alice.email, invited_by=dana)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert Client().get(reverse("clubs:invitation", args=[token])).status_code == 404


def test_the_link_page_changes_nothing_on_get(club, dana, alice_client, alice):
    _, token = actions.invitation_send(club=club, email=alice.email, invited_by=dana)
    response = alice_client.get(reverse("clubs:invitation", args=[token]))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "strict-origin"
    assert not Membership.objects.exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_member_with_an_account_joins_in_one_press(club, dana, alice_client, alice):
    _, token = actions.invitation_send(club=club, email=alice.email, invited_by=dana)
    response = alice_client.post(reverse("clubs:invitation", args=[token]))
    assert response.status_code == 303
    assert response["Location"] == reverse("clubs:sharing", args=[club.pk])
    assert Membership.objects.get(club=club).user == alice
    # The link is used up.
    assert alice_client.get(reverse("clubs:invitation", args=[token])).status_code == 404


def test_a_newcomer_signs_up_on_the_way_and_comes_back_to_join(club, dana):
    _, token = actions.invitation_send(club=club, email="nia@example.org", invited_by=dana)
    client = Client()
    response = client.post(reverse("clubs:invitation", args=[token]), {"then": "signup"})
    assert response.status_code == 303
    assert token not in response["Location"]
    signup = client.get(response["Location"])
    assert 'value="nia@example.org"' in signup.content.decode()  # prefilled
    response = client.post(
        response["Location"],
        {
            "display_name": "Nia",
            "email": "nia@example.org",
            "password": PASSWORD,
            "timezone": "Europe/London",
            "next": reverse("clubs:join"),
        },
    )
    assert response["Location"] == reverse("clubs:join")
    assert "Join Tuesday Job Club" in client.get(reverse("clubs:join")).content.decode()
    response = client.post(reverse("clubs:join"))
    assert response["Location"] == reverse("clubs:sharing", args=[club.pk])
    assert Membership.objects.get(club=club).user.email == "nia@example.org"


def test_an_existing_account_logs_in_on_the_way(club, dana, alice):
    _, token = actions.invitation_send(club=club, email=alice.email, invited_by=dana)
    client = Client()
    response = client.post(reverse("clubs:invitation", args=[token]), {"then": "login"})
    assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(response["Location"], {"username": alice.email, "password": PASSWORD})
    assert response["Location"] == reverse("clubs:join")
    client.post(reverse("clubs:join"))
    assert Membership.objects.filter(club=club, user=alice).exists()


def test_join_without_an_invitation_says_so_and_does_nothing(charlie_client):
    response = charlie_client.post(reverse("clubs:join"))
    assert response.status_code == 200
    assert "No invitation waiting" in response.content.decode()
    assert not Membership.objects.exists()


def test_signup_next_never_leaves_the_site(db):
    client = Client()
    response = client.post(
        reverse("accounts:signup"),
        {
            "display_name": "Eve",
            "email": "eve@example.org",
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("home")


def test_i_run_a_job_club_goes_on_to_start_one(db):
    response = Client().post(
        reverse("accounts:signup"),
        {
            "purpose": "club",
            "display_name": "Dana",
            "email": "dana2@example.org",
            "password": PASSWORD,
        },
    )
    assert response["Location"] == reverse("clubs:new")


def test_the_facilitator_cannot_join_their_own_club(club, dana):
    invitation, _ = actions.invitation_send(club=club, email=dana.email, invited_by=dana)
    with pytest.raises(actions.ClubError, match="You run this club"):
        actions.invitation_accept(invitation_id=invitation.pk, user=dana)


def test_a_full_club_takes_no_more_invitations_or_members(club, dana, alice, charlie):
    Club.objects.filter(pk=club.pk).update(size_limit=2)
    club.refresh_from_db()
    a, _ = actions.invitation_send(club=club, email=alice.email, invited_by=dana)
    c, _ = actions.invitation_send(club=club, email=charlie.email, invited_by=dana)
    e, _ = actions.invitation_send(club=club, email="eve@example.org", invited_by=dana)
    actions.invitation_accept(invitation_id=a.pk, user=alice)
    actions.invitation_accept(invitation_id=c.pk, user=charlie)
    with pytest.raises(actions.ClubError, match="full"):
        actions.invitation_accept(invitation_id=e.pk, user=make_user("Eve"))
    with pytest.raises(actions.ClubError, match="full"):
        actions.invitation_send(club=club, email="finn@example.org", invited_by=dana)


@pytest.mark.django_db(transaction=True)
def test_the_same_invitation_pressed_twice_at_once_joins_once(dana):
    club = actions.club_create(facilitator=dana, fields={"name": "Race club"})
    nia = make_user("Nia")
    invitation, _ = actions.invitation_send(club=club, email=nia.email, invited_by=dana)
    results = twice(
        lambda: actions.invitation_accept(invitation_id=invitation.pk, user=nia),
        expected=(actions.ClubError,),
    )
    assert Membership.objects.filter(club=club).count() == 1
    assert all(isinstance(r, Membership) for r in results)  # the second finds them in


@pytest.mark.django_db(transaction=True)
def test_two_invitees_for_the_last_seat_at_once_one_gets_in(dana):
    club = actions.club_create(facilitator=dana, fields={"name": "Race club", "size_limit": 2})
    first = make_user("First")
    actions.invitation_accept(
        invitation_id=actions.invitation_send(club=club, email=first.email, invited_by=dana)[0].pk,
        user=first,
    )
    nia, omar = make_user("Nia"), make_user("Omar")
    inv_n, _ = actions.invitation_send(club=club, email=nia.email, invited_by=dana)
    inv_o, _ = actions.invitation_send(club=club, email=omar.email, invited_by=dana)
    results = at_once(
        lambda: actions.invitation_accept(invitation_id=inv_n.pk, user=nia),
        lambda: actions.invitation_accept(invitation_id=inv_o.pk, user=omar),
        expected=(actions.ClubError,),
    )
    assert Membership.objects.filter(club=club, left_at__isnull=True).count() == 2
    assert sorted(type(r).__name__ for r in results) == ["ClubError", "Membership"]


def test_a_club_sends_a_capped_number_of_invitations_a_day(club, dana, monkeypatch):
    monkeypatch.setattr(actions, "INVITATIONS_A_DAY", 3)
    for n in range(3):
        actions.invitation_send(club=club, email=f"p{n}@example.org", invited_by=dana)
    with pytest.raises(actions.ClubError, match="3 invitations in a day"):
        actions.invitation_send(club=club, email="p9@example.org", invited_by=dana)
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    actions.invitation_send(club=club, email="p9@example.org", invited_by=dana)
    assert OutboxMessage.objects.filter(to_email="p9@example.org").count() == 1
