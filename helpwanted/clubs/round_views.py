"""The round, shared leads and the meeting page: short views over clubs.rounds, leads, meeting.

Every view starts with one check from clubs.access (404 for anyone outside the club).
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.asks import coach
from helpwanted.asks.views import EXAMPLES
from helpwanted.clubs import access, ics, leads, meeting, rounds
from helpwanted.clubs.access import Viewer
from helpwanted.clubs.models import ClubRequest, Meeting, Membership, Round
from helpwanted.clubs.round_forms import GoalForm, LeadForm, NoteForm, OfferForm, RequestForm


def _member_of(viewer: Viewer) -> Membership:
    """Acting in the round takes a membership: the facilitator (not a member) only looks."""
    if viewer.membership is None:
        raise Http404
    return viewer.membership


def _round_url(round_: Round, anchor: str = "") -> str:
    return reverse("clubs:round_detail", args=[round_.pk]) + (f"#{anchor}" if anchor else "")


def _round_context(viewer: Viewer, round_: Round | None) -> dict[str, Any]:
    context: dict[str, Any] = {"club": viewer.club, "viewer": viewer, "round": round_}
    if round_ is None:
        return context
    requests = rounds.round_requests(round_)
    me = viewer.membership
    for r in requests:
        r.mine = me is not None and r.membership_id == me.pk
        r.my_offer = next((o for o in r.shown_offers if me and o.membership_id == me.pk), None)
    mine = ClubRequest.objects.filter(round=round_, membership=me).first() if me else None
    context.update(
        requests=requests,
        my_request=mine,
        can_request=me is not None
        and me.role == Membership.Role.MEMBER
        and rounds.round_is_open(round_),
        figures=rounds.figures(Round.objects.filter(pk=round_.pk)),
        offer_kinds=OfferForm.base_fields["kind"].choices,  # type: ignore[attr-defined]
    )
    return context


@login_required
@require_GET
def round_current(request: AuthedRequest, club_id: int) -> HttpResponse:
    viewer = access.club_for_viewer(request.user, club_id)
    round_ = rounds.round_current(viewer.club)
    return render(request, "clubs/round_page.html", _round_context(viewer, round_))


@login_required
@require_GET
def round_detail(request: AuthedRequest, round_id: int) -> HttpResponse:
    round_, viewer = access.round_for_viewer(request.user, round_id)
    return render(request, "clubs/round_page.html", _round_context(viewer, round_))


@login_required
@require_http_methods(["GET", "POST"])
def request_compose(request: AuthedRequest, round_id: int) -> HttpResponse:
    """Write (or edit) your one request in the composer, with the coach beside it."""
    round_, viewer = access.round_for_viewer(request.user, round_id)
    membership = _member_of(viewer)
    mine = ClubRequest.objects.filter(round=round_, membership=membership).first()
    initial: dict[str, Any] = {"kind": "advice"}
    if mine is not None:
        initial = {"kind": mine.kind, "request": mine.text, "why": mine.why}
        initial["needed_by"] = mine.needed_by
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and "check" not in request.POST:
        try:
            made = rounds.request_post(
                membership=membership,
                round_=round_,
                fields=form.fields_for_model(),
                today=timezone.localdate(),
            )
        except rounds.RoundError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your request is up. Your club will see it in this round.")
            return redirect(_round_url(round_, f"request-{made.pk}"))
    data = _coach_data(form) if form.is_bound else {**initial, "text": initial.get("request")}
    context = {
        "form": form,
        "examples": EXAMPLES,
        "club_round": round_,
        "club": viewer.club,
        "editing": mine is not None and mine.withdrawn_at is None,
        "result": coach.review(
            kind=str(data.get("kind") or "other"),
            request=str(data.get("text") or ""),
            why=str(data.get("why") or ""),
            needed_by=data.get("needed_by"),
            today=timezone.localdate(),
        ),
    }
    return render(request, "asks/compose.html", context)


def _coach_data(form: RequestForm) -> dict[str, Any]:
    form.is_valid()
    return {
        "kind": form.data.get("kind", ""),
        "text": form.data.get("request", ""),
        "why": form.data.get("why", ""),
        "needed_by": form.cleaned_data.get("needed_by"),
    }


@login_required
@require_POST
def request_withdraw(request: AuthedRequest, request_id: int) -> HttpResponse:
    club_request, _membership = access.request_for_owner(request.user, request_id)
    rounds.request_withdraw(club_request=club_request)
    messages.success(request, "Withdrawn. You can make a new request in this round any time.")
    return redirect(_round_url(club_request.round))


@login_required
@require_http_methods(["GET", "POST"])
def offer_make(request: AuthedRequest, request_id: int) -> HttpResponse:
    """One tap from the round page (kind and note optional); this page if there's a problem."""
    club_request, viewer = access.request_for_viewer(request.user, request_id)
    membership = _member_of(viewer)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rounds.offer_make(membership=membership, club_request=club_request, **form.cleaned_data)
        except rounds.RoundError as error:
            form.add_error(None, str(error))
        else:
            name = rounds.member_name(club_request.membership.user)
            messages.success(request, f"Offered. {name} will see it. Thank you for helping.")
            return redirect(_round_url(club_request.round, f"request-{club_request.pk}"))
    context = {"form": form, "club_request": club_request, "club": viewer.club}
    return render(request, "clubs/round_offer.html", context)


@login_required
@require_POST
def offer_withdraw(request: AuthedRequest, offer_id: int) -> HttpResponse:
    offer, _membership = access.offer_for_offerer(request.user, offer_id)
    try:
        rounds.offer_withdraw(offer=offer)
    except rounds.RoundError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your offer is withdrawn. No harm done.")
    return redirect(_round_url(offer.request.round, f"request-{offer.request_id}"))


@login_required
@require_POST
def offer_accept(request: AuthedRequest, offer_id: int) -> HttpResponse:
    offer, _membership = access.offer_for_requester(request.user, offer_id)
    try:
        rounds.offer_accept(offer=offer)
    except rounds.RoundError as error:
        messages.error(request, str(error))
    else:
        name = rounds.member_name(offer.membership.user)
        messages.success(
            request,
            f"Accepted: {name}'s offer is one of your asks now, through the club. No email went "
            "out. Note their answer and thank them there.",
        )
    return redirect(_round_url(offer.request.round, f"request-{offer.request_id}"))


@login_required
@require_POST
def offer_decline(request: AuthedRequest, offer_id: int) -> HttpResponse:
    offer, _membership = access.offer_for_requester(request.user, offer_id)
    try:
        rounds.offer_decline(offer=offer)
    except rounds.RoundError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Noted: not this time. They'll see it kindly.")
    return redirect(_round_url(offer.request.round, f"request-{offer.request_id}"))


# --- leads ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lead_list(request: AuthedRequest, club_id: int) -> HttpResponse:
    viewer = access.club_for_viewer(request.user, club_id)
    if request.method == "POST":
        _member_of(viewer)
    form = LeadForm(request.POST or None, giver=viewer.membership)
    if request.method == "POST" and form.is_valid() and viewer.membership is not None:
        try:
            leads.lead_post(giver=viewer.membership, fields=form.cleaned_data)
        except leads.LeadError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Shared. Passing a lead on is a real gift.")
            return redirect("clubs:leads", viewer.club.pk)
    context = {
        "club": viewer.club,
        "viewer": viewer,
        "form": form,
        "leads": leads.club_leads(viewer.club),
    }
    return render(request, "clubs/lead_list.html", context)


@login_required
@require_POST
def lead_take(request: AuthedRequest, lead_id: int) -> HttpResponse:
    lead, membership = access.lead_for_member(request.user, lead_id)
    try:
        opportunity = leads.lead_take(lead=lead, membership=membership)
    except leads.LeadError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Added “{opportunity.role} at {opportunity.company}” to your opportunities."
        )
    return redirect(reverse("clubs:leads", args=[lead.club_id]) + f"#lead-{lead.pk}")


@login_required
@require_POST
def lead_withdraw(request: AuthedRequest, lead_id: int) -> HttpResponse:
    lead, membership = access.lead_for_member(request.user, lead_id)
    if lead.giver_id != membership.pk:
        raise Http404
    leads.lead_withdraw(lead=lead)
    messages.success(request, "Taken down. Anyone who added it keeps it in their opportunities.")
    return redirect("clubs:leads", lead.club_id)


# --- the meeting page --------------------------------------------------------------------------


def _meeting_render(
    request: AuthedRequest, found: Meeting, viewer: Viewer, **forms: Any
) -> HttpResponse:
    context = {
        "club": viewer.club,
        "viewer": viewer,
        "page": meeting.meeting_page(found, viewer=request.user),
        "goal_form": forms.get("goal_form") or GoalForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "goals_a_week": meeting.GOALS_A_WEEK,
    }
    return render(request, "clubs/meeting.html", context)


@login_required
@require_GET
def meeting_page(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    found, viewer = access.meeting_for_viewer(request.user, meeting_id)
    return _meeting_render(request, found, viewer)


@login_required
@require_POST
def goal_add(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    found, viewer = access.meeting_for_viewer(request.user, meeting_id)
    membership = _member_of(viewer)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            meeting.goal_add(membership=membership, meeting=found, text=form.cleaned_data["text"])
        except meeting.MeetingError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, "Goal added. Small steps count.")
            return redirect(reverse("clubs:meeting", args=[found.pk]) + "#goals")
    return _meeting_render(request, found, viewer, goal_form=form)


@login_required
@require_POST
def goal_done(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = access.goal_for_owner(request.user, goal_id)
    if request.POST.get("remove"):
        meeting.goal_remove(goal=goal)
    else:
        meeting.goal_done(goal=goal, done=bool(request.POST.get("done")))
    return redirect(reverse("clubs:meeting", args=[goal.meeting_id]) + "#goals")


@login_required
@require_POST
def note_add(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    found, viewer = access.meeting_for_viewer(request.user, meeting_id)
    if not viewer.is_facilitator:
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        meeting.note_add(meeting=found, author=request.user, **form.cleaned_data)
        messages.success(request, "Note saved.")
        return redirect(reverse("clubs:meeting", args=[found.pk]) + "#notes")
    return _meeting_render(request, found, viewer, note_form=form)


@login_required
@require_GET
def meeting_ics(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    found, viewer = access.meeting_for_viewer(request.user, meeting_id)
    body = ics.calendar([found], stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{found.pk}.ics"'
    return response


@login_required
@require_GET
def club_ics(request: AuthedRequest, club_id: int) -> HttpResponse:
    """Every meeting from a month ago to the ones already planned: one event each."""
    viewer = access.club_for_viewer(request.user, club_id)
    since = timezone.now() - timedelta(days=31)
    found = list(viewer.club.meetings.filter(starts_at__gte=since).order_by("starts_at", "id"))
    for m in found:
        m.club = viewer.club
    body = ics.calendar(found, stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="club-{viewer.club.pk}.ics"'
    return response
