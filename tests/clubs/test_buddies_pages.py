"""Buddies: the facilitator pairs, members pick each other (both must say yes), both sides in
step under a lock, the weekly "How did your week go?", and the buddy panel with the buddy's
goals and check, seen by the buddy only."""

import pytest
from django.test import Client
from django.urls import reverse

from helpwanted.clubs import actions
from helpwanted.clubs.meeting import goal_add
from helpwanted.clubs.models import Membership, WeekCheck
from tests.clubs.club_world import make_user, small_club
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def world(dana, alice, charlie):
    return small_club(dana, alice, charlie, make_user("Omar"))


def _fresh(*memberships: Membership) -> list[Membership]:
    return [Membership.objects.get(pk=m.pk) for m in memberships]


def test_the_facilitator_pairs_two_members_and_both_sides_point_at_each_other(world, dana):
    a, c, _o = world.memberships
    response = client_for(dana).post(
        reverse("clubs:buddies", args=[world.club.pk]), {"first": a.pk, "second": c.pk}
    )
    assert response.status_code == 302
    a, c = _fresh(a, c)
    assert (a.buddy_id, c.buddy_id) == (c.pk, a.pk)
    page = client_for(dana).get(reverse("clubs:buddies", args=[world.club.pk])).content.decode()
    assert "Alice Moreau and Charlie Reyes" in page


def test_pairing_someone_twice_over_is_refused_with_a_message(world, dana):
    a, c, o = world.memberships
    actions.buddy_pair(first=a, second=c)
    with pytest.raises(actions.ClubError, match="already has a buddy"):
        actions.buddy_pair(first=_fresh(a)[0], second=o)
    response = client_for(dana).post(
        reverse("clubs:buddies", args=[world.club.pk]), {"first": a.pk, "second": o.pk}
    )
    assert "Choose a member of this club" in response.content.decode()  # a isn't free
    assert _fresh(o)[0].buddy_id is None


def test_the_same_member_twice_is_refused(world, dana):
    a = world.memberships[0]
    response = client_for(dana).post(
        reverse("clubs:buddies", args=[world.club.pk]), {"first": a.pk, "second": a.pk}
    )
    assert "Choose two different members" in response.content.decode()


def test_members_pick_each_other_and_are_paired_when_both_say_yes(world, alice, charlie):
    a, c, _o = world.memberships
    client_for(alice).post(reverse("clubs:buddy_pick", args=[world.club.pk]), {"other": c.pk})
    a, c = _fresh(a, c)
    assert a.buddy_id is None and a.buddy_wanted_id == c.pk
    page = client_for(charlie).get(reverse("clubs:buddy", args=[world.club.pk])).content.decode()
    assert "They'd like to be your buddy" in page and "Alice Moreau" in page
    client_for(charlie).post(reverse("clubs:buddy_pick", args=[world.club.pk]), {"other": a.pk})
    a, c = _fresh(a, c)
    assert (a.buddy_id, c.buddy_id) == (c.pk, a.pk)
    assert a.buddy_wanted_id is None and c.buddy_wanted_id is None


def test_picking_someone_from_another_club_is_refused(world, alice):
    elsewhere = small_club(make_user("Fay"), make_user("Zoe"), name="Other club")
    response = client_for(alice).post(
        reverse("clubs:buddy_pick", args=[world.club.pk]),
        {"other": elsewhere.memberships[0].pk},
        follow=True,
    )
    assert "Choose someone who is in this club" in response.content.decode()
    assert _fresh(world.memberships[0])[0].buddy_wanted_id is None


def test_unpairing_frees_both(world, alice):
    a, c, _o = world.memberships
    actions.buddy_pair(first=a, second=c)
    client_for(alice).post(reverse("clubs:buddy_leave", args=[world.club.pk]))
    assert [m.buddy_id for m in _fresh(a, c)] == [None, None]


def test_the_buddy_sees_goals_and_the_week_check_and_nobody_else_sees_the_check(
    world, dana, alice, charlie
):
    a, c, o = world.memberships
    actions.buddy_pair(first=a, second=c)
    meeting = world.club.meetings.order_by("starts_at").first()
    goal_add(membership=a, meeting=meeting, text="Send two applications")
    client_for(alice).post(
        reverse("clubs:week_check", args=[world.club.pk]), {"text": "A hard week, but WEEKLINE"}
    )
    assert WeekCheck.objects.get(membership=a).week_of.weekday() == 0
    page = client_for(charlie).get(reverse("clubs:buddy", args=[world.club.pk])).content.decode()
    assert "Send two applications" in page and "WEEKLINE" in page
    omar_page = client_for(o.user).get(reverse("clubs:buddy", args=[world.club.pk]))
    assert "WEEKLINE" not in omar_page.content.decode()
    for url in (
        reverse("clubs:detail", args=[world.club.pk]),
        reverse("clubs:facilitator", args=[world.club.pk]),
    ):
        assert "WEEKLINE" not in client_for(dana).get(url).content.decode()


def test_a_second_check_in_the_same_week_edits_the_first(world, alice):
    client = client_for(alice)
    url = reverse("clubs:week_check", args=[world.club.pk])
    client.post(url, {"text": "First"})
    client.post(url, {"text": "Second thoughts"})
    assert list(WeekCheck.objects.values_list("text", flat=True)) == ["Second thoughts"]


def test_an_empty_or_long_check_is_refused_and_what_was_typed_is_kept(world, alice):
    actions.buddy_pair(first=world.memberships[0], second=world.memberships[1])
    client = client_for(alice)
    url = reverse("clubs:week_check", args=[world.club.pk])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400
    assert "Write a line about your week first" in response.content.decode()
    long_text = "x" * 501
    response = client.post(url, {"text": long_text})
    assert "under 500 characters" in response.content.decode()
    assert long_text in response.content.decode()
    assert "You and Charlie Reyes check on each other" in response.content.decode()
    assert not WeekCheck.objects.exists()


def test_the_home_page_shows_the_club_card_with_the_next_meeting_and_buddy(world, alice):
    a, c, _o = world.memberships
    actions.buddy_pair(first=a, second=c)
    page = client_for(alice).get(reverse("home")).content.decode()
    assert "Tuesday Job Club" in page
    assert "Your buddy:" in page and "Charlie Reyes" in page
    assert "Next meeting:" in page
    assert 'href="/clubs/"' in page  # the nav shows Clubs to a member


def test_someone_in_no_club_can_start_one_from_home_and_from_the_clubs_page(charlie_client):
    page = charlie_client.get(reverse("home")).content.decode()
    assert "Start a job club" in page
    clubs = charlie_client.get(reverse("clubs:index")).content.decode()
    assert "You're not in a club yet." in clubs
    assert reverse("clubs:new") in clubs


@pytest.mark.django_db(transaction=True)
def test_two_pairings_of_the_same_member_at_once_make_one_pair(dana):
    world = small_club(dana, make_user("Ann"), make_user("Ben"), make_user("Cat"))
    a, b, c = world.memberships
    results = at_once(
        lambda: actions.buddy_pair(first=a, second=b),
        lambda: actions.buddy_pair(first=a, second=c),
        expected=(actions.ClubError,),
    )
    assert sum(isinstance(r, actions.ClubError) for r in results) == 1
    a, b, c = _fresh(a, b, c)
    partner = b if a.buddy_id == b.pk else c
    other = c if partner is b else b
    assert partner.buddy_id == a.pk and other.buddy_id is None


@pytest.mark.django_db(transaction=True)
def test_two_members_picking_each_other_at_once_end_up_paired(dana):
    world = small_club(dana, make_user("Ann"), make_user("Ben"))
    a, b = world.memberships
    at_once(
        lambda: actions.buddy_want(membership=a, other=b),
        lambda: actions.buddy_want(membership=b, other=a),
        expected=(actions.ClubError,),
    )
    a, b = _fresh(a, b)
    assert (a.buddy_id, b.buddy_id) == (b.pk, a.pk)
