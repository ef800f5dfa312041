"""Form pieces every app shares."""

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    """An ``<input type=date>`` whose value is always ISO (2017-04-20).

    Browsers only understand ISO in a date input: a locale date such as 20/04/2017 shows as
    empty, and saving the form unchanged then erases the date. So every date input in the app
    uses this widget instead of ``forms.DateInput``.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)
