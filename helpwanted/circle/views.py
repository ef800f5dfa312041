from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.asks.access import get_recipient_for_helper
from helpwanted.asks.actions import AskError, helper_opened, recipient_answer
from helpwanted.asks.forms import AnswerForm
from helpwanted.asks.selectors import asks_for_helper
from helpwanted.circle import actions
from helpwanted.circle.access import (
    HELPER_SESSION_KEY,
    get_grant_for_helper,
    get_member_for_seeker,
)
from helpwanted.circle.forms import CircleAddForm, HelperPreferencesForm, InviteForm
from helpwanted.circle.models import (
    AUDIENCE_HELP,
    AUDIENCE_HELP_FOR_HELPER,
    Audience,
    CircleMember,
)
from helpwanted.circle.unsubscribe import member_from_value
from helpwanted.journey.checkins import checkin_summary_for_helper
from helpwanted.journey.landed import landing_thanks_for_helper
from helpwanted.journey.updates import helper_updates  # updates: the helper's "How it's going"
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
    form = InviteForm(request.POST or None, initial={"email": member.person.email})
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
    messages.success(
        request, f"{member.person.name}'s link no longer works. You can send a new one any time."
    )
    return redirect("circle:list")


@login_required
@require_POST
def circle_remove(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_member_for_seeker(request, member_id)
    actions.circle_remove(member=member)
    messages.success(request, f"{member.person.name} is no longer in your circle.")
    return redirect("circle:list")


# --- The helper's side: no account, a personal link ---------------------------------------


def _no_referrer(response: HttpResponse) -> HttpResponse:
    # Never let the token leave in a Referer. "no-referrer" would also make browsers send
    # `Origin: null` with the Continue form, which CSRF protection rightly refuses; "strict-origin"
    # sends only the bare origin, never the path that holds the token.
    response["Referrer-Policy"] = "strict-origin"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def helper_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a Continue button (mail scanners follow links); POST starts the session."""
    if request.method == "POST":
        grant = actions.grant_exchange(token=token)
        if grant is not None:
            request.session.cycle_key()
            request.session[HELPER_SESSION_KEY] = grant.pk
            helper_opened(member=grant.member)
            ask = request.GET.get("r", "")
            response = (
                redirect("circle:helper_ask", int(ask))
                if ask.isdigit()
                else redirect("circle:helper_home")
            )
            response.status_code = 303  # See Other: the token URL is not where they land
            return _no_referrer(response)
        return _no_referrer(render(request, "circle/helper_link_dead.html", status=403))
    return _no_referrer(render(request, "circle/helper_continue.html"))


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
    # Show their current answer, so changing their mind doesn't mean retyping it.
    initial = {
        "answer": _ANSWER_OF.get(recipient.status),
        "message": recipient.answer_message,
        "offer_when": recipient.offer_when,
    }
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recipient_answer(
                recipient=recipient,
                answer=form.cleaned_data["answer"],
                message=form.cleaned_data["message"],
                offer_when=form.cleaned_data["offer_when"],
                suggestion=form.suggestion(),
            )
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
        )
        messages.success(request, "Saved. Thank you for being here.")
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
