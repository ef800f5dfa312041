"""What the facilitator sees: who may need a word, and the club's outcomes (pure, no Django).

"Reach out" is a prompt for the facilitator to make contact first, as a good group leader does,
not a ranking or a score: the list is in the club's own member order, says why in plain words,
and only the facilitator sees it. Each rule reads only what the member shares with the club:
- no asks in 10 days: only if they share their ask counts;
- no club activity in the last two meetings (requests, offers, leads, goals, their week check);
- falling check-ins (hope down by 2 or more within 14 days): only if they share check-in scores;
- a rejection they shared with the club in the last 14 days.
Alumni (they landed) are never on it.
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

NO_ASK_DAYS = 10
QUIET_MEETINGS = 2
HOPE_DROP = 2
HOPE_DAYS = 14
REJECTION_DAYS = 14

REASONS = {
    "no-asks": "hasn't asked anyone for anything in 10 days",
    "quiet": "has been quiet in the club for two meetings",
    "hope": "their check-ins have dipped lately (they share these with the club)",
    "rejection": "shared a rejection with the club",
}


@dataclass(frozen=True)
class MemberSignals:
    is_alumnus: bool
    joined_at: datetime
    shares_asks: bool
    last_ask_at: datetime | None  # their latest ask sent or club request made
    last_activity_at: datetime | None  # their latest request, offer, lead, goal or week check
    shares_checkins: bool
    hope: Sequence[tuple[date, int]] = ()  # (day, hope) for the last HOPE_DAYS, if shared
    last_rejection_shared_at: datetime | None = None


def hope_dipped(points: Sequence[tuple[date, int]], today: date) -> bool:
    """The latest hope is HOPE_DROP or more below an earlier one, both within HOPE_DAYS."""
    recent = sorted(p for p in points if today - p[0] <= timedelta(days=HOPE_DAYS))
    if len(recent) < 2:
        return False
    return max(h for _, h in recent[:-1]) - recent[-1][1] >= HOPE_DROP


def reach_out(
    signals: MemberSignals, *, now: datetime, past_meetings: Sequence[datetime]
) -> list[str]:
    """The reasons (keys of REASONS) to reach out to this member now; [] for none.

    `past_meetings` are the club's meetings that have started, any order.
    """
    if signals.is_alumnus:
        return []
    reasons = []
    no_ask_since = now - timedelta(days=NO_ASK_DAYS)
    if (
        signals.shares_asks
        and signals.joined_at <= no_ask_since
        and (signals.last_ask_at is None or signals.last_ask_at < no_ask_since)
    ):
        reasons.append("no-asks")
    recent = sorted(past_meetings, reverse=True)[:QUIET_MEETINGS]
    if len(recent) == QUIET_MEETINGS:
        since = recent[-1]  # the start of the earlier of the last two meetings
        if signals.joined_at <= since and (
            signals.last_activity_at is None or signals.last_activity_at < since
        ):
            reasons.append("quiet")
    if signals.shares_checkins and hope_dipped(signals.hope, now.date()):
        reasons.append("hope")
    shared = signals.last_rejection_shared_at
    if shared is not None and now - shared <= timedelta(days=REJECTION_DAYS):
        reasons.append("rejection")
    return reasons


@dataclass(frozen=True)
class Outcomes:
    """The club's outcomes for a report: numbers only, never a member's data."""

    joined: int  # everyone who has ever joined
    current: int  # members and alumni in the club now
    landed: int
    weeks_to_land: float | None  # the median, from joining to landing
    requests: int
    requests_with_offers: int
    offers: int
    accepted: int
    fulfilled: int  # requests with at least one fulfilled offer

    def rows(self) -> list[tuple[str, str]]:
        """(figure, value) rows, for the page and the CSV."""
        weeks = "" if self.weeks_to_land is None else f"{self.weeks_to_land:.1f}"
        return [
            ("Members joined", str(self.joined)),
            ("Members now", str(self.current)),
            ("Landed a job", str(self.landed)),
            ("Weeks to land (median)", weeks),
            ("Requests made", str(self.requests)),
            ("Requests that got an offer", str(self.requests_with_offers)),
            ("Offers made", str(self.offers)),
            ("Offers accepted", str(self.accepted)),
            ("Requests fulfilled", str(self.fulfilled)),
        ]


def weeks_to_land(spans: Sequence[tuple[datetime, datetime]]) -> float | None:
    """The median weeks from joining to landing, over (joined, landed) pairs; None if none."""
    weeks = [max(0.0, (landed - joined).total_seconds() / 604800) for joined, landed in spans]
    return round(statistics.median(weeks), 1) if weeks else None
