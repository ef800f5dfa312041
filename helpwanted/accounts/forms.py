import hashlib
import zoneinfo
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from helpwanted.accounts.models import User, normalize_email
from helpwanted.mail.actions import outbox_enqueue


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(n for n in zoneinfo.available_timezones() if "/" in n or n == "UTC")
    return [(n, n.replace("_", " ")) for n in names]


class SignupForm(forms.Form):
    purpose = forms.ChoiceField(
        label="What brings you here?",
        choices=[("seek", "I'm looking for work"), ("club", "I run a job club")],
        initial="seek",
        required=False,
        widget=forms.RadioSelect,
        help_text="Either way you get the same account: you can do both.",
    )
    display_name = forms.CharField(
        label="Your name", max_length=120, help_text="What your helpers will see, e.g. “Alice”."
    )
    email = forms.EmailField(label="Email address")
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A short sentence you'll remember works well.",
    )
    timezone = forms.ChoiceField(
        label="Your timezone",
        choices=timezone_choices,
        initial="UTC",
        required=False,
        widget=forms.Select(attrs={"data-detect": "1"}),
    )

    TAKEN = (
        "There's already an account with this email. You can log in, or reset your "
        "password if you've forgotten it."
    )

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(self.TAKEN)
        return email

    def clean_timezone(self) -> str:
        return self.cleaned_data.get("timezone") or "UTC"

    def clean_purpose(self) -> str:
        return self.cleaned_data.get("purpose") or "seek"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            probe = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autofocus": True})
    )
    error_messages = {
        "invalid_login": (
            "That email and password don't match an account. Check for a typo, or reset your "
            "password below."
        ),
        "inactive": "This account is switched off. Write to us if that's a surprise.",
    }

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label="Your timezone", choices=timezone_choices)

    class Meta:
        model = User
        fields = ["display_name", "timezone"]
        labels = {"display_name": "Your name"}
        help_texts = {"display_name": "What your helpers see when you ask them for something."}


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email written to our outbox instead of sent inline."""

    def get_users(self, email: str) -> Any:
        return super().get_users(normalize_email(email))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        # The link's host comes from SITE_URL, never from the request's Host header, which a
        # stranger can set to their own site and so collect the reset token.
        site = urlsplit(settings.SITE_URL)
        context = {**context, "protocol": site.scheme, "domain": site.netloc + site.path}
        fingerprint = hashlib.sha256(context["token"].encode()).hexdigest()[:16]
        outbox_enqueue(
            key=f"password-reset:{user.pk}:{fingerprint}",
            template="password-reset",
            to_email=to_email,
            user=user,
            context=context,
        )
