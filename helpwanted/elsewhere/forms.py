from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.elsewhere.models import WorkActivity
from helpwanted.journey.models import Interview
from helpwanted.lib.forms import IsoDateInput

# Dates further than this from today are typing slips (2062 for 2026), not plans.
FAR_YEARS = 5


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="So we know it's really you.",
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That isn't your password. Nothing has been deleted. Try again, or leave this "
                "page to keep your account."
            )
        return password


def _reasonable(day: date) -> date:
    today = timezone.localdate()
    if abs((day - today).days) > FAR_YEARS * 366:
        raise forms.ValidationError(
            f"That date is more than {FAR_YEARS} years away. Check the year."
        )
    return day


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["kind", "on", "at", "minutes"]
        labels = {
            "kind": "What is it?",
            "on": "Date",
            "at": "Time (optional)",
            "minutes": "How long, in minutes",
        }
        help_texts = {
            "at": "In your timezone. Leave it empty for an all-day reminder.",
        }
        widgets = {
            "on": IsoDateInput(),
            "at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "on": {"required": "Enter the date.", "invalid": "Enter a real date."},
            "at": {"invalid": "Enter a time like 14:30, or leave it empty."},
            "minutes": {"invalid": "Enter a number of minutes, like 45."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        minutes = self.fields["minutes"]
        assert isinstance(minutes, forms.IntegerField)
        minutes.min_value, minutes.max_value = 5, 12 * 60
        minutes.validators += [MinValueValidator(5), MaxValueValidator(12 * 60)]
        minutes.widget.attrs.update(min=5, max=12 * 60)

    def clean_on(self) -> date:
        return _reasonable(self.cleaned_data["on"])


class ActivityForm(forms.ModelForm):
    class Meta:
        model = WorkActivity
        fields = ["on", "method", "employer", "position", "employer_contact", "contact", "result"]
        labels = {"on": "Date"}
        help_texts = {
            "employer": "The company, or who ran the job fair or workshop.",
            "contact": "Shown on the record only when you choose to include people.",
            "result": "For example: application sent, interview invited, no vacancies.",
        }
        widgets = {"on": IsoDateInput()}
        error_messages = {
            "on": {"required": "Enter the date.", "invalid": "Enter a real date."},
            "employer": {"required": "Enter the employer or the organiser."},
        }

    def clean_on(self) -> date:
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Enter a day that has already happened.")
        return _reasonable(day)


MAX_RANGE_DAYS = 366


class RangeForm(forms.Form):
    """The period of a work-search record: both days included, at most a year."""

    start = forms.DateField(
        label="From",
        widget=IsoDateInput(),
        error_messages={"required": "Enter the first day.", "invalid": "Enter a real date."},
    )
    end = forms.DateField(
        label="To",
        widget=IsoDateInput(),
        error_messages={"required": "Enter the last day.", "invalid": "Enter a real date."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The last day comes before the first. Swap them round.")
            elif (end - start).days >= MAX_RANGE_DAYS:
                self.add_error("end", "That's more than a year. Pick a year or less at a time.")
        for name in ("start", "end"):
            if data.get(name) and name not in self.errors:
                try:
                    _reasonable(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data


class ContactsForm(forms.Form):
    include_contacts = forms.BooleanField(required=False)
