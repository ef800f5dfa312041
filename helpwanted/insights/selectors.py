"""The numbers behind the insights page: a fixed handful of aggregate queries per page.

Everything is the seeker's own: asks they sent, their opportunities, check-ins and updates.
Weeks start on Monday in the seeker's time zone, as on the check-in page.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from helpwanted.asks.models import Recipient
from helpwanted.insights.charts import percent
from helpwanted.journey.checkins import TREND_WEEKS, TrendWeek, checkin_trend, week_start
from helpwanted.journey.models import Opportunity, Stage, Update, UpdateKind
from helpwanted.network.models import Relationship

WEEKS = TREND_WEEKS  # the same 12 weeks as the check-in trend
Status = Recipient.Status
# A recipient has answered once they replied in any way; done and thanked come after a yes.
ANSWERED = (*Recipient.ANSWERED, Status.DONE, Status.THANKED)
HELPED = (Status.OFFERED, Status.SUGGESTED, Status.DONE, Status.THANKED)


@dataclass(frozen=True)
class Week:
    start: dt.date
    asks_sent: int
    answers: int
    rejections: int
    checkin: TrendWeek

    @property
    def label(self) -> str:
        return self.checkin.label


@dataclass(frozen=True)
class RelationshipRate:
    relationship: str
    label: str
    asked: int
    answered: int

    @property
    def rate(self) -> int | None:
        return percent(self.answered, self.asked)


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    now: int
    reached: int


@dataclass(frozen=True)
class HelpersByRelationship:
    relationship: str
    label: str
    people: int


@dataclass(frozen=True)
class Insights:
    weeks: list[Week]
    rates: list[RelationshipRate]
    funnel: list[StageCount]
    helpers: list[HelpersByRelationship]

    @property
    def has_asks(self) -> bool:
        return any(r.asked for r in self.rates)

    @property
    def has_recent_asks(self) -> bool:
        return any(w.asks_sent or w.answers for w in self.weeks)

    @property
    def has_opportunities(self) -> bool:
        return any(s.reached or s.now for s in self.funnel)

    @property
    def has_checkins(self) -> bool:
        return any(w.checkin.count for w in self.weeks)

    @property
    def has_helpers(self) -> bool:
        return bool(self.helpers)


def _weekly(rows: Any, zone: dt.tzinfo) -> dict[dt.date, int]:
    """{Monday: count} from rows of (aware truncated datetime, count)."""
    out: dict[dt.date, int] = {}
    for week, count in rows:
        day = week.astimezone(zone).date() if isinstance(week, dt.datetime) else week
        out[day] = out.get(day, 0) + count
    return out


def weekly_counts(owner: Any, *, first: dt.date, zone: zoneinfo.ZoneInfo) -> dict[str, dict]:
    """Asks sent, answers received and rejections shared per week since `first`. Three queries."""
    since = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    recipients = Recipient.objects.filter(ask__owner=owner).exclude(status=Status.DRAFT)

    def per_week(queryset: Any, field: str) -> dict[dt.date, int]:
        rows = (
            queryset.filter(**{f"{field}__gte": since})
            .annotate(week=TruncWeek(field, tzinfo=zone))
            .values("week")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("week", "n")
        )
        return _weekly(rows, zone)

    return {
        "sent": per_week(recipients, "sent_at"),
        "answered": per_week(recipients, "answered_at"),
        "rejections": per_week(
            Update.objects.filter(owner=owner, kind=UpdateKind.REJECTION, deleted_at=None),
            "created_at",
        ),
    }


def response_rates(owner: Any) -> list[RelationshipRate]:
    """Per relationship: how many people the seeker asked (each time), and how many answered."""
    rows = (
        Recipient.objects.filter(ask__owner=owner, sent_at__isnull=False)
        .exclude(status=Status.DRAFT)
        .values("person__relationship")
        .annotate(
            asked=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False) | Q(status__in=ANSWERED)),
        )
        .order_by()
    )
    found = {row["person__relationship"]: row for row in rows}
    return [
        RelationshipRate(value, label, found[value]["asked"], found[value]["answered"])
        for value, label in Relationship.choices
        if value in found
    ]


def opportunity_funnel(owner: Any) -> list[StageCount]:
    """Per stage, in stage order: opportunities there now, and how many ever reached it.

    "Reached" counts each opportunity once per stage, from its history (or its current stage,
    for one without history). One query.
    """
    aggregates = {}
    for stage in Stage.values:
        aggregates[f"now_{stage}"] = Count("id", filter=Q(stage=stage), distinct=True)
        aggregates[f"reached_{stage}"] = Count(
            "id", filter=Q(stage=stage) | Q(history__to_stage=stage), distinct=True
        )
    totals = Opportunity.objects.filter(owner=owner).order_by().aggregate(**aggregates)
    return [
        StageCount(stage, label, totals[f"now_{stage}"], totals[f"reached_{stage}"])
        for stage, label in Stage.choices
    ]


def helpers_by_relationship(owner: Any) -> list[HelpersByRelationship]:
    """People who offered, suggested someone, or did what was asked, per relationship."""
    rows = (
        Recipient.objects.filter(ask__owner=owner, status__in=HELPED)
        .values("person__relationship")
        .annotate(people=Count("person", distinct=True))
        .order_by()
    )
    found = {row["person__relationship"]: row["people"] for row in rows}
    return [
        HelpersByRelationship(value, label, found[value])
        for value, label in Relationship.choices
        if found.get(value)
    ]


def insights_for(owner: Any, *, today: dt.date, zone: zoneinfo.ZoneInfo) -> Insights:
    """Everything the insights page shows, in seven queries however much data there is."""
    trend = checkin_trend(owner, today=today, weeks=WEEKS)
    first = week_start(today) - dt.timedelta(weeks=WEEKS - 1)
    counts = weekly_counts(owner, first=first, zone=zone)
    weeks = [
        Week(
            start=week.start,
            asks_sent=counts["sent"].get(week.start, 0),
            answers=counts["answered"].get(week.start, 0),
            rejections=counts["rejections"].get(week.start, 0),
            checkin=week,
        )
        for week in trend
    ]
    return Insights(
        weeks=weeks,
        rates=response_rates(owner),
        funnel=opportunity_funnel(owner),
        helpers=helpers_by_relationship(owner),
    )
