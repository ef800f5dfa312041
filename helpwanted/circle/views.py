from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.asks.access import get_recipient_for_helper
from helpwanted.asks.actions import ANSWERS, AskError, helper_opened, recipient_answer
from helpwanted.asks.forms import AnswerForm
from helpwanted.asks.models import Recipient
from helpwanted.asks.selectors import asks_for_helper
from helpwanted.circle import actions
from helpwanted.circle.access import (
    HELPER_SESSION_KEY,
    get_grant_for_helper,
    get_member_for_seeker,
)
from helpwanted.circle.forms import (
    CircleAddForm,
    EncourageForm,
    HelperPreferencesForm,
    InviteForm,
)
from helpwanted.circle.models import (
    AUDIENCE_HELP,
    AUDIENCE_HELP_FOR_HELPER,
    Audience,
    CircleMember,
    Consent,
    HelperGrant,
)
from helpwanted.circle.news import encourage_send
from helpwanted.circle.unsubscribe import member_from_value
from helpwanted.journey.checkins import checkin_summary_for_helper
from helpwanted.journey.landed import landing_thanks_for_helper
from helpwanted.journey.updates import (  # updates: the helper's "How it's going"
    UpdateError,
    get_update_for_helper,
    helper_updates,
)
from helpwanted.lib.ids import parse_id
from helpwanted.lib.undo import offer_undo
from helpwanted.network.access import get_person_for_seeker

# --- The seeker's side -------------------------------------------------------------------


@login_required
def circle_list(request: AuthedRequest) -> HttpResponse:
    members = (
        CircleMember.objects.filter(owner=request.user)
        .select_related("person")
        .order_by("person__name")
    )
    groups = [
        (audience, AUDIENCE_HELP[audience], [m for m in members if m.audience == audience])
        for audience in Audience
    ]
    return render(request, "circle/list.html", {"groups": groups, "count": len(members)})


@login_required
@require_POST
def circle_add(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_seeker(request, person_id)
    form = CircleAddForm(request.POST)
    if form.is_valid():
        member = actions.circle_add(person=person, audience=form.cleaned_data["audience"])
        messages.success(
            request, f"{person.name} is in your circle as {member.get_audience_display().lower()}."
        )
        if not member.invited_at:
            return redirect("circle:invite", member.pk)
    else:
        messages.error(request, "Choose what they see: inner circle, supporters or network.")
    return redirect("network:person", person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def circle_invite(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_member_for_seeker(request, member_id)
    person = member.person
    form = InviteForm(
        request.POST or None,
        initial={"email": person.email},
        bounced=person.bounced_email if person.email_bouncing else "",
    )
    if request.method == "POST" and form.is_valid():
        actions.circle_invite(member=member, **form.cleaned_data)
        messages.success(
            request,
            f"Invitation on its way to {member.person.name}. Their link works without an account.",
        )
        return redirect("circle:list")
    return render(request, "circle/invite.html", {"member": member, "form": form})


@login_required
@require_POST
def circle_audience(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_member_for_seeker(request, member_id)
    form = CircleAddForm(request.POST, instance=member)
    if form.is_valid():
        actions.circle_add(person=member.person, audience=form.cleaned_data["audience"])
        label = form.instance.get_audience_display().lower()
        messages.success(request, f"Saved. {member.person.name} now sees what {label} see.")
    if request.POST.get("next") == "person":
        return redirect("network:person", member.person.pk)
    return redirect("circle:list")


@login_required
@require_POST
def circle_revoke(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_member_for_seeker(request, member_id)
    actions.grant_revoke(member=member)
    offer_undo(
        request,
        f"{member.person.name}'s link no longer works, and no email will carry a new one "
        "until you invite them again.",
        reverse("circle:revoke_undo", args=[member.pk]),
    )
    return redirect("circle:list")


@login_required
@require_POST
def circle_revoke_undo(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_member_for_seeker(request, member_id)
    if actions.grant_revoke_undo(member=member):
        messages.success(request, f"{member.person.name}'s link works again.")
    return redirect("circle:list")


REMOVED_SALT = "helpwanted.circle.removed"
UNDO_SECONDS = 60 * 60


@login_required
@require_POST
def circle_remove(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_member_for_seeker(request, member_id)
    snapshot = actions.circle_remove(member=member)
    value = signing.dumps({**snapshot, "owner": request.user.pk}, salt=REMOVED_SALT)
    offer_undo(
        request,
        f"{member.person.name} is no longer in your circle.",
        reverse("circle:remove_undo", args=[value]),
    )
    return redirect("circle:list")


@login_required
@require_POST
def circle_remove_undo(request: AuthedRequest, value: str) -> HttpResponse:
    try:
        snapshot = signing.loads(value, salt=REMOVED_SALT, max_age=UNDO_SECONDS)
    except signing.BadSignature:
        messages.error(request, "That undo has expired. You can add them to your circle again.")
        return redirect("circle:list")
    if snapshot.pop("owner", None) != request.user.pk:
        raise Http404
    person = get_person_for_seeker(request, snapshot.pop("person"))
    actions.circle_restore(person=person, snapshot=snapshot)
    messages.success(request, f"{person.name} is back in your circle.")
    return redirect("circle:list")


# --- The helper's side: no account, a personal link ---------------------------------------


def _no_referrer(response: HttpResponse) -> HttpResponse:
    # Never let the token leave in a Referer. "no-referrer" would also make browsers send
    # `Origin: null` with the Continue form, which CSRF protection rightly refuses; "strict-origin"
    # sends only the bare origin, never the path that holds the token.
    response["Referrer-Policy"] = "strict-origin"
    return response


def _dead_link(request: HttpRequest) -> HttpResponse:
    return _no_referrer(render(request, "circle/helper_link_dead.html", status=403))


def _see_other(to: str, *args: object, anchor: str = "") -> HttpResponse:
    """303 See Other to a URL without the token: the token URL is not where they land."""
    response = HttpResponseRedirect(reverse(to, args=args) + anchor)
    response.status_code = 303
    return _no_referrer(response)


def _start_session(request: HttpRequest, grant: HelperGrant) -> None:
    request.session.cycle_key()
    request.session[HELPER_SESSION_KEY] = grant.pk
    helper_opened(member=grant.member)


def _query_id(request: HttpRequest, name: str) -> int | None:
    """An id from the query string; present but not a plain number is a 404, never a 500."""
    if name not in request.GET:
        return None
    value = parse_id(request.GET[name])
    if value is None:
        raise Http404
    return value


@never_cache
@require_http_methods(["GET", "POST"])
def helper_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a page (mail scanners follow links); POST starts the helper session.

    ?r=<ask>&a=<answer> opens the answer page with that answer chosen (tap 2 sends it);
    ?u=<update>&e=<reaction> the same for a word of encouragement; ?join=1 the invitation.
    """
    grant = actions.grant_lookup(token=token)
    if grant is None:
        return _dead_link(request)
    recipient_id, update_id = _query_id(request, "r"), _query_id(request, "u")
    if update_id is not None:
        return _encourage(request, token, grant, update_id)
    recipient = get_recipient_for_helper(grant, recipient_id) if recipient_id else None
    if recipient is not None and "a" in request.GET:
        return _answer(request, token, grant, recipient)
    if request.method == "POST":
        grant = actions.grant_exchange(token=token)
        if grant is None:
            return _dead_link(request)
        _start_session(request, grant)
        if request.POST.get("keep_me_posted") == "yes":
            actions.member_consent(member=grant.member, via=Consent.INVITE)
            messages.success(request, "Thank you. You'll hear how it's going.")
        if recipient is not None:
            return _see_other("circle:helper_ask", recipient.pk)
        return _see_other("circle:helper_home")
    context = {
        "seeker": grant.member.owner,
        "member": grant.member,
        "recipient": recipient,
        "join": "join" in request.GET and not grant.member.has_consented,
    }
    return _no_referrer(render(request, "circle/helper_continue.html", context))


def _answer(
    request: HttpRequest, token: str, grant: HelperGrant, recipient: Recipient
) -> HttpResponse:
    """Tap 2 of the two-tap answer: the ask, the chosen answer, one Send button."""
    seeker = grant.member.owner
    chosen = request.GET.get("a", "")
    initial = {"answer": chosen if chosen in ANSWERS else _ANSWER_OF.get(recipient.status)}
    form = AnswerForm(request.POST or None, initial=initial, seeker_name=seeker.first_name)
    if request.method == "POST" and recipient.can_answer and form.is_valid():
        exchanged = actions.grant_exchange(token=token)
        if exchanged is None:
            return _dead_link(request)
        try:
            _record_answer(grant.member, recipient, form)
        except AskError as error:
            form.add_error(None, str(error))
        else:
            _start_session(request, exchanged)
            messages.success(request, f"Sent. {seeker.first_name or 'They'} will see it soon.")
            return _see_other("circle:helper_ask", recipient.pk)
    context = {"recipient": recipient, "ask": recipient.ask, "seeker": seeker, "form": form}
    context["member"] = grant.member
    return _no_referrer(render(request, "circle/helper_answer.html", context))


def _record_answer(member: CircleMember, recipient: Recipient, form: AnswerForm) -> None:
    recipient_answer(
        recipient=recipient,
        answer=form.cleaned_data["answer"],
        message=form.cleaned_data["message"],
        offer_when=form.cleaned_data["offer_when"],
        suggestion=form.suggestion(),
    )
    if form.cleaned_data.get("keep_me_posted"):
        actions.member_consent(member=member, via=Consent.KEEP_ME_POSTED)


def _encourage(
    request: HttpRequest, token: str, grant: HelperGrant, update_id: int
) -> HttpResponse:
    """Tap 2 of a word of encouragement from a news email: the reaction chosen, one Send."""
    update = get_update_for_helper(grant, update_id)
    chosen = request.GET.get("e", "")
    form = EncourageForm(request.POST or None, initial={"reaction": chosen})
    if request.method == "POST" and form.is_valid():
        exchanged = actions.grant_exchange(token=token)
        if exchanged is None:
            return _dead_link(request)
        try:
            encourage_send(update=update, member=grant.member, **form.cleaned_data)
        except UpdateError as error:
            form.add_error(None, str(error))
        else:
            _start_session(request, exchanged)
            name = grant.member.owner.first_name or "They"
            messages.success(request, f"Sent. {name} will see it with their update. Thank you.")
            return _see_other("circle:helper_home", anchor=f"#update-{update.pk}")
    context = {"update": update, "seeker": grant.member.owner, "form": form}
    return _no_referrer(render(request, "circle/helper_encourage.html", context))


@never_cache
def helper_home(request: HttpRequest) -> HttpResponse:
    grant = get_grant_for_helper(request)
    member = grant.member
    context = {
        "member": member,
        "seeker": member.owner,
        "audience_help": AUDIENCE_HELP_FOR_HELPER[Audience(member.audience)],
        "form": HelperPreferencesForm(instance=member),
        **asks_for_helper(member),
        **helper_updates(member),  # updates: what this member's audience may see (journey)
        "checkin_summary": checkin_summary_for_helper(member),
        "landing_thanks": landing_thanks_for_helper(member),
    }
    return render(request, "circle/helper_home.html", context)


_ANSWER_OF = {"offered": "yes", "suggested": "suggest", "not_now": "not_now", "declined": "no"}


@never_cache
@require_http_methods(["GET", "POST"])
def helper_ask(request: HttpRequest, recipient_id: int) -> HttpResponse:
    grant = get_grant_for_helper(request)
    recipient = get_recipient_for_helper(grant, recipient_id)
    seeker = grant.member.owner
    # Show their current answer, so changing their mind doesn't mean retyping it.
    initial = {
        "answer": _ANSWER_OF.get(recipient.status),
        "message": recipient.answer_message,
        "offer_when": recipient.offer_when,
    }
    suggested = recipient.suggested_person
    if suggested is not None and recipient.status == Recipient.Status.SUGGESTED:
        initial |= {"suggest_name": suggested.name, "suggest_company": suggested.company}
        initial["suggest_email"] = suggested.emails[0] if suggested.emails else ""
    form = AnswerForm(request.POST or None, initial=initial, seeker_name=seeker.first_name)
    if request.method == "POST" and form.is_valid():
        try:
            _record_answer(grant.member, recipient, form)
        except AskError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Thank you. {grant.member.owner.first_name or 'They'} will see your answer straight away.",
            )
        return redirect("circle:helper_ask", recipient.pk)
    context = {
        "recipient": recipient,
        "ask": recipient.ask,
        "seeker": grant.member.owner,
        "form": form,
        "member": grant.member,
    }
    context["suggested"] = suggested if recipient.status == Recipient.Status.SUGGESTED else None
    return render(request, "circle/helper_ask.html", context)


@require_POST
def helper_preferences(request: HttpRequest) -> HttpResponse:
    member = get_grant_for_helper(request).member
    form = HelperPreferencesForm(request.POST, instance=member)
    if form.is_valid():
        actions.helper_set_preferences(
            member=member,
            digest_enabled=form.cleaned_data["digest_enabled"],
            pause=form.cleaned_data["pause"],
            news_timing=form.cleaned_data["news_timing"],
        )
        messages.success(request, "Saved. Thank you for being here.")
    return redirect("circle:helper_home")


@require_POST
def helper_consent(request: HttpRequest) -> HttpResponse:
    """Keep me posted, or stop: the helper's own say over hearing about the search."""
    member = get_grant_for_helper(request).member
    name = member.owner.first_name or "them"
    if request.POST.get("keep_me_posted") == "yes":
        actions.member_consent(member=member, via=Consent.KEEP_ME_POSTED)
        messages.success(request, f"Thank you. You'll hear how it's going for {name}.")
    else:
        actions.member_withdraw_consent(member=member)
        messages.success(
            request, f"Done. No more news from {name}'s search; their asks still reach you."
        )
    return redirect("circle:helper_home")


@require_http_methods(["GET", "POST"])
def helper_leave(request: HttpRequest) -> HttpResponse:
    member = get_grant_for_helper(request).member
    if request.method == "POST":
        actions.helper_leave(member=member)
        request.session.pop(HELPER_SESSION_KEY, None)
        return render(request, "circle/helper_left.html", {"seeker": member.owner})
    return render(request, "circle/helper_leave.html", {"member": member, "seeker": member.owner})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, value: str) -> HttpResponse:
    member = member_from_value(value)
    if member is None:
        return render(request, "circle/helper_link_dead.html", status=404)
    if request.method == "POST":
        actions.helper_unsubscribe(member=member)
        return render(request, "circle/unsubscribed.html", {"seeker": member.owner})
    return render(request, "circle/unsubscribe.html", {"seeker": member.owner, "member": member})
