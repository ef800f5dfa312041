"""A mail provider's bounce webhook (django-anymail's tracking webhooks), only when
HELPWANTED_BOUNCE_ESP names one AND ANYMAIL_WEBHOOK_SECRET is set: then `bounces/<esp>/` takes
that provider's delivery events, and its "bounced" and "rejected" ones are recorded like a
DSN (helpwanted/mail/bounces.py, `on_tracking`). Off (no URL at all) otherwise: without the
secret anyone could post a fake bounce and stop email to an address."""

import importlib
from typing import Any

from django.conf import settings
from django.urls import URLPattern, path

# esp name -> (module in anymail.webhooks, tracking view class)
VIEWS = {
    "amazon_ses": ("amazon_ses", "AmazonSESTrackingWebhookView"),
    "brevo": ("brevo", "BrevoTrackingWebhookView"),
    "mailersend": ("mailersend", "MailerSendTrackingWebhookView"),
    "mailgun": ("mailgun", "MailgunTrackingWebhookView"),
    "mailjet": ("mailjet", "MailjetTrackingWebhookView"),
    "postal": ("postal", "PostalTrackingWebhookView"),
    "postmark": ("postmark", "PostmarkTrackingWebhookView"),
    "resend": ("resend", "ResendTrackingWebhookView"),
    "sendgrid": ("sendgrid", "SendGridTrackingWebhookView"),
    "sparkpost": ("sparkpost", "SparkPostTrackingWebhookView"),
}


def tracking_view(esp: str) -> Any:
    module, name = VIEWS[esp]
    return getattr(importlib.import_module(f"anymail.webhooks.{module}"), name).as_view()


def patterns() -> list[URLPattern]:
    esp = str(getattr(settings, "BOUNCE_ESP", "") or "")
    secret = (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET")
    if esp not in VIEWS or not secret:
        return []
    return [path(f"{esp}/", tracking_view(esp), name="webhook")]


app_name = "bounces"
urlpatterns = patterns()
