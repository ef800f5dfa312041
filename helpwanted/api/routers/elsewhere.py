"""The calendar and the work-search record, as the feed and the record page build them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from django.utils import timezone
from ninja import Query, Router, Schema

from helpwanted.accounts.http import AuthedRequest
from helpwanted.api.errors import ApiError
from helpwanted.api.routers.common import responses
from helpwanted.api.schemas import IsoDate
from helpwanted.elsewhere.calendar import calendar_events
from helpwanted.elsewhere.worklog import worklog_rows

router = Router()

MAX_DAYS = 400  # a year and a bit: a claim period, or a tax year, in one request
DEFAULT_DAYS = 30


class CalEventOut(Schema):
    uid: str
    summary: str
    start: date | datetime
    end: date | datetime
    all_day: bool
    status: str
    sequence: int
    url: str
    kind: str


class CalendarOut(Schema):
    items: list[CalEventOut]


class WorkSearchRowOut(Schema):
    date: date
    employer: str
    position: str
    method: str
    method_label: str
    contact: str
    result: str
    source: str
    employer_contact: str


class WorkSearchOut(Schema):
    start: date
    end: date
    items: list[WorkSearchRowOut]


class Period(Schema):
    start: IsoDate | None = None
    end: IsoDate | None = None


@router.get(
    "/calendar", response=responses(s200=CalendarOut), url_name="calendar", tags=["calendar"]
)
def calendar(request: AuthedRequest) -> dict[str, Any]:
    """What your calendar feed holds: interviews, follow-ups coming due, needed-by dates and
    times a helper offered, cancelled ones included (status CANCELLED), by start. Nothing private
    (no notes, no feelings). All of it at once: it is a calendar, not a long list."""
    return {"items": [asdict(event) for event in calendar_events(request.user)]}


@router.get(
    "/work-search",
    response=responses(s200=WorkSearchOut),
    url_name="work_search",
    tags=["work search"],
)
def work_search(request: AuthedRequest, period: Annotated[Period, Query()]) -> dict[str, Any]:
    """Your work-search record for benefit claims, from `start` to `end` (both days included;
    the last 30 days if you don't say), oldest first: the same rows as the page and its CSV."""
    end = period.end or timezone.localdate()
    start = period.start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ApiError.invalid({"start": ["Start on or before the end date."]})
    if (end - start).days >= MAX_DAYS:
        raise ApiError.invalid({"end": [f"Ask for at most {MAX_DAYS} days at a time."]})
    rows = worklog_rows(request.user, start, end)
    items = [{**asdict(row), "method_label": row.method_label} for row in rows]
    return {"start": start, "end": end, "items": items}
