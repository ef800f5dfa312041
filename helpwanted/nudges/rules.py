"""Next steps and the early-ask signal: pure rules over plain data.

No Django here. The selector (nudges/steps.py) loads a `StepInputs` for one seeker; `next_steps`
turns it into at most `MAX_STEPS` steps, best first, and `early_ask` says whether now is a good
moment to ask someone close for one small thing, and why.

Every date is the seeker's local date. "Within the last N days" means 0 to N-1 days ago, so with
N = 14 a thing from 13 days ago counts and one from 14 days ago does not. "For N days" means
N days or more have passed.

Each step has a stable key ("thank:42") so that a done or dismissed step can be snoozed: it stays
away until the snooze ends, and comes back only if it is still true then.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

__all__ = [
    "MAX_STEPS",
    "EARLY_ASK_KEY",
    "SNOOZE_DAYS",
    "Answered",
    "BUDDY_QUIET_DAYS",
    "QuietBuddy",
    "buddy_is_quiet",
    "Bounced",
    "CheckInPoint",
    "EarlyAsk",
    "Offer",
    "Step",
    "StepInputs",
    "Suggested",
    "TargetCount",
    "Thankable",
    "Thresholds",
    "Waiting",
    "early_ask",
    "early_ask_kind",
    "early_ask_query",
    "early_ask_text",
    "next_steps",
    "snooze_days",
    "suggested_request",
    "valid_key",
]

MAX_STEPS = 5
UPDATE_QUIET_DAYS = 14  # suggest sharing an update after this long without one
WELCOME_QUIET_DAYS = 90  # a helper who answers after this long quiet is welcomed back
WELCOME_RECENT_DAYS = 14  # ... if their answer came within this many days
REFERRAL_ASK_DAYS = 30  # a referral ask at a target this recent means the step is done

# How valuable each kind of step is; higher first. Answers owed to people come before things
# the seeker could start, because someone is waiting on them.
VALUE = {
    "offer": 100,
    "thank": 90,
    "bounced": 85,  # nothing sent to them arrives until the seeker checks their address
    "buddy": 65,  # a club buddy gone quiet: a word from a peer, not a task
    "follow-up": 80,
    "suggested": 75,
    "welcome": 70,
    "referral": 60,
    "ask-new": 50,
    "update": 40,
    "checkin": 30,
}
# "Not now" hides a step for this many days: long enough to be a real break, short enough that
# a thing still worth doing comes back.
SNOOZE_DAYS = {
    "offer": 3,
    "thank": 7,
    "bounced": 7,
    "buddy": 7,
    "follow-up": 3,
    "suggested": 7,
    "welcome": 14,
    "referral": 14,
    "ask-new": 7,
    "update": 7,
    "checkin": 7,
    "early-ask": 7,
}
EARLY_ASK_KEY = "early-ask:card"  # "Not now" on the early-ask suggestion snoozes this key
_KEY_RE = re.compile(r"^(?P<kind>[a-z-]+):[0-9A-Za-z-]{1,40}$")


@dataclass(frozen=True, slots=True)
class Waiting:
    """A recipient who has not answered an open ask."""

    recipient_id: int
    name: str
    sent_on: date
    follow_up_days: int
    followed_up: bool = False


@dataclass(frozen=True, slots=True)
class Thankable:
    """A recipient who said yes or helped, not thanked yet."""

    recipient_id: int
    name: str
    answered_on: date | None = None


@dataclass(frozen=True, slots=True)
class Suggested:
    """Someone a helper pointed the seeker to ("I can't, but try Ines"), not asked since.

    The selector leaves out anyone already asked since, on an ask now, or opted out."""

    recipient_id: int  # the helper's answer
    person_id: int  # whom they suggested
    name: str
    by: str  # the helper's name
    kind: str  # the ask's kind
    target_id: int | None = None  # the ask's target, when the suggested person works there
    answered_on: date | None = None


@dataclass(frozen=True, slots=True)
class Bounced:
    """A person whose email address bounced for good and hasn't been changed since."""

    person_id: int
    name: str
    bounced_on: date | None = None


# A club buddy with no club activity for this many days gets a gentle word (issue 11): on day
# 10, not day 9. The nudge on the home page and the one email (clubs/jobs.py) share this rule.
BUDDY_QUIET_DAYS = 10


def buddy_is_quiet(last_active_on: date, today: date) -> bool:
    return (today - last_active_on).days >= BUDDY_QUIET_DAYS


@dataclass(frozen=True, slots=True)
class QuietBuddy:
    """The seeker's buddy in a club, and the day of their last club activity."""

    membership_id: int  # the seeker's own membership
    club_id: int
    club: str
    name: str
    quiet_since: date


@dataclass(frozen=True, slots=True)
class Offer:
    """A journey.Reply of kind "offer" the seeker has not accepted."""

    reply_id: int
    name: str
    created_on: date


@dataclass(frozen=True, slots=True)
class Answered:
    """A recipient who answered, with when this person last answered before that."""

    recipient_id: int
    ask_id: int
    name: str
    answered_on: date
    previous_on: date | None  # None: never answered before


@dataclass(frozen=True, slots=True)
class TargetCount:
    target_id: int
    company: str
    people: int  # people the seeker knows there
    asked_on: date | None = None  # the latest referral ask about this target


@dataclass(frozen=True, slots=True)
class CheckInPoint:
    day: date
    hope: int


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The early-ask triggers. Defaults are in settings.EARLY_ASK_*, explained in the docs."""

    hope_drop: int = 2
    hope_days: int = 14
    rejections: int = 3
    rejection_days: int = 14
    no_ask_days: int = 10
    away_days: int = 10


@dataclass(frozen=True, slots=True)
class StepInputs:
    today: date
    waiting: Sequence[Waiting] = ()
    thankable: Sequence[Thankable] = ()
    offers: Sequence[Offer] = ()
    suggested: Sequence[Suggested] = ()
    answered: Sequence[Answered] = ()
    targets: Sequence[TargetCount] = ()
    last_update_on: date | None = None
    checkins: Sequence[CheckInPoint] = ()  # at least the last 7 days and the hope window
    last_ask_on: date | None = None  # the latest ask sent
    started_on: date | None = None  # when the seeker joined
    search_active: bool = True
    offer_accepted: bool = False  # an opportunity reached "accepted" in this search
    last_login_on: date | None = None
    answers_waiting: int = 0  # answers on open asks since the last login
    rejections: Sequence[date] = ()
    snoozed: frozenset[str] = frozenset()
    bounced: Sequence[Bounced] = ()
    quiet_buddies: Sequence[QuietBuddy] = ()


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    kind: str
    text: str
    button: str
    url_name: str = ""
    url_args: tuple[int, ...] = ()
    path: str = ""  # used instead of url_name when set
    query: str = ""  # a query string for the URL, without "?"
    post: bool = False  # the button is a POST form (it acts at once)
    value: int = 0
    order: tuple = field(default=(), compare=False)

    @property
    def snooze_days(self) -> int:
        return SNOOZE_DAYS.get(self.kind, 7)


@dataclass(frozen=True, slots=True)
class EarlyAsk:
    triggers: tuple[str, ...]  # "hope", "rejections", "no-ask", "away"
    reasons: tuple[str, ...]  # one plain sentence per trigger

    @property
    def kind(self) -> str:
        return early_ask_kind(self.triggers)


def valid_key(key: str) -> bool:
    match = _KEY_RE.match(key)
    return match is not None and match["kind"] in SNOOZE_DAYS and len(key) <= 120


def snooze_days(key: str) -> int:
    return SNOOZE_DAYS.get(key.split(":", 1)[0], 7)


def _days(since: date | None, today: date) -> int | None:
    return None if since is None else (today - since).days


def _within(day: date, today: date, days: int) -> bool:
    """0 to days-1 days ago."""
    return 0 <= (today - day).days < days


def _iso_week(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


# Next steps --------------------------------------------------------------------------------


def _offer_steps(data: StepInputs) -> list[Step]:
    return [
        Step(
            key=f"offer:{o.reply_id}",
            kind="offer",
            text=f"{o.name} offered to help. Say yes, and it becomes an ask you can follow.",
            button=f"Accept {o.name}'s offer",
            url_name="journey:reply_accept",
            url_args=(o.reply_id,),
            post=True,
            order=(o.created_on, o.reply_id),
        )
        for o in data.offers
    ]


def _thank_steps(data: StepInputs) -> list[Step]:
    return [
        Step(
            key=f"thank:{t.recipient_id}",
            kind="thank",
            text=f"Thank {t.name} for saying yes. A few words mean a lot.",
            button=f"Thank {t.name}",
            url_name="asks:thank",
            url_args=(t.recipient_id,),
            order=(t.answered_on or data.today, t.recipient_id),
        )
        for t in data.thankable
    ]


def _bounced_steps(data: StepInputs) -> list[Step]:
    return [
        Step(
            key=f"bounced:{b.person_id}",
            kind="bounced",
            text=f"{b.name}'s email address bounced: check it. Until you change it, no email "
            "goes to them.",
            button=f"Check {b.name}'s address",
            url_name="network:person",
            url_args=(b.person_id,),
            order=(b.bounced_on or data.today, b.person_id),
        )
        for b in data.bounced
    ]


def _buddy_steps(data: StepInputs) -> list[Step]:
    return [
        Step(
            key=f"buddy:{b.membership_id}-{b.quiet_since:%Y%m%d}",
            kind="buddy",
            text=f"{b.name}, your buddy in {b.club}, has been quiet for a while. A short hello "
            "can mean a lot.",
            button=f"Say hello to {b.name}",
            url_name="clubs:buddy",
            url_args=(b.club_id,),
            order=(b.quiet_since, b.membership_id),
        )
        for b in data.quiet_buddies
        if buddy_is_quiet(b.quiet_since, data.today)
    ]


def _follow_up_steps(data: StepInputs) -> list[Step]:
    return [
        Step(
            key=f"follow-up:{w.recipient_id}",
            kind="follow-up",
            text=f"Follow up with {w.name}. Messages get buried; a friendly nudge is welcome.",
            button=f"Follow up with {w.name}",
            url_name="asks:follow_up",
            url_args=(w.recipient_id,),
            order=(w.sent_on, w.recipient_id),
        )
        for w in data.waiting
        if not w.followed_up and (data.today - w.sent_on).days >= w.follow_up_days
    ]


def suggested_request(s: Suggested) -> str:
    """The composer's prefilled opening line: who sent them. The seeker writes the rest,
    since what to ask them may differ from what the helper was asked."""
    first = s.name.split()[0] if s.name.strip() else ""
    hello = f"Hi {first}, " if first else "Hi, "
    return f"{hello}{s.by} suggested I get in touch."


def _suggested_steps(data: StepInputs) -> list[Step]:
    """Ask the person a helper suggested: a name passed on is a warm start."""
    if not data.search_active:
        return []
    steps = []
    for s in data.suggested:
        query = {"kind": s.kind, "to": s.person_id, "request": suggested_request(s)}
        if s.target_id is not None:
            query["target"] = s.target_id
        steps.append(
            Step(
                key=f"suggested:{s.recipient_id}",
                kind="suggested",
                text=f"Ask {s.name}, whom {s.by} suggested. A name passed on is a warm start.",
                button=f"Ask {s.name}",
                url_name="asks:new",
                query=urlencode(query),
                order=(s.answered_on or data.today, s.recipient_id),
            )
        )
    return steps


def _welcome_steps(data: StepInputs) -> list[Step]:
    return [
        Step(
            key=f"welcome:{a.recipient_id}",
            kind="welcome",
            text=f"{a.name} answered after a long quiet spell. Say it's good to hear from them.",
            button=f"Reply to {a.name}",
            url_name="asks:detail",
            url_args=(a.ask_id,),
            order=(a.answered_on, a.recipient_id),
        )
        for a in data.answered
        if a.previous_on is not None
        and _within(a.answered_on, data.today, WELCOME_RECENT_DAYS)
        and (a.answered_on - a.previous_on).days >= WELCOME_QUIET_DAYS
    ]


def _referral_steps(data: StepInputs) -> list[Step]:
    if not data.search_active or data.offer_accepted:
        return []  # an accepted offer ends the hunt for referrals
    candidates = [
        t
        for t in data.targets
        if t.people > 0
        and (t.asked_on is None or not _within(t.asked_on, data.today, REFERRAL_ASK_DAYS))
    ]
    candidates.sort(key=lambda t: (-t.people, t.company, t.target_id))
    steps = []
    for t in candidates[:1]:  # one referral step at a time: the company where you know most
        people = "1 person" if t.people == 1 else f"{t.people} people"
        steps.append(
            Step(
                key=f"referral:{t.target_id}",
                kind="referral",
                text=f"You know {people} at {t.company}. Ask one of them for a referral.",
                button=f"Ask for a referral at {t.company}",
                url_name="network:target",
                url_args=(t.target_id,),
                order=(-t.people, t.target_id),
            )
        )
    return steps


def _ask_new_step(data: StepInputs) -> list[Step]:
    if not data.search_active:
        return []
    since = _days(data.last_ask_on, data.today)
    if since is not None and since < 7:
        return []
    return [
        Step(
            key=f"ask-new:{_iso_week(data.today)}",
            kind="ask-new",
            text="Ask someone new this week. People say yes far more often than we expect.",
            button="See whom to ask",
            url_name="nudges:whom",
            order=(0,),
        )
    ]


def _update_step(data: StepInputs) -> list[Step]:
    since = _days(data.last_update_on, data.today)
    if since is not None and since < UPDATE_QUIET_DAYS:
        return []
    text = (
        "Tell your circle how it's going. They can't help with what they don't know."
        if since is None
        else f"It's been {since} days since your last update. Share how it's going."
    )
    return [
        Step(
            key="update:share",
            kind="update",
            text=text,
            button="Share an update",
            url_name="journey:update_new",
            order=(0,),
        )
    ]


def _checkin_step(data: StepInputs) -> list[Step]:
    monday = data.today.toordinal() - data.today.weekday()
    if any(monday <= c.day.toordinal() <= data.today.toordinal() for c in data.checkins):
        return []
    return [
        Step(
            key=f"checkin:{_iso_week(data.today)}",
            kind="checkin",
            text="Check in with yourself: a minute on hope, energy and confidence.",
            button="Check in",
            url_name="journey:checkins",
            order=(0,),
        )
    ]


RULES = (
    _offer_steps,
    _thank_steps,
    _bounced_steps,
    _buddy_steps,
    _follow_up_steps,
    _suggested_steps,
    _welcome_steps,
    _referral_steps,
    _ask_new_step,
    _update_step,
    _checkin_step,
)


def next_steps(data: StepInputs, *, limit: int = MAX_STEPS) -> list[Step]:
    """At most `limit` steps, most valuable first; within a kind, the oldest first.

    Snoozed keys are left out. Kinds are interleaved so that one busy kind (ten people to
    thank) doesn't crowd out everything else: each kind's first step comes before any kind's
    second.
    """
    by_kind: list[list[Step]] = []
    for rule in RULES:
        steps = [s for s in rule(data) if s.key not in data.snoozed]
        steps.sort(key=lambda s: s.order)
        if steps:
            by_kind.append(steps)
    by_kind.sort(key=lambda steps: -VALUE[steps[0].kind])
    chosen: list[Step] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(steps) for steps in by_kind):
        for steps in by_kind:
            if depth < len(steps) and len(chosen) < limit:
                chosen.append(steps[depth])
        depth += 1
    return [
        Step(
            key=s.key,
            kind=s.kind,
            text=s.text,
            button=s.button,
            url_name=s.url_name,
            url_args=s.url_args,
            path=s.path,
            query=s.query,
            post=s.post,
            value=VALUE[s.kind],
        )
        for s in chosen
    ]


# The early-ask signal ----------------------------------------------------------------------


def _hope_dip_on(checkins: Sequence[CheckInPoint], today: date, t: Thresholds) -> date | None:
    """When the latest check-in's hope is `hope_drop` or more below an earlier one, both within
    the last `hope_days` days: the day the dip began, meaning the first check-in after the last
    high point that was `hope_drop` below it. Otherwise None."""
    recent = sorted((c for c in checkins if _within(c.day, today, t.hope_days)), key=_day)
    if len(recent) < 2:
        return None
    peak = max(c.hope for c in recent[:-1])
    if peak - recent[-1].hope < t.hope_drop:
        return None
    last_peak = max(i for i, c in enumerate(recent[:-1]) if c.hope == peak)
    return next(c.day for c in recent[last_peak + 1 :] if peak - c.hope >= t.hope_drop)


def _day(c: CheckInPoint) -> date:
    return c.day


def _rejections_on(rejections: Sequence[date], today: date, t: Thresholds) -> date | None:
    """The day of the latest rejection when there have been enough lately, else None."""
    recent = [d for d in rejections if _within(d, today, t.rejection_days)]
    return max(recent) if len(recent) >= t.rejections else None


def _asked_since(data: StepInputs, day: date) -> bool:
    """An ask went out on or after `day`: the seeker already reached out after that moment."""
    return data.last_ask_on is not None and data.last_ask_on >= day


def no_recent_ask(data: StepInputs, t: Thresholds) -> bool:
    """The search is on, and no ask has gone out for `no_ask_days` (counting from joining)."""
    if not data.search_active:
        return False
    since = _days(data.last_ask_on or data.started_on, data.today)
    return since is not None and since >= t.no_ask_days


def away_with_answers(data: StepInputs, t: Thresholds) -> bool:
    since = _days(data.last_login_on, data.today)
    return data.answers_waiting > 0 and since is not None and since >= t.away_days


def early_ask(data: StepInputs, t: Thresholds) -> EarlyAsk | None:
    """Whether to suggest one small ask of someone close now, and why; None when not."""
    if EARLY_ASK_KEY in data.snoozed:
        return None
    found: list[tuple[str, str]] = []
    # A dip or a run of rejections is answered by reaching out: an ask sent on or after the low
    # check-in (or the latest rejection) quiets it until the next one.
    dip = _hope_dip_on(data.checkins, data.today, t) if data.search_active else None
    if dip is not None and not _asked_since(data, dip):
        found.append(("hope", "Your hope has dipped over the last couple of weeks."))
    nos = _rejections_on(data.rejections, data.today, t) if data.search_active else None
    if nos is not None and not _asked_since(data, nos):
        found.append(("rejections", "You've had several rejections lately. That's hard."))
    if no_recent_ask(data, t):
        found.append(("no-ask", "It's been a while since you asked anyone for anything."))
    if away_with_answers(data, t):
        found.append(("away", "People have answered your asks while you were away."))
    if not found:
        return None
    return EarlyAsk(triggers=tuple(k for k, _ in found), reasons=tuple(r for _, r in found))


def early_ask_kind(triggers: Sequence[str]) -> str:
    """Emotional support after a dip or a run of rejections; practical help otherwise."""
    if "hope" in triggers or "rejections" in triggers:
        return "emotional_support"
    return "practical_help"


def early_ask_text(kind: str, name: str) -> str:
    """The prefilled request: one small, specific thing, easy to say yes to."""
    first = name.split()[0] if name.strip() else ""
    hello = f"Hi {first}, " if first else "Hi, "
    if kind == "emotional_support":
        return (
            f"{hello}could we have a 20-minute call or coffee this week? The job search has "
            "been heavy lately, and it would help to talk it through with you."
        )
    return (
        f"{hello}could you spend 15 minutes with me this week looking at my list of people "
        "to ask? A fresh pair of eyes would help me pick the next one."
    )


def early_ask_query(kind: str, person_id: int, name: str) -> str:
    """The composer's query string: ?kind=…&to=…&request=…"""
    return urlencode({"kind": kind, "to": person_id, "request": early_ask_text(kind, name)})
