"""Forms of the round, the leads and the meeting page. Field names of the request form are the
asks composer's (kind, request, why, needed_by), so the same coach reads it as you type."""

from typing import Any

from django import forms
from django.utils import timezone

from helpwanted.asks.models import Kind
from helpwanted.clubs.meeting import GOALS_A_WEEK
from helpwanted.clubs.models import FacilitatorNote, Membership, Offer
from helpwanted.clubs.rounds import member_name
from helpwanted.lib.forms import IsoDateInput


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of help?", choices=Kind.choices)
    request = forms.CharField(
        label="What would you like help with?",
        max_length=2000,
        help_text="One clear thing a fellow member could do, in a few sentences.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Write what you'd like help with. One sentence is enough.",
            "max_length": "Please keep it under 2,000 characters: one clear thing.",
        },
    )
    why = forms.CharField(
        label="Why it matters to you",
        required=False,
        max_length=2000,
        help_text="A sentence is plenty. People help more when they know why.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Please keep this under 2,000 characters."},
    )
    needed_by = forms.DateField(
        label="When do you need it by? (optional)",
        required=False,
        widget=IsoDateInput(),
        error_messages={"invalid": "Enter a date like 2026-12-31, or leave it empty."},
    )

    def clean_needed_by(self) -> object:
        needed_by = self.cleaned_data.get("needed_by")
        if needed_by and needed_by < timezone.localdate():
            raise forms.ValidationError("That date has already passed. Pick today or later.")
        return needed_by

    def fields_for_model(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["request"],
            "why": data["why"],
            "needed_by": data["needed_by"],
        }


class OfferForm(forms.Form):
    kind = forms.ChoiceField(
        label="What can you offer?",
        choices=Offer.Kind.choices,
        initial=Offer.Kind.OTHER,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the kinds of help."},
    )
    note = forms.CharField(
        label="A note for them (optional)",
        required=False,
        max_length=500,
        help_text="For example: “I can introduce you to Priya by Friday.”",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Please keep your note under 500 characters."},
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return member_name(obj.user)


class LeadForm(forms.Form):
    company = forms.CharField(
        label="Company",
        max_length=200,
        error_messages={"required": "Which company is it at?"},
    )
    role = forms.CharField(
        label="The role",
        max_length=200,
        error_messages={"required": "What's the role? A title is enough."},
    )
    link = forms.URLField(
        label="A link to the job (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "That doesn't look like a web address. Check it, or leave it."},
    )
    note = forms.CharField(
        label="Why it might suit someone (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Please keep the note under 500 characters."},
    )
    for_member = MemberChoiceField(
        label="Is it for someone in particular? (optional)",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Anyone in the club",
        error_messages={"invalid_choice": "Choose someone who is in this club."},
    )

    def __init__(self, *args: Any, giver: Membership | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["for_member"]
        assert isinstance(field, forms.ModelChoiceField)
        if giver is not None:
            field.queryset = (
                Membership.objects.filter(club_id=giver.club_id, left_at__isnull=True)
                .exclude(pk=giver.pk)
                .select_related("user")
            )


class GoalForm(forms.Form):
    text = forms.CharField(
        label="A goal for the coming week",
        max_length=200,
        help_text=f"One small, clear step. Up to {GOALS_A_WEEK} a week.",
        error_messages={
            "required": "Write your goal in a few words.",
            "max_length": "Keep a goal under 200 characters: one small, clear step.",
        },
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Your note on this meeting",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write your note first.",
            "max_length": "Please keep a note under 4,000 characters.",
        },
    )
    visibility = forms.ChoiceField(
        label="Who sees it",
        choices=FacilitatorNote.Visibility.choices,
        initial=FacilitatorNote.Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )
