"""Forms for clubs, invitations, sharing and buddies. Every one says what to fix in plain words."""

from datetime import time
from typing import Any

from django import forms

from helpwanted.accounts.forms import timezone_choices
from helpwanted.clubs import schedule
from helpwanted.clubs.models import Club, Membership

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
EVERY = [(1, "Every week"), (2, "Every two weeks"), (4, "Every four weeks")]
MAX_SIZE = 30


def member_label(membership: Membership) -> str:
    user = membership.user
    return str(user.display_name or user.email.split("@")[0])


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return member_label(obj)


class ClubForm(forms.ModelForm):
    meeting_weekday = forms.TypedChoiceField(
        label="Meets on", choices=WEEKDAYS, coerce=int, initial=1
    )
    meeting_time = forms.TimeField(
        label="At (local time)",
        initial=time(10, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time like 10:00 or 18:30."},
    )
    meeting_minutes = forms.IntegerField(
        label="How long (minutes)",
        min_value=15,
        max_value=480,
        initial=90,
        error_messages={
            "min_value": "A meeting needs at least 15 minutes.",
            "max_value": "Keep a meeting under 8 hours (480 minutes).",
            "invalid": "Enter the length in minutes, like 90.",
        },
    )
    every_weeks = forms.TypedChoiceField(label="How often", choices=EVERY, coerce=int, initial=1)
    timezone = forms.ChoiceField(
        label="Timezone", choices=timezone_choices, widget=forms.Select(attrs={"data-detect": "1"})
    )
    size_limit = forms.IntegerField(
        label="Size limit",
        min_value=2,
        max_value=MAX_SIZE,
        initial=12,
        help_text="Members and alumni together. Around 12 lets everyone speak at each meeting.",
        error_messages={
            "min_value": "A club needs room for at least 2 people.",
            "max_value": f"Keep a club to {MAX_SIZE} people or fewer, so everyone is heard.",
            "invalid": "Enter a number of people, like 12.",
        },
    )

    class Meta:
        model = Club
        fields = [
            "name",
            "meeting_weekday",
            "meeting_time",
            "meeting_minutes",
            "every_weeks",
            "timezone",
            "place",
            "size_limit",
        ]
        labels = {"name": "Club name"}
        error_messages = {
            "name": {
                "required": "Give the club a name, like “Tuesday Job Club”.",
                "max_length": "Keep the name under 120 characters.",
            },
            "place": {"max_length": "Keep the place or link under 300 characters."},
        }

    def clean_timezone(self) -> str:
        name = str(self.cleaned_data["timezone"])
        if not schedule.is_timezone(name):
            raise forms.ValidationError("Choose a timezone from the list.")
        return name

    def clean_size_limit(self) -> int:
        limit = int(self.cleaned_data["size_limit"])
        if self.instance.pk:
            now = self.instance.memberships.filter(left_at__isnull=True).count()
            if limit < now:
                raise forms.ValidationError(
                    f"The club has {now} people now: the limit can't be lower than that."
                )
        return limit


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        error_messages={
            "required": "Enter the email address to send the invitation to.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )


class SharingForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = [
            "share_asks",
            "share_applications",
            "share_interviews",
            "share_checkins",
            "club_emails",
        ]
        labels = {
            "share_asks": "How many asks I sent, and how many were answered",
            "share_applications": "How many applications I made",
            "share_interviews": "How many interviews I had",
            "share_checkins": "My check-in scores (hope, energy, confidence), never the notes",
            "club_emails": (
                "Email me about the club: the reminder the day before a meeting, offers on my "
                "request, and at most one club summary a week"
            ),
        }


def _others(membership: Membership) -> Any:
    return (
        Membership.objects.filter(club_id=membership.club_id, left_at__isnull=True)
        .exclude(pk=membership.pk)
        .select_related("user")
    )


class BuddyPickForm(forms.Form):
    other = MemberChoiceField(
        label="Who would you like as your buddy?",
        queryset=Membership.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose someone from the list.",
            "invalid_choice": "Choose someone who is in this club and free to pair.",
        },
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _others(membership).filter(buddy__isnull=True)


class PairForm(forms.Form):
    first = MemberChoiceField(
        label="Pair",
        queryset=Membership.objects.none(),
        error_messages={
            "required": "Choose the first member.",
            "invalid_choice": "Choose a member of this club.",
        },
    )
    second = MemberChoiceField(
        label="with",
        queryset=Membership.objects.none(),
        error_messages={
            "required": "Choose the second member.",
            "invalid_choice": "Choose a member of this club.",
        },
    )

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        free = Membership.objects.filter(
            club=club, left_at__isnull=True, buddy__isnull=True
        ).select_related("user")
        for name in ("first", "second"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = free

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError("Choose two different members.")
        return cleaned


class WeekCheckForm(forms.Form):
    text = forms.CharField(
        label="How did your week go?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A line or two for your buddy. Only your buddy sees it.",
        error_messages={
            "required": "Write a line about your week first.",
            "max_length": "Keep it under 500 characters: a line or two is plenty.",
        },
    )
