"""The work-search record: a page for any period, its CSV, a printable copy, and added rows."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.elsewhere.access import get_activity_for_seeker
from helpwanted.elsewhere.forms import ActivityForm, ContactsForm, RangeForm
from helpwanted.elsewhere.models import WorkActivity, WorkSearchSettings
from helpwanted.elsewhere.worklog import include_contacts, worklog_rows
from helpwanted.network.parsing import csv_safe

CSV_HEADER = (
    "Date",
    "Activity",
    "Employer or organiser",
    "Employer's website, address or phone",
    "Position",
    "Person contacted",
    "Result",
    "Where it came from",
)


def _range(request: AuthedRequest) -> tuple[RangeForm, date | None, date | None]:
    """The period from the query string; the last 30 days when none is given."""
    today = timezone.localdate()
    if "start" not in request.GET and "end" not in request.GET:
        start, end = today - timedelta(days=29), today
        form = RangeForm({"start": start.isoformat(), "end": end.isoformat()})
        form.is_valid()
        return form, start, end
    form = RangeForm(request.GET)
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["start"], form.cleaned_data["end"]


def _query(start: date, end: date) -> str:
    return urlencode({"start": start.isoformat(), "end": end.isoformat()})


@login_required
@require_GET
def record(request: AuthedRequest) -> HttpResponse:
    form, start, end = _range(request)
    context: dict[str, Any] = {"form": form, "start": start, "end": end}
    if start is None or end is None:
        return render(request, "elsewhere/worklog.html", context, status=400)
    context |= {
        "rows": worklog_rows(request.user, start, end),
        "query": _query(start, end),
        "include_contacts": include_contacts(request.user),
        "added": added_activities(request, start, end),
    }
    return render(request, "elsewhere/worklog.html", context)


@login_required
@require_GET
def record_print(request: AuthedRequest) -> HttpResponse:
    form, start, end = _range(request)
    if start is None or end is None:
        return render(request, "elsewhere/worklog.html", {"form": form}, status=400)
    rows = worklog_rows(request.user, start, end)
    context: dict[str, Any] = {"rows": rows, "start": start, "end": end}
    context["include_contacts"] = include_contacts(request.user)
    return render(request, "elsewhere/worklog_print.html", context)


@login_required
@require_GET
def record_csv(request: AuthedRequest) -> HttpResponse:
    form, start, end = _range(request)
    if start is None or end is None:
        return render(request, "elsewhere/worklog.html", {"form": form}, status=400)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in worklog_rows(request.user, start, end):
        cells = [
            row.date.isoformat(),
            row.method_label,
            row.employer,
            row.employer_contact,
            row.position,
            row.contact,
            row.result,
            "Added by you" if row.source == "added" else "From helpwanted",
        ]
        writer.writerow([csv_safe(cell) for cell in cells])
    # The BOM lets Excel show accented names correctly.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"work-search-{start.isoformat()}-to-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def contacts(request: AuthedRequest) -> HttpResponse:
    form = ContactsForm(request.POST)
    form.is_valid()  # a lone checkbox: absent means off
    include = bool(form.cleaned_data.get("include_contacts"))
    WorkSearchSettings.objects.update_or_create(
        owner=request.user, defaults={"include_contacts": include}
    )
    messages.success(
        request,
        "The record now names the people you contacted."
        if include
        else "The record now leaves out who you contacted.",
    )
    return redirect(_back_to_record(request))


def _back_to_record(request: AuthedRequest) -> str:
    form = RangeForm(request.POST)
    url = reverse("elsewhere:worklog")
    if form.is_valid():
        return f"{url}?{_query(form.cleaned_data['start'], form.cleaned_data['end'])}"
    return url


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request: AuthedRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        activity = form.save(commit=False)
        activity.owner = request.user
        activity.save()
        messages.success(request, f"Added {activity.get_method_display().lower()} to your record.")
        start = min(activity.on, timezone.localdate() - timedelta(days=29))
        return redirect(f"{reverse('elsewhere:worklog')}?{_query(start, timezone.localdate())}")
    return render(request, "elsewhere/activity_form.html", {"form": form})


@login_required
@require_POST
def activity_delete(request: AuthedRequest, activity_id: int) -> HttpResponse:
    activity = get_activity_for_seeker(request, activity_id)
    WorkActivity.objects.filter(pk=activity.pk).delete()
    messages.success(request, "Removed that activity from your record.")
    return redirect(_back_to_record(request))


def added_activities(request: AuthedRequest, start: date, end: date) -> list[WorkActivity]:
    return list(WorkActivity.objects.filter(owner=request.user, on__gte=start, on__lte=end))
