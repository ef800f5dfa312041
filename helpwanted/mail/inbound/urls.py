"""A mail provider's inbound webhook (django-anymail), only when HELPWANTED_INBOUND_ESP names
one: then `inbound/<esp>/` takes that provider's inbound posts. Off (no URL at all) otherwise."""

from django.conf import settings
from django.urls import URLPattern, path

from helpwanted.mail.inbound.webhook import inbound_view

app_name = "inbound"
urlpatterns: list[URLPattern] = []
if settings.INBOUND_ESP:
    urlpatterns.append(path(f"{settings.INBOUND_ESP}/", inbound_view(), name="webhook"))
