"""Being in a club: the club page, sharing settings, becoming an alumnus, leaving and being
removed (access ends at the next request; what they shared leaves the club's pages)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpwanted.clubs import actions
from helpwanted.clubs.leads import lead_post
from helpwanted.clubs.meeting import goal_add
from helpwanted.clubs.models import Membership
from helpwanted.clubs.rounds import offer_make, request_post, round_current
from tests.clubs.club_world import make_user, small_club

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def world(dana, alice, charlie):
    return small_club(dana, alice, charlie)


def test_members_and_the_facilitator_see_the_club_and_an_outsider_gets_404(world, dana, alice):
    url = reverse("clubs:detail", args=[world.club.pk])
    assert "Alice Moreau" in client_for(alice).get(url).content.decode()
    page = client_for(dana).get(url).content.decode()
    assert "You run this club" in page
    assert "Charlie Reyes" in page
    assert client_for(make_user("Mallory")).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to log in


def test_sharing_settings_save_and_say_who_sees_what(world, alice):
    client = client_for(alice)
    url = reverse("clubs:sharing", args=[world.club.pk])
    page = client.get(url).content.decode()
    assert "Only your buddy" in page and "Only you. Not the club" in page
    response = client.post(url, {"share_asks": "on", "share_checkins": "on"})
    assert response.status_code == 302
    membership = Membership.objects.get(club=world.club, user=alice)
    assert (membership.share_asks, membership.share_applications, membership.share_checkins) == (
        True,
        False,
        True,
    )
    assert membership.club_emails is False  # unticked means off


def test_the_defaults_share_counts_but_not_check_in_scores(world):
    m = world.memberships[0]
    assert (m.share_asks, m.share_applications, m.share_interviews) == (True, True, True)
    assert m.share_checkins is False


def test_landing_a_job_makes_an_alumnus_who_stays(world, alice):
    client = client_for(alice)
    client.post(reverse("clubs:alumnus", args=[world.club.pk]))
    membership = Membership.objects.get(club=world.club, user=alice)
    assert membership.role == Membership.Role.ALUMNUS and membership.landed_at is not None
    page = client.get(reverse("clubs:detail", args=[world.club.pk])).content.decode()
    assert "You're an alumnus" in page


def _share_everything(membership: Membership, other: Membership) -> dict[str, str]:
    """The member makes a request, an offer, a lead and a goal; returns their texts."""
    round_ = round_current(membership.club)
    assert round_ is not None
    today = timezone.localdate()
    request_post(
        membership=membership,
        round_=round_,
        fields={"kind": "advice", "text": "REQUEST-OF-LEAVER", "why": "It matters."},
        today=today,
    )
    theirs = request_post(
        membership=other,
        round_=round_,
        fields={"kind": "advice", "text": "A request of the one who stays"},
        today=today,
    )
    offer_make(membership=membership, club_request=theirs, kind="other", note="OFFER-OF-LEAVER")
    lead_post(giver=membership, fields={"company": "LEAD-CO-OF-LEAVER", "role": "Designer"})
    goal_add(membership=membership, meeting=round_.meeting, text="GOAL-OF-LEAVER")
    return {"round": reverse("clubs:round", args=[membership.club_id])}


def test_leaving_ends_access_at_the_next_request_and_takes_what_they_shared(world, dana, alice):
    alice_m, charlie_m = world.memberships
    urls = _share_everything(alice_m, charlie_m)
    round_ = round_current(world.club)
    assert round_ is not None
    pages = [
        urls["round"],
        reverse("clubs:leads", args=[world.club.pk]),
        reverse("clubs:meeting", args=[round_.meeting_id]),
        reverse("clubs:detail", args=[world.club.pk]),
    ]
    markers = ["REQUEST-OF-LEAVER", "OFFER-OF-LEAVER", "LEAD-CO-OF-LEAVER", "GOAL-OF-LEAVER"]
    facilitator = client_for(dana)
    before = "".join(facilitator.get(p).content.decode() for p in pages)
    assert all(marker in before for marker in markers)

    alice_client = client_for(alice)
    assert alice_client.get(pages[3]).status_code == 200
    alice_client.post(reverse("clubs:leave", args=[world.club.pk]))
    for page in pages:
        assert alice_client.get(page).status_code == 404, page  # the very next request
    after = "".join(facilitator.get(p).content.decode() for p in pages)
    after += "".join(client_for(world.memberships[1].user).get(p).content.decode() for p in pages)
    assert [m for m in markers if m in after] == []
    assert "Alice Moreau" not in after


def test_a_member_removed_by_the_facilitator_is_out_at_once(world, dana, alice):
    alice_client = client_for(alice)
    url = reverse("clubs:detail", args=[world.club.pk])
    assert alice_client.get(url).status_code == 200
    membership = world.memberships[0]
    confirm = client_for(dana).get(reverse("clubs:member_remove", args=[membership.pk]))
    assert "Remove Alice Moreau" in confirm.content.decode()
    client_for(dana).post(reverse("clubs:member_remove", args=[membership.pk]))
    assert alice_client.get(url).status_code == 404
    assert alice_client.get(reverse("clubs:sharing", args=[world.club.pk])).status_code == 404


def test_a_member_cannot_remove_another(world, alice):
    other = world.memberships[1]
    response = client_for(alice).post(reverse("clubs:member_remove", args=[other.pk]))
    assert response.status_code == 404
    assert Membership.objects.get(pk=other.pk).left_at is None


def test_leaving_frees_the_buddy(world):
    alice_m, charlie_m = world.memberships
    actions.buddy_pair(first=alice_m, second=charlie_m)
    actions.membership_leave(membership=alice_m)
    charlie_m.refresh_from_db()
    assert charlie_m.buddy_id is None


def test_someone_who_left_can_be_invited_back_and_starts_fresh(world, dana, alice):
    alice_m = world.memberships[0]
    actions.membership_leave(membership=alice_m)
    invitation, _ = actions.invitation_send(club=world.club, email=alice.email, invited_by=dana)
    again = actions.invitation_accept(invitation_id=invitation.pk, user=alice)
    assert again.pk == alice_m.pk and again.left_at is None


def test_creating_a_club_validates_what_was_typed(dana):
    client = client_for(dana)
    response = client.post(
        reverse("clubs:new"),
        {
            "name": "",
            "meeting_weekday": "9",
            "meeting_time": "25:99",
            "meeting_minutes": "5",
            "every_weeks": "1",
            "timezone": "Mars/Olympus",
            "size_limit": "500",
            "place": "Library",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Give the club a name",
        "Enter a time like 10:00",
        "at least 15 minutes",
        "30 people or fewer",
        "Library",
    ):
        assert message in page, message


def test_a_new_club_has_its_meetings_and_goes_on_to_invite(dana):
    client = client_for(dana)
    response = client.post(
        reverse("clubs:new"),
        {
            "name": "Tuesday Job Club",
            "meeting_weekday": "1",
            "meeting_time": "10:00",
            "meeting_minutes": "90",
            "every_weeks": "1",
            "timezone": "Europe/London",
            "size_limit": "12",
            "place": "Central Library, room 2",
        },
    )
    club = dana.clubs_run.get()
    assert response["Location"] == reverse("clubs:invite", args=[club.pk])
    assert club.meetings.count() == 12


def test_the_size_limit_cannot_go_below_the_members_now(world, dana):
    response = client_for(dana).post(
        reverse("clubs:edit", args=[world.club.pk]),
        {
            "name": "T",
            "meeting_weekday": "1",
            "meeting_time": "10:00",
            "meeting_minutes": "90",
            "every_weeks": "1",
            "timezone": "UTC",
            "size_limit": "2",
            "place": "",
        },
    )
    assert response.status_code == 302
    response = client_for(dana).post(
        reverse("clubs:edit", args=[world.club.pk]),
        {
            "name": "T",
            "meeting_weekday": "1",
            "meeting_time": "10:00",
            "meeting_minutes": "90",
            "every_weeks": "1",
            "timezone": "UTC",
            "size_limit": "1",
            "place": "",
        },
    )
    assert "at least 2" in response.content.decode()


def test_a_new_rhythm_cancels_the_old_meetings_and_makes_new_ones(world, dana):
    before = set(world.club.meetings.filter(cancelled_at__isnull=True).values_list("pk", flat=True))
    actions.club_edit(club=world.club, fields={"meeting_weekday": 3})
    old = world.club.meetings.filter(pk__in=before, starts_at__gte=timezone.now())
    assert old.exists() and all(m.cancelled_at and m.sequence == 1 for m in old)
    live = world.club.meetings.filter(cancelled_at__isnull=True, starts_at__gte=timezone.now())
    assert live.exists()
    assert {m.starts_at.astimezone(timezone.get_default_timezone()).weekday() for m in live} == {3}


def test_a_member_shares_one_update_with_the_club_and_can_take_it_back(world, dana, alice):
    from helpwanted.journey.updates import update_post

    shared = update_post(
        owner=alice, kind="rejection", text="No from Acme, onwards", audience="inner"
    )
    update_post(owner=alice, kind="feelings", text="Kept for my inner circle", audience="inner")
    url = reverse("clubs:updates", args=[world.club.pk])
    alice_client = client_for(alice)
    alice_client.post(url, {"action": "share", "update": shared.pk})
    page = client_for(world.memberships[1].user).get(url).content.decode()
    assert "No from Acme, onwards" in page
    assert "Kept for my inner circle" not in page
    assert "No from Acme, onwards" in client_for(dana).get(url).content.decode()
    alice_client.post(url, {"action": "unshare", "update": shared.pk})
    assert "No from Acme" not in client_for(dana).get(url).content.decode()


def test_nobody_shares_someone_elses_update(world, alice, charlie):
    from helpwanted.clubs.models import SharedUpdate
    from helpwanted.journey.updates import update_post

    theirs = update_post(owner=charlie, kind="win", text="Charlie's own", audience="inner")
    response = client_for(alice).post(
        reverse("clubs:updates", args=[world.club.pk]),
        {"action": "share", "update": theirs.pk},
        follow=True,
    )
    assert "Choose one of your updates" in response.content.decode()
    assert not SharedUpdate.objects.exists()
    response = client_for(alice).post(
        reverse("clubs:updates", args=[world.club.pk]), {"action": "share", "update": "²"}
    )
    assert response.status_code == 302 and not SharedUpdate.objects.exists()


def test_a_leavers_shared_updates_leave_the_club_page(world, dana, alice):
    from helpwanted.journey.updates import update_post

    shared = update_post(owner=alice, kind="win", text="An offer from Lumen!", audience="inner")
    actions.update_share(membership=world.memberships[0], update=shared)
    url = reverse("clubs:updates", args=[world.club.pk])
    assert "An offer from Lumen!" in client_for(dana).get(url).content.decode()
    actions.membership_leave(membership=world.memberships[0])
    assert "An offer from Lumen!" not in client_for(dana).get(url).content.decode()


def test_a_facilitator_runs_several_clubs_and_a_seeker_is_in_more_than_one(dana, alice):
    small_club(dana, alice, name="Tuesday Job Club")
    small_club(dana, alice, name="Thursday Club")
    for user in (dana, alice):
        page = client_for(user).get(reverse("clubs:index")).content.decode()
        assert "Tuesday Job Club" in page and "Thursday Club" in page
    page = client_for(alice).get(reverse("clubs:index")).content.decode()
    assert page.count("You're a member.") == 2
