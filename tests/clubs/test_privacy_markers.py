"""Club privacy with planted markers (docs/security.md, "Job clubs").

Every person in two clubs (a facilitator, members, an alumna, one who left, the other club's
facilitator and member) gets a unique marker in every private field: the names and notes of people in their
network, check-in notes, updates not shared with the club, asks outside the club (request and
why), opportunities, and their buddy-only week check; facilitators also get a private meeting
note. The pages to visit are generated from the URLconf: every pattern in the `clubs` namespace
plus the pages that read club data, each filled with every id of the world. Each page is fetched
as every viewer (each member, the alumna, the facilitator, the other club's facilitator and
member, the one who left, and an anonymous visitor), and no marker of anyone else may appear.
What the one who left had shared with the club (a request, an offer, a lead, a goal, an update)
is a marker too: it must be gone from every page. Then the club email
jobs run and every email is scanned the same way.

A new club view is covered as soon as it is in the URLconf; if the world can't fill one of its
parameters, the test fails and says what to add.
"""

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.actions import ask_create, ask_send
from helpwanted.clubs import actions
from helpwanted.clubs.leads import lead_post
from helpwanted.clubs.meeting import goal_add, note_add
from helpwanted.clubs.models import (
    ClubRequest,
    FacilitatorNote,
    Goal,
    Invitation,
    Lead,
    Meeting,
    Membership,
    Offer,
    Round,
    SharedUpdate,
)
from helpwanted.clubs.rounds import offer_accept, offer_make, request_post, round_current
from helpwanted.elsewhere.feeds import derive_token, feed_rotate
from helpwanted.journey.checkins import checkin_save
from helpwanted.journey.opportunities import opportunity_create
from helpwanted.journey.updates import update_post
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from tests.clubs.club_world import make_user

# Pages outside the clubs namespace that read club data: the home page's club card, the pages
# where an accepted offer or a taken lead lands (asks, people, opportunities), updates, the
# work-search record; and each viewer's own calendar feed (club meetings), added per viewer.
ALSO = [
    "home",
    "asks:list",
    "network:people",
    "journey:opportunities",
    "journey:updates",
    "elsewhere:worklog",
]

# The club email jobs (clubs/jobs.py), called if present, each with now=.
JOBS = ["meeting_reminders_send", "offers_notify", "buddy_quiet_emails_send", "club_weekly_send"]


def private_fields(tag: str) -> list[str]:
    return [
        f"PERSONNAME{tag}",
        f"PERSONNOTE{tag}",
        f"CHECKINNOTE{tag}",
        f"UNSHARED{tag}",
        f"ASKOUTSIDE{tag}",
        f"ASKWHY{tag}",
        f"OPPCO{tag}",
        f"OPPNOTE{tag}",
    ]


@dataclass
class World:
    people: dict[str, User]
    markers: dict[str, set[str]] = field(default_factory=dict)  # marker -> who may see it
    values: dict[str, list[object]] = field(default_factory=dict)  # URL argument -> values


def plant(world: World, tag: str, user: User) -> None:
    """Unique strings in every private field of this person's own records."""
    for marker in private_fields(tag):
        world.markers[marker] = {tag}
    person = person_create(
        owner=user,
        fields={
            "name": f"Ruth PERSONNAME{tag}",
            "emails": [f"ruth.{tag.lower()}@example.org"],
            "notes": f"PERSONNOTE{tag}",
        },
    )
    checkin_save(
        owner=user,
        day=timezone.localdate() - timedelta(days=1),
        hope=4,
        energy=3,
        confidence=3,
        note=f"CHECKINNOTE{tag}",
    )
    update_post(owner=user, kind="rejection", text=f"UNSHARED{tag}", audience="inner")
    ask = ask_create(
        owner=user,
        fields={"kind": "advice", "request": f"ASKOUTSIDE{tag}", "why": f"ASKWHY{tag}"},
        people=[person],
    )
    ask_send(ask=ask)
    opportunity_create(
        owner=user, fields={"company": f"OPPCO{tag}", "role": "Designer", "notes": f"OPPNOTE{tag}"}
    )


def build_world() -> World:
    names = ["Dana", "Alice", "Charlie", "Erin", "Fay", "Gus"]
    people = {name.upper(): make_user(name) for name in [*names, "Hal"]}
    world = World(people=people)
    for tag, user in people.items():
        plant(world, tag, user)
    dana, alice, charlie, erin, fay, gus = (people[n.upper()] for n in names)

    club = actions.club_create(facilitator=dana, fields={"name": "Tuesday Job Club"})
    other = actions.club_create(facilitator=fay, fields={"name": "Thursday Club"})
    members = {}
    for user, into in ((alice, club), (charlie, club), (erin, club), (gus, other)):
        invitation, _ = actions.invitation_send(
            club=into, email=user.email, invited_by=into.facilitator
        )
        members[user.display_name.upper()] = actions.invitation_accept(
            invitation_id=invitation.pk, user=user
        )
    a, c, e, g = (members[t] for t in ("ALICE", "CHARLIE", "ERIN", "GUS"))
    # alice shares her check-in scores (never the notes); erin landed and stays on.
    Membership.objects.filter(pk=a.pk).update(share_checkins=True)
    actions.membership_alumnus(membership=e)
    actions.buddy_pair(first=a, second=c)

    # The round: requests, offers, one accepted (now an ask of alice's), leads, goals, notes.
    today = timezone.localdate()
    for club_ in (club, other):
        round_ = round_current(club_)
        assert round_ is not None
    round_a = round_current(club)
    assert round_a is not None
    asked = request_post(
        membership=a,
        round_=round_a,
        fields={"kind": "introduction", "text": "An intro to a design lead", "why": "Switching"},
        today=today,
    )
    charlies = request_post(
        membership=c, round_=round_a, fields={"kind": "review", "text": "A CV review"}, today=today
    )
    taken = offer_make(membership=c, club_request=asked, kind="intro", note="I know one")
    offer_make(membership=e, club_request=asked, kind="review", note="Happy to")
    offer_make(membership=a, club_request=charlies, kind="review", note="Send it over")
    offer_accept(offer=taken)
    lead_post(giver=a, fields={"company": "Lumen Labs", "role": "UX", "for_member": c})
    lead_post(giver=e, fields={"company": "Acme", "role": "Research"})
    lead_post(giver=g, fields={"company": "Other Co", "role": "PM"})
    for m in (a, c):
        goal_add(membership=m, meeting=round_a.meeting, text=f"A goal of {m.user.display_name}")
    # Week checks are for the buddy only: alice's may reach charlie and the other way round.
    for m, tag, buddy in ((a, "ALICE", "CHARLIE"), (c, "CHARLIE", "ALICE"), (e, "ERIN", None)):
        actions.week_check_save(membership=m, text=f"WEEKCHECK{tag}", today=today)
        world.markers[f"WEEKCHECK{tag}"] = {tag, buddy} if buddy else {tag}
    actions.week_check_save(membership=g, text="WEEKCHECKGUS", today=today)
    world.markers["WEEKCHECKGUS"] = {"GUS"}
    # Facilitator notes: one for the club (not a marker), one only for themself.
    note_add(meeting=round_a.meeting, author=dana, text="Welcome, everyone", visibility="club")
    for facilitator, meeting_club, tag in ((dana, club, "DANA"), (fay, other, "FAY")):
        meeting = meeting_club.meetings.order_by("starts_at").first()
        note_add(meeting=meeting, author=facilitator, text=f"FACNOTE{tag}", visibility="private")
        world.markers[f"FACNOTE{tag}"] = {tag}
    # alice shares one update with the club (club-visible, so not a marker).
    shared = update_post(owner=alice, kind="progress", text="Two interviews", audience="inner")
    SharedUpdate.objects.create(club=club, update=shared)
    # hal shared things with the club, then left: from then on they are his alone.
    hal_invitation, _ = actions.invitation_send(
        club=club, email=people["HAL"].email, invited_by=dana
    )
    hal = actions.invitation_accept(invitation_id=hal_invitation.pk, user=people["HAL"])
    request_post(
        membership=hal, round_=round_a, fields={"kind": "advice", "text": "HALREQUEST"}, today=today
    )
    offer_make(membership=hal, club_request=asked, kind="other", note="HALOFFER")
    lead_post(giver=hal, fields={"company": "HALLEADCO", "role": "PM"})
    goal_add(membership=hal, meeting=round_a.meeting, text="HALGOAL")
    hal_update = update_post(owner=people["HAL"], kind="win", text="HALSHARED", audience="inner")
    actions.update_share(membership=hal, update=hal_update)
    actions.membership_leave(membership=hal)
    for marker in ("HALREQUEST", "HALOFFER", "HALLEADCO", "HALGOAL", "HALSHARED"):
        world.markers[marker] = {"HAL"}
    # A pending invitation, for the invitation pages.
    _, token = actions.invitation_send(club=club, email="nia@example.org", invited_by=dana)

    from helpwanted.clubs import emails

    world.values = {
        "club_id": [club.pk, other.pk],
        "meeting_id": list(
            Meeting.objects.filter(club__in=[club, other]).values_list("pk", flat=True)[:3]
        )
        + [round_a.meeting_id],
        "round_id": list(Round.objects.values_list("pk", flat=True)),
        "request_id": list(ClubRequest.objects.values_list("pk", flat=True)),
        "offer_id": list(Offer.objects.values_list("pk", flat=True)),
        "lead_id": list(Lead.objects.values_list("pk", flat=True)),
        "goal_id": list(Goal.objects.values_list("pk", flat=True)),
        "membership_id": list(Membership.objects.values_list("pk", flat=True)),
        "invitation_id": list(Invitation.objects.values_list("pk", flat=True)),
        "token": [token],
        "value": [emails.unsubscribe_value(m) for m in (a, c)],
    }
    assert FacilitatorNote.objects.filter(visibility="private").count() == 2
    return world


def club_routes() -> list[tuple[str, list[str]]]:
    """(name, its URL arguments) for every pattern in the clubs namespace, walked from the root."""
    found = []

    def walk(patterns, namespace: str, args: tuple[str, ...]) -> None:
        for entry in patterns:
            here = tuple(getattr(entry.pattern, "converters", {}))
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                walk(entry.url_patterns, inner, args + here)
            elif isinstance(entry, URLPattern) and namespace == "clubs":
                found.append((f"clubs:{entry.name}", list(args + here)))

    walk(get_resolver().url_patterns, "", ())
    return found


def urls(world: World) -> list[str]:
    found = [reverse(name) for name in ALSO]
    for name, args in club_routes():
        missing = [arg for arg in args if arg not in world.values]
        if missing:
            pytest.fail(
                f"{name}: the privacy world can't fill {missing}. Add its values to "
                "world.values in tests/clubs/test_privacy_markers.py build_world()."
            )
        for combo in itertools.product(*(world.values[arg] for arg in args)):
            found.append(reverse(name, kwargs=dict(zip(args, combo, strict=True))))
    return found


def leaks(text: str, world: World, viewer: str) -> list[str]:
    return [m for m, allowed in world.markers.items() if viewer not in allowed and m in text]


@pytest.fixture
def world(db) -> World:
    return build_world()


def test_every_club_url_name_is_visited(world):
    names = {name for name, _ in club_routes()}
    assert names, "the clubs namespace has patterns"
    visited = set()
    for name, args in club_routes():
        if all(arg in world.values for arg in args):
            visited.add(name)
    assert visited == names
    # And the generated list really holds a URL for each.
    generated = urls(world)
    for name, args in club_routes():
        combo = next(itertools.product(*(world.values[arg] for arg in args)))
        assert reverse(name, kwargs=dict(zip(args, combo, strict=True))) in generated


def test_no_private_marker_reaches_anyone_else_on_any_club_page(world):
    viewers: dict[str, Client] = {"ANONYMOUS": Client()}
    for tag, user in world.people.items():
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        viewers[tag] = client
    found: list[str] = []
    seen_ok = 0
    pages = [(url, tag) for url in urls(world) for tag in viewers]
    for tag, user in world.people.items():  # each viewer's own calendar feed
        token = derive_token(feed_rotate(user=user).nonce)
        pages.append((reverse("elsewhere:feed", args=[token]), tag))
    for url, tag in pages:
        response = viewers[tag].get(url)
        if response.status_code == 200:
            seen_ok += 1
        text = response.content.decode(errors="replace")
        found += [f"{tag} sees {m} on {url}" for m in leaks(text, world, tag)]
    assert found == []
    assert seen_ok > 50  # the pages were really seen, not all 404s


def test_each_marker_shows_to_its_owner_so_the_test_can_see_them(world):
    """The check above means something: the planted fields do reach pages, for their owner."""
    owner = Client()
    owner.force_login(world.people["CHARLIE"], backend="django.contrib.auth.backends.ModelBackend")
    club_id = world.values["club_id"][0]
    buddy_page = owner.get(reverse("clubs:buddy", args=[club_id])).content.decode()
    assert "WEEKCHECKALICE" in buddy_page  # her buddy sees it
    people = owner.get(reverse("network:people")).content.decode()
    assert "PERSONNAMECHARLIE" in people
    dana = Client()
    dana.force_login(world.people["DANA"], backend="django.contrib.auth.backends.ModelBackend")
    meeting = Meeting.objects.get(notes__text="FACNOTEDANA")
    assert "FACNOTEDANA" in dana.get(reverse("clubs:meeting", args=[meeting.pk])).content.decode()


def test_no_private_marker_reaches_anyone_else_by_email(world):
    from importlib import import_module

    try:
        jobs = import_module("helpwanted.clubs.jobs")
    except ImportError:  # pragma: no cover (the jobs module arrives with the club emails)
        jobs = None
    now = timezone.now()
    meeting = Meeting.objects.filter(starts_at__gt=now).order_by("starts_at").first()
    assert meeting is not None
    moments = [
        now,
        meeting.starts_at - timedelta(hours=20),
        now + timedelta(days=7),
        now + timedelta(days=11),
    ]
    ran = 0
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            for name in JOBS:
                job = getattr(jobs, name, None)
                if job is not None:
                    job(now=moment)
                    ran += 1
    by_email = {u.email: tag for tag, u in world.people.items()}
    found = []
    for message in OutboxMessage.objects.all():
        # Sent on someone's behalf (their ask to their own person) may carry their own words.
        senders = {by_email.get(message.to_email, "SOMEONE ELSE")}
        if message.user_id:
            senders.add(by_email.get(message.user.email, ""))
        text = f"{message.subject}\n{message.body_text}\n{message.body_html}"
        for marker, allowed in world.markers.items():
            if marker in text and not (allowed & senders):
                found.append(f"{marker} in {message.key} to {message.to_email}")
    assert found == []
    club_emails = OutboxMessage.objects.filter(key__startswith="club-").exclude(
        key__startswith="club-invite"
    )
    if ran:
        assert club_emails.exists()  # the jobs really sent something to scan
