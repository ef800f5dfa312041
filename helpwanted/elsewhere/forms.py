from __future__ import annotations

from typing import Any

from django import forms

from helpwanted.accounts.models import User


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
