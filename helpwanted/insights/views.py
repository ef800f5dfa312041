"""The insights page: five charts of the seeker's own search, each with a data table."""

from typing import Any, TypedDict

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpwanted.accounts.http import AuthedRequest
from helpwanted.insights import charts
from helpwanted.insights.selectors import Insights, insights_for
from helpwanted.journey import charts as lines
from helpwanted.journey.checkins import TREND_SERIES


class _Box(TypedDict):
    width: int
    height: int
    margin: tuple[float, float, float, float]  # top, right, bottom, left


# The check-in chart: lines on top, then a row of asks and a row of rejections under the axis.
CHECKIN_BOX: _Box = {"width": 560, "height": 344, "margin": (16, 28, 104, 36)}
ASKS_ROW, REJECTIONS_ROW = 290, 322


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def asks_chart(data: Insights) -> dict[str, Any]:
    weeks = data.weeks
    sent, answered = sum(w.asks_sent for w in weeks), sum(w.answers for w in weeks)
    chart = charts.bar_chart(
        labels=[w.label for w in weeks],
        series=[
            charts.BarSeries("sent", "Asks sent", [w.asks_sent for w in weeks]),
            charts.BarSeries(
                "answered", "Answers received", [w.answers for w in weeks], hatched=True
            ),
        ],
    )
    desc = (
        f"Over the 12 weeks from {weeks[0].label} to this week you sent "
        f"{_plural(sent, 'ask', 'asks')} and received {_plural(answered, 'answer', 'answers')}."
    )
    return {"chart": chart, "desc": desc, "empty": not data.has_recent_asks}


def rates_chart(data: Insights) -> dict[str, Any]:
    rates = data.rates
    chart = charts.bar_chart(
        labels=[r.label for r in rates],
        series=[
            charts.BarSeries(
                "rate",
                "Answered",
                [r.rate or 0 for r in rates],
                texts=[f"{r.rate}% ({r.answered} of {r.asked})" for r in rates],
            )
        ],
        horizontal=True,
        value_max=100,
        value_step=25,
        width=480,
        margin=(8, 28, 32, 16),
    )
    parts = [f"{r.label.lower()} {r.rate}% ({r.answered} of {r.asked})" for r in rates]
    desc = "Share of asks answered, by relationship: " + ", ".join(parts) + "." if parts else ""
    return {"chart": chart, "desc": desc, "empty": not data.has_asks}


def funnel_chart(data: Insights) -> dict[str, Any]:
    funnel = data.funnel
    chart = charts.bar_chart(
        labels=[s.label for s in funnel],
        series=[
            charts.BarSeries("reached", "Ever reached", [s.reached for s in funnel]),
            charts.BarSeries("now", "There now", [s.now for s in funnel], hatched=True),
        ],
        horizontal=True,
        width=480,
        margin=(8, 28, 32, 16),
        bar_size=16,
    )
    parts = [f"{s.label.lower()} {s.reached} reached, {s.now} now" for s in funnel]
    desc = "Your opportunities by stage: " + "; ".join(parts) + "."
    return {"chart": chart, "desc": desc, "empty": not data.has_opportunities}


def checkins_chart(data: Insights) -> dict[str, Any]:
    weeks = data.weeks
    labels = [w.label for w in weeks]
    chart = lines.line_chart(
        labels=labels,
        series=[
            lines.SeriesIn(key, name, [getattr(w.checkin, key) for w in weeks], dash, marker)
            for key, name, dash, marker in TREND_SERIES
        ],
        y_min=1,
        y_max=5,
        **CHECKIN_BOX,
    )
    box = {"left": chart.left, "right": chart.right}
    asks = charts.event_marks(labels=labels, counts=[w.asks_sent for w in weeks], y=ASKS_ROW, **box)
    nos = [w.rejections for w in weeks]
    rejections = charts.event_marks(labels=labels, counts=nos, y=REJECTIONS_ROW, **box)
    checked = [w.checkin for w in weeks if w.checkin.count]
    desc = "No check-ins in these 12 weeks."
    if checked:
        first, last = checked[0], checked[-1]
        desc = (
            f"Weekly averages out of 5 from the week of {first.label} to the week of {last.label}: "
            f"hope from {first.hope} to {last.hope}, energy from {first.energy} to {last.energy}, "
            f"confidence from {first.confidence} to {last.confidence}."
        )
    desc += (
        f" Marked below: {_plural(sum(w.asks_sent for w in weeks), 'ask', 'asks')} sent in "
        f"{_plural(len(asks), 'week', 'weeks')}, and "
        f"{_plural(sum(nos), 'rejection', 'rejections')} shared in "
        f"{_plural(len(rejections), 'week', 'weeks')}."
    )
    return {
        "chart": chart,
        "asks": asks,
        "rejections": rejections,
        "rows": {"asks": ASKS_ROW, "rejections": REJECTIONS_ROW},
        "desc": desc,
        "empty": not (data.has_checkins or asks or rejections),
    }


def helpers_chart(data: Insights) -> dict[str, Any]:
    helpers = data.helpers
    chart = charts.bar_chart(
        labels=[h.label for h in helpers],
        series=[charts.BarSeries("people", "People who helped", [h.people for h in helpers])],
        horizontal=True,
        width=480,
        margin=(8, 28, 32, 16),
    )
    total = sum(h.people for h in helpers)
    parts = [f"{h.label.lower()} {h.people}" for h in helpers]
    desc = f"{_plural(total, 'person has', 'people have')} helped you so far"
    desc += (": " + ", ".join(parts) + ".") if parts else "."
    return {"chart": chart, "desc": desc, "empty": not data.has_helpers}


@login_required
@require_GET
def page(request: AuthedRequest) -> HttpResponse:
    data = insights_for(request.user, today=timezone.localdate(), zone=request.user.zoneinfo)
    context = {
        "data": data,
        "asks": asks_chart(data),
        "rates": rates_chart(data),
        "funnel": funnel_chart(data),
        "checkins": checkins_chart(data),
        "helpers": helpers_chart(data),
    }
    return render(request, "insights/page.html", context)
