from typing import Any

from django import forms
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.models import Ask, LedTo, Recipient
from helpwanted.lib.forms import IsoDateInput
from helpwanted.network.models import Target


class AskForm(forms.ModelForm):
    class Meta:
        model = Ask
        fields = ["kind", "request", "why", "needed_by", "target", "follow_up_days"]
        labels = {
            "kind": "What kind of help?",
            "request": "What would you like them to do?",
            "why": "Why it matters to you",
            "needed_by": "When do you need it by? (optional)",
            "target": "Is it about a company on your list? (optional)",
            "follow_up_days": "Suggest a gentle follow-up after this many days",
        }
        help_texts = {
            "request": "One clear thing one person could do, in a few sentences.",
            "why": "A sentence is plenty. People help more when they know why.",
        }
        widgets = {
            "request": forms.Textarea(attrs={"rows": 5}),
            "why": forms.Textarea(attrs={"rows": 2}),
            "needed_by": IsoDateInput(),
        }
        error_messages = {
            "request": {"required": "Write what you'd like them to do. One sentence is enough."}
        }

    def __init__(self, *args: Any, owner: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)  # the model field is a ForeignKey
        target.queryset = Target.objects.filter(owner=owner)
        target.empty_label = "No, it's general"
        follow_up_days = self.fields["follow_up_days"]
        assert isinstance(follow_up_days, forms.IntegerField)  # a PositiveSmallIntegerField
        follow_up_days.min_value = 1
        follow_up_days.widget.attrs.update(min=1, max=30)

    def clean_needed_by(self) -> object:
        needed_by = self.cleaned_data.get("needed_by")
        if needed_by and needed_by < timezone.localdate():
            raise forms.ValidationError("That date has already passed. Pick today or later.")
        return needed_by

    def clean_follow_up_days(self) -> int:
        days = self.cleaned_data.get("follow_up_days") or 5
        if not 1 <= days <= 30:
            raise forms.ValidationError("Choose between 1 and 30 days.")
        return days


class RecipientForm(forms.ModelForm):
    class Meta:
        model = Recipient
        fields = ["personal_line", "channel"]
        labels = {
            "personal_line": "A personal line for them (optional)",
            "channel": "How you'll ask",
        }
        widgets = {"channel": forms.RadioSelect}


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[
            ("yes", "Yes, I can"),
            ("suggest", "I can't, but I know someone"),
            ("not_now", "Not right now"),
            ("no", "No, sorry"),
        ],
        widget=forms.RadioSelect,  # the big answer buttons on the helper's page are radios
        error_messages={"required": "Choose one of the answers."},
    )
    message = forms.CharField(
        label="A message for them (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Please keep your message under 2,000 characters."},
    )
    offer_when = forms.CharField(label="When suits you? (optional)", required=False, max_length=200)
    suggest_name = forms.CharField(label="Who should they try?", required=False, max_length=200)
    suggest_email = forms.EmailField(label="Their email (optional)", required=False)
    suggest_company = forms.CharField(
        label="Where they work (optional)", required=False, max_length=200
    )
    suggest_note = forms.CharField(
        label="Anything to know? (optional)", required=False, max_length=500
    )
    keep_me_posted = forms.BooleanField(label="Keep me posted on their search", required=False)

    def __init__(self, *args: Any, seeker_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if seeker_name:
            self.fields["keep_me_posted"].label = f"Keep me posted on {seeker_name}'s search"

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("answer") == "suggest" and not cleaned.get("suggest_name", "").strip():
            self.add_error("suggest_name", "Tell them who to try: a name is enough.")
        return cleaned

    def suggestion(self) -> dict[str, str]:
        return {
            "name": self.cleaned_data.get("suggest_name", ""),
            "email": self.cleaned_data.get("suggest_email", ""),
            "company": self.cleaned_data.get("suggest_company", ""),
            "note": self.cleaned_data.get("suggest_note", ""),
        }


class RecordAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="What did they say?",
        choices=[("yes", "Yes, they can"), ("not_now", "Not right now"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label="Your follow-up",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write a line or two, or use the prepared text."},
    )


class OutcomeForm(forms.Form):
    led_to = forms.ChoiceField(
        label="What did it lead to?",
        choices=LedTo.choices,
        widget=forms.RadioSelect,
        initial=LedTo.NOTHING_YET,
    )
    outcome = forms.CharField(
        label="What happened? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ThanksForm(forms.Form):
    text = forms.CharField(
        label="Your thank-you",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write a line or two of thanks."},
    )


class HelpGivenForm(forms.Form):
    who = forms.CharField(label="Who did you help?", max_length=200)
    what = forms.CharField(label="What did you do?", max_length=500)
    given_on = forms.DateField(label="When", widget=IsoDateInput(), initial=timezone.localdate)

    def clean_given_on(self) -> object:
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("That date is in the future. When did it happen?")
        return given_on
