from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from helpwanted.mail.inbound.compose import reply_bytes
from helpwanted.mail.inbound.process import Outcome, inbound_process
from helpwanted.mail.models import OutboxMessage
from helpwanted.mail.replykeys import reply_key_lookup


def _require_dev_outbox() -> None:
    # The outbox page shows every email and its links: it must never exist in production.
    if not (settings.DEMO or settings.DEBUG) or settings.PRODUCTION:
        raise Http404


def outbox_list(request: HttpRequest) -> HttpResponse:
    _require_dev_outbox()
    page = Paginator(
        OutboxMessage.objects.only(
            "id",
            "kind",
            "to_email",
            "subject",
            "status",
            "created_at",
            "bounced_at",
            "bounce_status",
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(request, "mail/outbox_list.html", {"page": page})


def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_dev_outbox()
    message = get_object_or_404(OutboxMessage, pk=pk)
    reply_to = _reply_to(message) if message.kind in REPLYABLE else ""
    context = {"message": message, "reply_to": reply_to}
    return render(request, "mail/outbox_detail.html", context)


REPLYABLE = ("ask", "ask-follow-up")
REPLY_MAX = 5000


def _reply_to(message: OutboxMessage) -> str:
    return str((message.headers or {}).get("Reply-To", ""))


@require_POST
def outbox_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The demo's "Reply as this helper": a real RFC 5322 reply, quoting the email below the
    typed words like a mail client, through the same inbound_process as real mail."""
    _require_dev_outbox()
    message = get_object_or_404(OutboxMessage, pk=pk)
    reply_to, text = _reply_to(message), request.POST.get("text", "").strip()
    back = reverse("mail:outbox_detail", args=[message.pk])
    if not reply_to or message.kind not in REPLYABLE:
        raise Http404
    if not text or len(text) > REPLY_MAX:
        messages.error(request, f"Write the helper's reply first (up to {REPLY_MAX:,} characters).")
        return redirect(back)
    raw = reply_bytes(
        text=text,
        from_address=message.to_email,
        reply_to=reply_to,
        subject=message.subject,
        original_text=message.body_text,
        original_message_id=str((message.headers or {}).get("Message-ID", "")),
    )
    key = reply_key_lookup(reply_to)
    outcome = inbound_process(raw, reply_to, message.to_email)
    if outcome == Outcome.UNKNOWN or key is None:
        messages.error(
            request,
            "That reply address has expired or its link was switched off, "
            "so the reply was refused, as a real one would be.",
        )
        return redirect(back)
    said: str = {
        str(Outcome.SUGGESTED): "Their reply is on the ask, waiting for you to note its answer.",
        str(Outcome.DROPPED): "It was dropped: see the outbox for the note that went back.",
        str(Outcome.DUPLICATE): "That one was already here.",
    }.get(outcome, f"It was {outcome}.")
    messages.success(request, f"Replied as {message.to_email}. {said}")
    if key.recipient is not None:
        url = reverse("asks:detail", args=[key.recipient.ask_id])
        return redirect(f"{url}#recipient-{key.recipient_id}")
    return redirect(back)


# Email HTML carries inline styles (mail clients need them); allow those on this page only.
@csp_override({"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE], "img-src": [CSP.SELF]})
def outbox_html(request: HttpRequest, pk: int) -> HttpResponse:
    _require_dev_outbox()
    message = get_object_or_404(OutboxMessage, pk=pk)
    if not message.body_html:
        raise Http404
    return HttpResponse(message.body_html)
