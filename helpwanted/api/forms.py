from datetime import timedelta

from django import forms

EXPIRY_DAYS = {"30": 30, "90": 90, "365": 365, "never": None}


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is it for?",
        max_length=80,
        help_text="A name you'll recognise later, like “My spreadsheet script”.",
        error_messages={"required": "Give it a name, so you know later what uses it."},
    )
    access = forms.ChoiceField(
        label="What may it do?",
        choices=[
            ("read", "Read only: see your people, asks, opportunities and the rest"),
            ("write", "Read and write: also add and change them (never send an ask)"),
        ],
        initial="read",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what it may do."},
    )
    expiry = forms.ChoiceField(
        label="Stops working after",
        choices=[("30", "30 days"), ("90", "90 days"), ("365", "A year"), ("never", "Never")],
        initial="90",
        error_messages={"invalid_choice": "Choose one of the times listed."},
    )

    def expires_in(self) -> timedelta | None:
        days = EXPIRY_DAYS[self.cleaned_data["expiry"]]
        return None if days is None else timedelta(days=days)
