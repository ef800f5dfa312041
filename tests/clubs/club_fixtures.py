"""A small club for the email and job tests: dana runs it; alice, charlie and eve are members.

Rows are made directly: these tests are about who is emailed and when, not how rows are made.
"""

import datetime as dt

from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.clubs.models import Club, ClubRequest, Meeting, Membership, Offer, Round

# Monday 2 March 2026, 10:00 UTC (ISO week 10); the club meets on Tuesdays at 10:00 UTC.
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
TUESDAY_MEETING = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)


def make_club(facilitator: User, *members: User, name: str = "Tuesday Job Club") -> Club:
    club = Club.objects.create(
        name=name,
        facilitator=facilitator,
        meeting_weekday=1,
        meeting_time=dt.time(10, 0),
        timezone="UTC",
        place="Central Library, room 2",
        created_at=MONDAY - dt.timedelta(weeks=4),
    )
    for user in members:
        Membership.objects.create(club=club, user=user, joined_at=MONDAY - dt.timedelta(weeks=3))
    return club


def member(club: Club, user: User) -> Membership:
    return Membership.objects.select_related("user", "club").get(club=club, user=user)


def meeting_at(club: Club, starts_at: dt.datetime) -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        club=club,
        starts_at=starts_at,
        defaults={"ends_at": starts_at + dt.timedelta(minutes=90), "place": club.place},
    )
    return meeting


def request_in(meeting: Meeting, membership: Membership, text: str) -> ClubRequest:
    round_, _ = Round.objects.get_or_create(meeting=meeting)
    return ClubRequest.objects.create(round=round_, membership=membership, text=text)


def offer_on(request: ClubRequest, membership: Membership, note: str = "") -> Offer:
    return Offer.objects.create(
        request=request,
        membership=membership,
        kind=Offer.Kind.INTRO,
        note=note,
        created_at=timezone.now(),
    )


def user(email: str, name: str, tz: str = "UTC") -> User:
    return User.objects.create_user(email=email, password=None, display_name=name, timezone=tz)
