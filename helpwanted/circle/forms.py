from typing import Any

from django import forms

from helpwanted.circle.models import AUDIENCE_HELP, Audience, CircleMember, NewsTiming
from helpwanted.journey.models import Reaction


class CircleAddForm(forms.ModelForm):
    audience = forms.ChoiceField(
        label="What they see",
        choices=[(a.value, f"{a.label}: {AUDIENCE_HELP[a]}") for a in Audience],
        widget=forms.RadioSelect,
        initial=Audience.SUPPORTERS,
    )

    class Meta:
        model = CircleMember
        fields = ["audience"]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        help_text="Their personal link goes here. They won't need an account or a password.",
        error_messages={
            "required": "Enter the email address to send their link to.",
            "invalid": "That doesn't look like an email address. Check for a typo.",
        },
    )
    message = forms.CharField(
        label="A personal line (optional)",
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: “You've always been good at keeping me going.”",
    )

    def __init__(self, *args: Any, bounced: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bounced = bounced  # their address that bounced for good, if it still stands

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if self.bounced and email == self.bounced:
            raise forms.ValidationError(
                "Email to this address bounced: their mail server said it can't be delivered. "
                "Check it with them and type the right one."
            )
        return email


class HelperPreferencesForm(forms.ModelForm):
    digest_enabled = forms.BooleanField(
        label="Send me a weekly summary of how they're doing (at most one email a week)",
        required=False,
    )
    pause = forms.BooleanField(label="Pause the weekly summary for 4 weeks", required=False)
    news_timing = forms.ChoiceField(
        label="When they share a rejection or hard news, tell me",
        choices=NewsTiming.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = CircleMember
        fields = ["digest_enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("news_timing", self.instance.news_choice)
        self.initial.setdefault("pause", self.instance.digest_paused)


class EncourageForm(forms.Form):
    reaction = forms.ChoiceField(
        label="Send them",
        choices=Reaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one of the warm words, or write your own below."},
        required=False,
    )
    text = forms.CharField(
        label="A few words of your own (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Please keep it under 500 characters."},
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if not cleaned.get("reaction") and not cleaned.get("text", "").strip():
            raise forms.ValidationError("Choose one of the warm words, or write a few of your own.")
        return cleaned
