"""Replies through a mail provider's inbound webhook (django-anymail).

The provider posts each message to `inbound/<esp>/` (see urls.py: only when
HELPWANTED_INBOUND_ESP is set; anymail checks ANYMAIL_WEBHOOK_SECRET as basic auth). Anymail
turns it into an AnymailInboundMessage and sends its `inbound` signal; this receiver hands the
message to the same `inbound_process` as the SMTP listener and the pipe command.
"""

import importlib
from typing import Any

from anymail.signals import inbound  # type: ignore[import-untyped]

from helpwanted.mail.inbound.process import inbound_process

# esp name -> (module in anymail.webhooks, inbound view class)
VIEWS = {
    "amazon_ses": ("amazon_ses", "AmazonSESInboundWebhookView"),
    "brevo": ("brevo", "BrevoInboundWebhookView"),
    "mailersend": ("mailersend", "MailerSendInboundWebhookView"),
    "mailgun": ("mailgun", "MailgunInboundWebhookView"),
    "mailjet": ("mailjet", "MailjetInboundWebhookView"),
    "postal": ("postal", "PostalInboundWebhookView"),
    "postmark": ("postmark", "PostmarkInboundWebhookView"),
    "resend": ("resend", "ResendInboundWebhookView"),
    "sendgrid": ("sendgrid", "SendGridInboundWebhookView"),
    "sparkpost": ("sparkpost", "SparkPostInboundWebhookView"),
}


def inbound_view(esp: str) -> Any:
    module, name = VIEWS[esp]
    view_class = getattr(importlib.import_module(f"anymail.webhooks.{module}"), name)
    inbound.connect(on_inbound, dispatch_uid="helpwanted-inbound")
    return view_class.as_view()


def on_inbound(sender: Any, event: Any, esp_name: str = "", **kwargs: Any) -> None:
    message = event.message
    if message is None:
        return
    rcpt = message.envelope_recipient or ""
    if not rcpt:  # some providers only give the To header
        rcpt = next((a.addr_spec for a in message.to), "") if message.to else ""
    inbound_process(message.as_bytes(), rcpt, message.envelope_sender or "")
