"""When a club meets: the pure schedule, meetings_ensure (idempotent, two at once) and the
calendar's selector."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpwanted.clubs import schedule
from helpwanted.clubs.actions import meetings_ensure, meetings_ensure_all
from helpwanted.clubs.models import Club, Meeting, Membership
from helpwanted.clubs.selectors import meetings_for_user
from tests.concurrency import twice

LONDON = "Europe/London"


def rhythm(**changes) -> schedule.Rhythm:
    base = {
        "weekday": 1,
        "at": time(10, 0),
        "minutes": 90,
        "every_weeks": 1,
        "timezone": LONDON,
        "since": date(2026, 3, 1),
    }
    return schedule.Rhythm(**{**base, **changes})


def test_a_weekly_club_meets_at_the_same_local_time_across_the_spring_change():
    found = schedule.meetings_between(
        rhythm(), datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 4, 10, tzinfo=UTC)
    )
    local = [s.astimezone(ZoneInfo(LONDON)) for s, _ in found]
    assert [d.date() for d in local] == [date(2026, 3, 24), date(2026, 3, 31), date(2026, 4, 7)]
    assert {d.time() for d in local} == {time(10, 0)}
    # The UTC instant moves by the hour the clocks moved.
    assert [s.hour for s, _ in found] == [10, 9, 9]
    assert all(e - s == timedelta(minutes=90) for s, e in found)


def test_a_skipped_local_time_moves_forward_and_a_repeated_one_is_the_first():
    # London skips 01:00-02:00 on 29 March 2026 and repeats it on 25 October 2026 (Sundays).
    skipped = schedule.local_start(date(2026, 3, 29), time(1, 30), ZoneInfo(LONDON))
    assert skipped == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 02:30 summer time
    repeated = schedule.local_start(date(2026, 10, 25), time(1, 30), ZoneInfo(LONDON))
    assert repeated == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 01:30 (summer time)


def test_every_two_weeks_counts_from_the_week_the_club_began():
    found = schedule.meetings_between(
        rhythm(every_weeks=2, since=date(2026, 3, 4)),  # a Wednesday: that week's Tuesday is gone
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 4, 20, tzinfo=UTC),
    )
    assert [s.date() for s, _ in found] == [date(2026, 3, 17), date(2026, 3, 31), date(2026, 4, 14)]


def test_an_unknown_timezone_is_read_as_utc():
    assert schedule.zone("Mars/Olympus") == ZoneInfo("UTC")
    assert not schedule.is_timezone("Mars/Olympus")
    assert schedule.is_timezone(LONDON)


@given(
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    every=st.integers(1, 4),
    tz=st.sampled_from(["UTC", LONDON, "America/New_York", "Australia/Sydney", "Asia/Kolkata"]),
    offset_days=st.integers(0, 400),
)
def test_meetings_are_on_the_weekday_in_order_and_the_rhythm_apart(
    weekday, hour, minute, every, tz, offset_days
):
    r = rhythm(
        weekday=weekday,
        at=time(hour, minute),
        every_weeks=every,
        timezone=tz,
        since=date(2025, 12, 1),
    )
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=offset_days)
    found = schedule.meetings_between(r, start, start + timedelta(weeks=10))
    assert found, "ten weeks always hold a meeting"
    starts = [s for s, _ in found]
    assert starts == sorted(set(starts))
    assert all(start <= s < start + timedelta(weeks=10) for s in starts)
    local_days = [s.astimezone(ZoneInfo(tz)).date() for s in starts]
    assert {d.weekday() for d in local_days} == {weekday}
    assert all((b - a).days == 7 * every for a, b in zip(local_days, local_days[1:], strict=False))
    assert schedule.next_meeting(r, start) == found[0]


@pytest.fixture
def club(dana) -> Club:
    return Club.objects.create(
        name="Tuesday Job Club",
        facilitator=dana,
        timezone=LONDON,
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )


@pytest.mark.django_db
def test_meetings_ensure_creates_each_meeting_once(club):
    since, until = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    first = meetings_ensure(club, until, since=since)
    again = meetings_ensure(club, until, since=since)
    assert len(first) == 9
    assert [m.pk for m in first] == [m.pk for m in again]
    assert Meeting.objects.filter(club=club).count() == 9


@pytest.mark.django_db(transaction=True)
def test_two_servers_ensuring_at_once_make_each_meeting_once(dana):
    club = Club.objects.create(name="Race club", facilitator=dana, timezone=LONDON)
    until = club.created_at + timedelta(weeks=8)
    results = twice(meetings_ensure, club, until)
    assert [m.pk for m in results[0]] == [m.pk for m in results[1]]
    assert Meeting.objects.filter(club=club).count() == len(results[0]) >= 7


@pytest.mark.django_db
def test_an_archived_club_gets_no_new_meetings(club):
    club.archived_at = datetime(2026, 3, 2, tzinfo=UTC)
    club.save(update_fields=["archived_at"])
    meetings_ensure(club, datetime(2026, 5, 1, tzinfo=UTC), since=datetime(2026, 3, 2, tzinfo=UTC))
    assert not Meeting.objects.filter(club=club).exists()


@pytest.mark.django_db
def test_the_tick_fills_twelve_weeks_ahead(club):
    meetings_ensure_all(now=datetime(2026, 3, 2, tzinfo=UTC))
    assert Meeting.objects.filter(club=club).count() == 12


@pytest.mark.django_db
def test_meetings_for_user_shows_members_and_the_facilitator_their_clubs_only(
    club, dana, alice, charlie
):
    since, until = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    meetings_ensure(club, until, since=since)
    other = Club.objects.create(name="Other", facilitator=charlie, created_at=since)
    meetings_ensure(other, until, since=since)
    membership = Membership.objects.create(club=club, user=alice)
    cancelled = Meeting.objects.filter(club=club).first()
    assert cancelled is not None
    cancelled.cancelled_at = since
    cancelled.save(update_fields=["cancelled_at"])

    assert {m.club_id for m in meetings_for_user(dana, since, until)} == {club.pk}
    alices = meetings_for_user(alice, since, until)
    assert {m.club_id for m in alices} == {club.pk}
    assert cancelled not in alices
    assert cancelled in meetings_for_user(alice, since, until, include_cancelled=True)
    assert [m.starts_at for m in alices] == sorted(m.starts_at for m in alices)
    assert {m.club_id for m in meetings_for_user(charlie, since, until)} == {other.pk}

    membership.left_at = since
    membership.save(update_fields=["left_at"])
    assert meetings_for_user(alice, since, until) == []
