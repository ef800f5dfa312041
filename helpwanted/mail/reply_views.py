"""The seeker's side of replies by email: read one in full, confirm its answer, approve or
discard a held one. Nothing from an inbound message is ever rendered as HTML."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.asks.actions import AskError, recipient_answer
from helpwanted.mail.access import get_reply_for_seeker
from helpwanted.mail.inbound import apply
from helpwanted.mail.inbound.parse import read_message
from helpwanted.mail.inbound.process import decided
from helpwanted.mail.models import InboundMessage

Status = InboundMessage.Status


def _back(reply: InboundMessage) -> HttpResponseRedirect:
    if reply.recipient_id is not None and reply.recipient is not None:
        url = reverse("asks:detail", args=[reply.recipient.ask_id])
        return redirect(f"{url}#recipient-{reply.recipient_id}")
    return redirect("network:person", reply.person_id)


@login_required
def reply_detail(request: AuthedRequest, email_reply_id: int) -> HttpResponse:
    reply = get_reply_for_seeker(request, email_reply_id)
    # The body as the helper's client wrote it (decoded, quote and all), from the stored copy.
    whole = read_message(reply.raw.encode("utf-8", errors="replace")).text
    return render(request, "mail/reply_detail.html", {"reply": reply, "whole": whole})


@login_required
@require_POST
def reply_confirm(request: AuthedRequest, email_reply_id: int) -> HttpResponse:
    """One click: the answer suggested from their reply (or another the seeker picks) is theirs."""
    reply = get_reply_for_seeker(request, email_reply_id)
    answer = request.POST.get("answer", "")
    if reply.status != Status.SUGGESTED or reply.recipient is None:
        messages.info(request, "That reply's answer is already settled.")
        return _back(reply)
    if answer not in InboundMessage.Answer.values:
        messages.error(request, "Choose one of the answers.")
        return _back(reply)
    name = reply.recipient.person.name
    try:
        recipient_answer(recipient=reply.recipient, answer=answer, message=reply.text)
    except AskError as error:
        messages.error(request, str(error))
        return _back(reply)
    decided(reply, Status.CONFIRMED)
    label = InboundMessage.Answer(answer).label
    messages.success(request, f"Noted: {name} said “{label}”.")
    return _back(reply)


@login_required
@require_POST
def reply_approve(request: AuthedRequest, email_reply_id: int) -> HttpResponse:
    reply = get_reply_for_seeker(request, email_reply_id)
    if reply.status != Status.HELD:
        messages.info(request, "You've already decided about that reply.")
        return _back(reply)
    outcome = apply.approve(reply)
    if outcome == "dropped":
        messages.info(request, f"Approved, but there was nothing it could go on: {reply.reason}.")
    else:
        messages.success(request, "Approved: it's on the record now.")
    return _back(reply)


@login_required
@require_POST
def reply_discard(request: AuthedRequest, email_reply_id: int) -> HttpResponse:
    reply = get_reply_for_seeker(request, email_reply_id)
    if reply.status == Status.HELD and decided(reply, Status.DISCARDED):
        messages.success(request, "Discarded. Nothing from it was kept on the record.")
    else:
        messages.info(request, "You've already decided about that reply.")
    return _back(reply)
