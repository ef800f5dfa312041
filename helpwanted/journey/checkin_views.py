"""The seeker's check-in page: today's check-in, the 12-week trend, and the weekly reminder."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.journey import checkins


def _scale(name: str) -> forms.TypedChoiceField:
    low, high = checkins.SCALE_ENDS[name]
    choices = [(n, str(n)) for n in checkins.SCORES]
    choices[0], choices[-1] = (1, f"1 · {low}"), (5, f"5 · {high}")
    message = f"Choose a number from 1 to 5 for {name}."
    return forms.TypedChoiceField(
        label=name.capitalize(),
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class CheckInForm(forms.Form):
    hope = _scale("hope")
    energy = _scale("energy")
    confidence = _scale("confidence")
    note = forms.CharField(
        label="A note for yourself (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Please keep your note under 2,000 characters."},
    )
    shared = forms.BooleanField(label="Share with my inner circle", required=False)
    share_note = forms.BooleanField(label="Include my note", required=False)


class ReminderForm(forms.Form):
    reminder_enabled = forms.BooleanField(label="Send me a weekly reminder", required=False)
    reminder_weekday = forms.TypedChoiceField(
        label="On",
        choices=list(enumerate(checkins.WEEKDAYS)),
        coerce=int,
        error_messages={"invalid_choice": "Choose a day of the week."},
    )
    reminder_hour = forms.TypedChoiceField(
        label="At",
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        error_messages={"invalid_choice": "Choose an hour from 00:00 to 23:00."},
    )


def _page(request: AuthedRequest, form: CheckInForm, reminder_form: ReminderForm) -> HttpResponse:
    today = timezone.localdate()
    trend = checkins.checkin_trend(request.user, today=today)
    context = {
        "form": form,
        "reminder_form": reminder_form,
        "checked_in_today": bool(form.initial),
        "trend": trend,
        "has_trend": any(week.count for week in trend),
        "chart": checkins.trend_chart(trend),
        "chart_desc": checkins.trend_description(trend),
        "user_timezone": request.user.timezone,
    }
    return render(request, "journey/checkins/page.html", context)


def _reminder_form(request: AuthedRequest, data: QueryDict | None = None) -> ReminderForm:
    search = checkins.reminder_settings(request.user)
    initial = {k: getattr(search, k) for k in ReminderForm.base_fields}
    return ReminderForm(data, initial=initial)


def _checkin_form(request: AuthedRequest, data: QueryDict | None = None) -> CheckInForm:
    """Today's check-in, prefilled when there is one: saving again edits it."""
    existing = checkins.checkin_for_day(request.user, timezone.localdate())
    initial = {f: getattr(existing, f) for f in CheckInForm.base_fields} if existing else {}
    return CheckInForm(data, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_page(request: AuthedRequest) -> HttpResponse:
    form = _checkin_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = timezone.localdate()
        _, created = checkins.checkin_save(owner=request.user, day=day, **form.cleaned_data)
        messages.success(
            request,
            "Thanks for checking in." if created else "Today's check-in is updated.",
        )
        return redirect("journey:checkins")
    return _page(request, form, _reminder_form(request))


@login_required
@require_POST
def checkin_reminder(request: AuthedRequest) -> HttpResponse:
    reminder_form = _reminder_form(request, request.POST)
    if not reminder_form.is_valid():
        return _page(request, _checkin_form(request), reminder_form)
    data = reminder_form.cleaned_data
    checkins.reminder_settings_save(
        owner=request.user,
        enabled=data["reminder_enabled"],
        weekday=data["reminder_weekday"],
        hour=data["reminder_hour"],
    )
    if data["reminder_enabled"]:
        when = f"{checkins.WEEKDAYS[data['reminder_weekday']]}s at {data['reminder_hour']:02d}:00"
        messages.success(request, f"We'll send you a gentle reminder on {when}.")
    else:
        messages.success(request, "Weekly reminders are off.")
    return redirect("journey:checkins")


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no CSRF token
@require_http_methods(["GET", "POST"])
def checkin_reminder_off(request: HttpRequest, value: str) -> HttpResponse:
    """Turn reminders off from the email, without logging in. A GET only asks."""
    pk = checkins.user_pk_from_reminder_off(value)
    user = get_user_model().objects.filter(pk=pk).first() if pk else None
    if user is None:
        return render(request, "journey/checkins/reminder_off.html", {"dead": True}, status=404)
    if request.method == "POST":
        checkins.reminder_turn_off(owner=user)
        return render(request, "journey/checkins/reminder_off.html", {"done": True})
    return render(request, "journey/checkins/reminder_off.html", {})
