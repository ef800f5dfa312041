from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.asks import actions, coach
from helpwanted.asks.access import get_ask_for_seeker, get_recipient_for_seeker
from helpwanted.asks.forms import (
    AskForm,
    FollowUpForm,
    HelpGivenForm,
    OutcomeForm,
    RecordAnswerForm,
    ThanksForm,
)
from helpwanted.asks.models import Ask, Recipient
from helpwanted.asks.selectors import (
    ask_recipients,
    asks_with_counts,
    follow_up_due,
    ledger,
    let_go_due,
    people_to_add,
    recipients_needing_follow_up,
)
from helpwanted.lib.ids import parse_id, parse_ids
from helpwanted.network.access import get_person_for_seeker
from helpwanted.network.models import Person
from helpwanted.nudges.selectors import suggestions_for_ask

# Good examples under their readable kind ("Job leads", not "job_lead").
EXAMPLES = {coach.KINDS.get(kind, kind): text for kind, text in coach.EXAMPLES.items()}


def _review(data: dict) -> coach.CoachResult:
    return coach.review(
        kind=data.get("kind") or "other",
        request=data.get("request") or "",
        why=data.get("why") or "",
        needed_by=data.get("needed_by"),
        today=timezone.localdate(),
    )


@login_required
def ask_list(request: AuthedRequest) -> HttpResponse:
    finished = request.GET.get("show") == "finished"
    asks = asks_with_counts(request.user).filter(closed_at__isnull=not finished)
    context = {
        "finished": finished,
        "page": Paginator(asks, 30).get_page(request.GET.get("page")),
        "query_string": "show=finished" if finished else "",
        "follow_ups": recipients_needing_follow_up(request.user),
    }
    return render(request, "asks/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ask_new(request: AuthedRequest) -> HttpResponse:
    initial = {
        "kind": request.GET.get("kind", "advice"),
        "target": parse_id(request.GET.get("target")),
    }
    initial["request"] = request.GET.get("request", "")[:2000]  # a prefilled suggestion
    form = AskForm(request.POST or None, owner=request.user, initial=initial)
    to_ids = parse_ids(request.POST.getlist("to") if request.POST else request.GET.getlist("to"))
    to = list(Person.objects.filter(owner=request.user, pk__in=to_ids).order_by("name"))
    if request.method == "POST" and form.is_valid() and "check" not in request.POST:
        try:
            if len(to) != len(to_ids):
                raise actions.AskError("You can only ask people from your own list.")
            ask = actions.ask_create(owner=request.user, fields=form.cleaned_data, people=to)
        except actions.AskError as error:
            form.add_error(None, str(error))
        else:
            return redirect("asks:detail", ask.pk)
    context = {
        "form": form,
        "to": to,
        "examples": EXAMPLES,
        "result": _review(_form_data(form)),
    }
    return render(request, "asks/compose.html", context)


@login_required
@require_POST
def ask_coach(request: AuthedRequest) -> HttpResponse:
    """Live advice beside the composer (htmx); it never saves or blocks anything."""
    form = AskForm(request.POST, owner=request.user)
    return render(request, "asks/compose.html#coach", {"result": _review(_form_data(form))})


def _form_data(form: AskForm) -> dict:
    """What the seeker typed so far, valid or not, for the coach to read."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {
        **form.cleaned_data,
        "request": form.data.get("request", ""),
        "why": form.data.get("why", ""),
        "kind": form.data.get("kind", ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def ask_edit(request: AuthedRequest, ask_id: int) -> HttpResponse:
    ask = get_ask_for_seeker(request, ask_id)
    form = AskForm(request.POST or None, instance=ask, owner=request.user)
    if request.method == "POST" and form.is_valid() and "check" not in request.POST:
        actions.ask_update(ask=ask, fields=form.cleaned_data)
        return redirect("asks:detail", ask.pk)
    result = _review(_form_data(form) if form.is_bound else vars(ask))
    context = {"form": form, "ask": ask, "examples": EXAMPLES, "result": result}
    return render(request, "asks/compose.html", context)


@login_required
def ask_detail(request: AuthedRequest, ask_id: int) -> HttpResponse:
    ask = get_ask_for_seeker(request, ask_id)
    context = _detail_context(request, ask)
    if request.htmx and request.GET.get("partial") == "search":
        return render(request, "asks/detail.html#search-results", context)
    return render(request, "asks/detail.html", context)


def _detail_context(request: AuthedRequest, ask: Ask) -> dict[str, Any]:
    recipients = ask_recipients(ask)
    now = timezone.now()
    for r in recipients:
        r.ask = ask
        r.follow_up_due, r.let_go_due = follow_up_due(r, now), let_go_due(r, now)
    query = request.GET.get("q") or request.POST.get("q") or ""
    drafts = [r for r in recipients if r.status == Recipient.Status.DRAFT]
    return {
        "ask": ask,
        "recipients": recipients,
        "drafts": drafts,
        "to_email": [r for r in drafts if r.gets_email],
        "to_ask": [r for r in drafts if not r.gets_email],
        "query": query,
        "found": people_to_add(ask, query),
        "result": _review(vars(ask)),
        # Whom to ask (nudges): ranked people for this ask's kind, added with one click. Ranking
        # reads every person, so only while composing (or on ?suggest=1), and lazily.
        "suggestions": SimpleLazyObject(
            lambda: (
                suggestions_for_ask(ask, owner=request.user)
                if ask.closed_at is None and (ask.is_draft or request.GET.get("suggest"))
                else None
            )
        ),
    }


def _typed(request: AuthedRequest, prefix: str) -> dict[int, str]:
    """Per-recipient values from the send form: `line_<id>` or `channel_<id>`, by recipient id."""
    typed: dict[int, str] = {}
    for name in request.POST:
        if name.startswith(prefix) and (pk := parse_id(name.removeprefix(prefix))) is not None:
            typed[pk] = request.POST.get(name, "")
    return typed


def _save_typed(request: AuthedRequest, ask: Ask) -> None:
    """Whatever button was pressed, the personal lines typed on the send screen are kept."""
    lines, channels = _typed(request, "line_"), _typed(request, "channel_")
    if lines or channels:
        actions.drafts_save(ask=ask, lines=lines, channels=channels)


def _names(recipients: list[Recipient]) -> str:
    names = [r.person.name for r in recipients]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _add(request: AuthedRequest, ask: Ask, person: Person) -> None:
    try:
        actions.recipient_add(ask=ask, person=person)
    except actions.AskError as error:
        messages.error(request, str(error))


@login_required
@require_POST
def recipient_add(request: AuthedRequest, ask_id: int) -> HttpResponse:
    """Add one person. With htmx only the people part is redrawn, so the seeker keeps their place;
    without JS the redirect lands back where they pressed Add."""
    ask = get_ask_for_seeker(request, ask_id)
    person_id = parse_id(request.POST.get("person"))
    try:
        _save_typed(request, ask)
    except actions.AskError as error:
        messages.error(request, str(error))
    person = get_person_for_seeker(request, person_id) if person_id is not None else None
    if person is not None:
        _add(request, ask, person)
    if request.htmx:
        context = {**_detail_context(request, ask), "added": person}
        return render(request, "asks/detail.html#people", context)
    if request.POST.get("from") == "search":  # back to the search, its results still there
        query = urlencode({"q": request.POST.get("q", "")})
        return redirect(f"{reverse('asks:detail', args=[ask.pk])}?{query}#add-someone")
    more = "" if ask.is_draft else "?suggest=1"
    return redirect(reverse("asks:detail", args=[ask.pk]) + more + "#suggest")


@login_required
@require_POST
def recipient_update(request: AuthedRequest, recipient_id: int) -> HttpResponse:
    recipient = get_recipient_for_seeker(request, recipient_id)
    pk = recipient.pk
    try:
        if _typed(request, "line_") or _typed(request, "channel_"):  # from the send form
            _save_typed(request, recipient.ask)
        else:
            actions.recipient_update(
                recipient=recipient,
                personal_line=request.POST.get("personal_line", recipient.personal_line),
                channel=request.POST.get("channel", recipient.channel),
            )
        messages.success(request, f"Saved your note for {recipient.person.name}.")
    except actions.AskError as error:
        messages.error(request, str(error))
    return redirect(reverse("asks:detail", args=[recipient.ask_id]) + f"#recipient-{pk}")


@login_required
@require_POST
def recipient_remove(request: AuthedRequest, recipient_id: int) -> HttpResponse:
    recipient = get_recipient_for_seeker(request, recipient_id)
    try:
        _save_typed(request, recipient.ask)
        actions.recipient_remove(recipient=recipient)
    except actions.AskError as error:
        messages.error(request, str(error))
    return redirect(reverse("asks:detail", args=[recipient.ask_id]) + "#who-heading")


@login_required
@require_POST
def recipient_asked(request: AuthedRequest, recipient_id: int) -> HttpResponse:
    """The seeker asked this person face to face or by phone."""
    recipient = get_recipient_for_seeker(request, recipient_id)
    try:
        actions.recipient_mark_asked(recipient=recipient)
    except actions.AskError as error:
        messages.error(request, str(error))
    else:
        name = recipient.person.name
        messages.success(request, f"Noted: you asked {name}. Record their answer when you hear.")
    return redirect(reverse("asks:detail", args=[recipient.ask_id]) + f"#recipient-{recipient.pk}")


@login_required
@require_POST
def ask_send(request: AuthedRequest, ask_id: int) -> HttpResponse:
    ask = get_ask_for_seeker(request, ask_id)
    try:
        sent = actions.ask_send(
            ask=ask, lines=_typed(request, "line_"), channels=_typed(request, "channel_")
        )
    except actions.AskError as error:
        messages.error(request, str(error))
        return redirect("asks:detail", ask.pk)
    if not sent:  # a second press of Send: the first one sent it
        messages.info(request, "This ask has gone out. Their answers will show here.")
        return redirect("asks:detail", ask.pk)
    emailed = [r for r in sent if r.status == Recipient.Status.SENT]
    to_ask = [r for r in sent if r.status == Recipient.Status.TO_ASK]
    each = ", each their own message" if len(emailed) > 1 else ""
    said = [f"Emailed {_names(emailed)}{each}."] if emailed else []
    if to_ask:
        said.append(
            f"{'' if emailed else 'No email went out. '}Ask {_names(to_ask)} in person or by "
            "phone, then press “I've asked them” so you can note the answer."
        )
    said.append("Asking is brave.")
    messages.success(request, " ".join(said))
    return redirect("asks:detail", ask.pk)


@login_required
@require_POST
def ask_close(request: AuthedRequest, ask_id: int) -> HttpResponse:
    ask = get_ask_for_seeker(request, ask_id)
    if request.POST.get("reopen"):
        actions.ask_reopen(ask=ask)
    else:
        actions.ask_close(ask=ask)
    return redirect("asks:detail", ask.pk)


FOLLOW_UP_DONE = {
    True: "Follow-up sent to {name}. That's the last nudge: if they stay quiet, let it go kindly.",
    False: "Noted that you followed up with {name} yourself. No email went from here. "
    "That's the last nudge: if they stay quiet, let it go kindly.",
}
THANKED_DONE = {
    actions.Thanked.EMAILED: "Thank-you sent to {name}.",
    actions.Thanked.ALREADY_EMAILED: "Saved your new words. {name} already has your "
    "thank-you by email, so we haven't emailed them again.",
    actions.Thanked.NOT_EMAILED: "Thanks recorded. We can't email {name}, so tell them "
    "yourself: a call or a message means a lot.",
    actions.Thanked.IN_CLUB: "Thanks recorded. No email went from here: {name} is in your job "
    "club, and a word at the next meeting means a lot.",
}


def _recipient_form_view(
    request: AuthedRequest,
    recipient_id: int,
    form_class: type[forms.Form],
    template: str,
    initial: Callable[[Recipient], dict[str, object]],
    save: Callable[[Recipient, dict[str, Any]], object],
    done_message: str | Callable[[object], str],
) -> HttpResponse:
    recipient = get_recipient_for_seeker(request, recipient_id)
    form = form_class(request.POST or None, initial=initial(recipient))
    if request.method == "POST" and form.is_valid():
        try:
            result = save(recipient, form.cleaned_data)
        except actions.AskError as error:
            messages.error(request, str(error))
        else:
            # What the action did decides the words, so nothing claims an email that didn't go.
            text = done_message if isinstance(done_message, str) else done_message(result)
            messages.success(request, text.format(name=recipient.person.name))
        return redirect("asks:detail", recipient.ask_id)
    return render(request, template, {"form": form, "recipient": recipient, "ask": recipient.ask})


@login_required
@require_http_methods(["GET", "POST"])
def recipient_follow_up(request: AuthedRequest, recipient_id: int) -> HttpResponse:
    return _recipient_form_view(
        request,
        recipient_id,
        FollowUpForm,
        "asks/follow_up.html",
        lambda r: {"text": actions.follow_up_text(r)},
        lambda r, d: actions.recipient_follow_up(recipient=r, text=d["text"]),
        lambda emailed: FOLLOW_UP_DONE[bool(emailed)],
    )


@login_required
@require_POST
def recipient_let_go(request: AuthedRequest, recipient_id: int) -> HttpResponse:
    recipient = get_recipient_for_seeker(request, recipient_id)
    actions.recipient_let_go(recipient=recipient)
    messages.success(request, "Let go. People are busy; it says nothing about you.")
    return redirect("asks:detail", recipient.ask_id)


@login_required
@require_http_methods(["GET", "POST"])
def recipient_record(request: AuthedRequest, recipient_id: int) -> HttpResponse:
    return _recipient_form_view(
        request,
        recipient_id,
        RecordAnswerForm,
        "asks/record.html",
        lambda r: {},
        lambda r, d: actions.recipient_record_answer(recipient=r, **d),
        "Noted {name}'s answer.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recipient_outcome(request: AuthedRequest, recipient_id: int) -> HttpResponse:
    return _recipient_form_view(
        request,
        recipient_id,
        OutcomeForm,
        "asks/outcome.html",
        lambda r: {"led_to": r.led_to or "nothing_yet", "outcome": r.outcome},
        lambda r, d: actions.recipient_done(recipient=r, **d),
        "Recorded. Now is a lovely moment to thank {name}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def recipient_thank(request: AuthedRequest, recipient_id: int) -> HttpResponse:
    return _recipient_form_view(
        request,
        recipient_id,
        ThanksForm,
        "asks/thank.html",
        lambda r: {"text": r.thanks_text or actions.thanks_text(r)},
        lambda r, d: actions.recipient_thank(recipient=r, text=d["text"]),
        lambda thanked: THANKED_DONE[actions.Thanked(str(thanked))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_view(request: AuthedRequest) -> HttpResponse:
    form = HelpGivenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.help_given_add(owner=request.user, **form.cleaned_data)
        messages.success(request, "Added. Giving help counts too.")
        return redirect("asks:ledger")
    return render(request, "asks/ledger.html", {"form": form, **ledger(request.user)})
