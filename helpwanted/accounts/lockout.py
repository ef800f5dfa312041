"""django-axes hooks: lockouts key on the normalised email and the real client IP."""

from django.conf import settings
from django.http import HttpRequest

from helpwanted.accounts.models import normalize_email


def lockout_username(request: HttpRequest, credentials: dict[str, object] | None = None) -> str:
    """AXES_USERNAME_CALLABLE: "Alice@Example.org " and "alice@example.org" share one counter."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field) or request.POST.get(field, "")
    return normalize_email(str(raw))
