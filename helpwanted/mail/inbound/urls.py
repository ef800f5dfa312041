"""A mail provider's inbound webhook (django-anymail), only when HELPWANTED_INBOUND_ESP names
one AND ANYMAIL_WEBHOOK_SECRET is set: then `inbound/<esp>/` takes that provider's inbound
posts. Off (no URL at all) otherwise: without the secret anyone could post a reply."""

from django.conf import settings
from django.urls import URLPattern, path

from helpwanted.mail.inbound.webhook import VIEWS, inbound_view


def patterns() -> list[URLPattern]:
    esp = str(getattr(settings, "INBOUND_ESP", "") or "")
    secret = (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET")
    if esp not in VIEWS or not secret:
        return []
    return [path(f"{esp}/", inbound_view(esp), name="webhook")]


app_name = "inbound"
urlpatterns = patterns()
