"""The app's own rules for what the API is sent: the same forms and actions as the pages.

A schema only knows shapes and sizes. Whether an address is an email, a LinkedIn URL is a
profile, a date has passed or a referrer is one of your people is decided by the forms the
pages use, so the API can never accept what the app would refuse. Their messages come back as
422 field errors, renamed to the API's field names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NoReturn

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

from helpwanted.accounts.http import AuthedRequest
from helpwanted.api.errors import ApiError


def form_data(values: Mapping[str, Any]) -> dict[str, str]:
    """API values as a browser would post them: text, dates in ISO, lists comma-separated."""
    data: dict[str, str] = {}
    for name, value in values.items():
        if value is None or value is False:
            continue  # an unticked box, an empty choice
        if value is True:
            data[name] = "on"
        elif isinstance(value, list):
            data[name] = ", ".join(str(item) for item in value)
        elif isinstance(value, date):
            data[name] = value.isoformat()
        elif isinstance(value, models.Model):
            data[name] = str(value.pk)
        else:
            data[name] = str(value)
    return data


def checked(form: forms.BaseForm, rename: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The form's cleaned data, or a 422 with its messages under the API's field names."""
    if form.is_valid():
        return form.cleaned_data
    rename = rename or {}
    raise ApiError.invalid(
        {rename.get(name, name): [str(e) for e in errors] for name, errors in form.errors.items()}
    )


def from_validation_error(
    error: ValidationError, rename: Mapping[str, str] | None = None
) -> NoReturn:
    rename = rename or {}
    if hasattr(error, "error_dict"):
        raise ApiError.invalid(
            {rename.get(name, name): msgs for name, msgs in error.message_dict.items()}
        ) from error
    raise ApiError.invalid({"__all__": error.messages}) from error


def owned[T](
    getter: Callable[[AuthedRequest, int], T], request: AuthedRequest, pk: int, field: str
) -> T:
    """One of the seeker's own objects named in the body, through its access function; a 422
    on `field` when it isn't theirs (or doesn't exist)."""
    try:
        return getter(request, pk)
    except Http404:
        raise ApiError.invalid(
            {field: [f"Nothing with id {pk} among yours. Check the id."]}
        ) from None
