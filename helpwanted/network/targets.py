"""Actions for targets: the companies a seeker would like to work at."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from helpwanted.accounts.models import User
from helpwanted.network.companies import company_key
from helpwanted.network.models import Target

__all__ = ["target_add", "target_remove"]


def _already_there(company: str, existing: Target) -> ValidationError:
    same = "" if existing.company == company else f" (as “{existing.company}”)"
    return ValidationError(
        {"company": f"{company} is already on your list{same}. You can open it from there."},
        code="duplicate",
    )


def target_add(*, owner: User, company: str, why: str = "") -> Target:
    """Add a company to the seeker's targets.

    Raises ValidationError keyed on "company" when the name is blank or the company (as
    company_key sees it, so "Acme Inc." and "ACME Corporation" are one) is already there.
    A form can show it next to its field with form.add_error(None, error).
    """
    company = " ".join(company.split())
    key = company_key(company)
    if not key:
        raise ValidationError({"company": "Enter the company's name."}, code="required")
    with transaction.atomic():
        existing = Target.objects.filter(owner=owner, company_key=key).first()
        if existing is not None:
            raise _already_there(company, existing)
        try:
            with transaction.atomic():
                return Target.objects.create(
                    owner=owner, company=company, company_key=key, why=" ".join(why.split())
                )
        except IntegrityError:  # added a moment ago in another tab
            existing = Target.objects.filter(owner=owner, company_key=key).first()
            if existing is None:
                raise
            raise _already_there(company, existing) from None


def target_remove(*, target: Target) -> None:
    """Take a company off the seeker's targets. The people who work there stay."""
    with transaction.atomic():
        target.delete()
