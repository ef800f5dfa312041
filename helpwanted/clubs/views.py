"""Club pages: the club, invitations and joining, sharing, leaving, buddies, the facilitator.

Every view starts with one check from clubs/access.py, which re-reads the membership: someone
who left or was removed is an outsider from their next request on (404).
"""

import csv
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.clubs import actions, selectors
from helpwanted.clubs.access import (
    club_for_facilitator,
    club_for_member,
    club_for_viewer,
    current_memberships,
    invitation_for_facilitator,
    membership_for_facilitator,
)
from helpwanted.clubs.forms import (
    BuddyPickForm,
    ClubForm,
    InviteForm,
    PairForm,
    SharingForm,
    WeekCheckForm,
    member_label,
)
from helpwanted.clubs.models import Goal, Invitation, Membership, SharedUpdate, WeekCheck
from helpwanted.journey.models import Update
from helpwanted.lib.ids import parse_id

PENDING_KEY = "club_invitation_id"  # the invitation a visitor opened, kept while they sign up


def _no_referrer(response: HttpResponse) -> HttpResponse:
    # The token is in this page's URL: never let it leave in a Referer. "no-referrer" would make
    # browsers send `Origin: null` with the Join form, which CSRF protection rightly refuses;
    # "strict-origin" sends only the bare origin (as on the helper link's page).
    response["Referrer-Policy"] = "strict-origin"
    return response


@login_required
@require_GET
def club_list(request: AuthedRequest) -> HttpResponse:
    clubs = selectors.home_cards(request.user, now=timezone.now())
    return render(request, "clubs/index.html", {"cards": clubs})


@login_required
@require_http_methods(["GET", "POST"])
def club_new(request: AuthedRequest) -> HttpResponse:
    form = ClubForm(request.POST or None, initial={"timezone": request.user.timezone})
    if request.method == "POST" and form.is_valid():
        club = actions.club_create(facilitator=request.user, fields=form.cleaned_data)
        messages.success(request, f"{club.name} is ready. Next, invite its first members.")
        return redirect("clubs:invite", club.pk)
    return render(request, "clubs/form.html", {"form": form, "club": None})


@login_required
@require_http_methods(["GET", "POST"])
def club_edit(request: AuthedRequest, club_id: int) -> HttpResponse:
    club = club_for_facilitator(request.user, club_id)
    form = ClubForm(request.POST or None, instance=club)
    if request.method == "POST" and form.is_valid():
        actions.club_edit(club=club, fields=form.cleaned_data)
        messages.success(request, "Saved. Calendars get the new times with the next invite.")
        return redirect("clubs:detail", club.pk)
    return render(request, "clubs/form.html", {"form": form, "club": club})


@login_required
@require_GET
def club_detail(request: AuthedRequest, club_id: int) -> HttpResponse:
    viewer = club_for_viewer(request.user, club_id)
    now = timezone.now()
    members = list(current_memberships(viewer.club))
    next_meeting = (
        viewer.club.meetings.filter(ends_at__gte=now, cancelled_at__isnull=True)
        .order_by("starts_at")
        .first()
    )
    context = {
        "club": viewer.club,
        "viewer": viewer,
        "membership": viewer.membership,
        "members": members,
        "next_meeting": next_meeting,
        "meets": _meets(viewer.club),
    }
    return render(request, "clubs/detail.html", context)


def _meets(club: object) -> str:
    from helpwanted.clubs.emails import club_rhythm_text

    return club_rhythm_text(club)


# --- Invitations ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthedRequest, club_id: int) -> HttpResponse:
    club = club_for_facilitator(request.user, club_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = actions.invitation_send(
                club=club, email=form.cleaned_data["email"], invited_by=request.user
            )
        except actions.ClubError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation emailed to {invitation.email}.")
            return redirect("clubs:invite", club.pk)
    context = {
        "club": club,
        "form": form,
        "pending": club.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True),
        "now": timezone.now(),
        "seats": club.size_limit - club.memberships.filter(left_at__isnull=True).count(),
    }
    return render(request, "clubs/invite.html", context)


@login_required
@require_POST
def invitation_resend(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    invitation = invitation_for_facilitator(request.user, invitation_id)
    try:
        actions.invitation_resend(invitation=invitation)
    except actions.ClubError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"A new link went to {invitation.email}; the old one stopped.")
    return redirect("clubs:invite", invitation.club_id)


@login_required
@require_POST
def invitation_revoke(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    invitation = invitation_for_facilitator(request.user, invitation_id)
    if actions.invitation_revoke(invitation=invitation):
        messages.success(request, f"The invitation to {invitation.email} no longer works.")
    return redirect("clubs:invite", invitation.club_id)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email. A GET only shows the page (mail scanners follow links);
    the POST keeps the invitation in the session and sends a visitor to sign up or log in on the
    way, so the token never travels in a `next` URL."""
    found = actions.invitation_lookup(token)
    if found is None:
        return _no_referrer(render(request, "clubs/invitation_dead.html", status=404))
    if request.method == "POST":
        request.session[PENDING_KEY] = found.pk
        if request.user.is_authenticated:
            return _accept(request, found)  # type: ignore[arg-type]
        request.session["signup_email"] = found.email
        then = "accounts:login" if request.POST.get("then") == "login" else "accounts:signup"
        response = redirect(f"{reverse(then)}?next={reverse('clubs:join')}")
        response.status_code = 303
        return response
    context = {"invitation": found, "club": found.club, "meets": _meets(found.club)}
    return _no_referrer(render(request, "clubs/invitation.html", context))


def _pending(request: HttpRequest) -> Invitation | None:
    invitation_id = parse_id(request.session.get(PENDING_KEY))
    if invitation_id is None:
        return None
    return (
        Invitation.objects.select_related("club")
        .filter(
            pk=invitation_id,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            club__archived_at__isnull=True,
        )
        .first()
    )


def _accept(request: AuthedRequest, invitation: Invitation) -> HttpResponse:
    try:
        membership = actions.invitation_accept(invitation_id=invitation.pk, user=request.user)
    except actions.ClubError as error:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, str(error))
        return redirect("clubs:index")
    request.session.pop(PENDING_KEY, None)
    request.session.pop("signup_email", None)
    messages.success(
        request,
        f"Welcome to {membership.club.name}. First, choose what the club sees of your week.",
    )
    response = redirect("clubs:sharing", membership.club_id)
    response.status_code = 303
    return response


@login_required
@require_http_methods(["GET", "POST"])
def join(request: AuthedRequest) -> HttpResponse:
    """Back from signing up or logging in: join the club of the invitation opened earlier."""
    pending = _pending(request)
    if pending is not None and request.method == "POST":
        return _accept(request, pending)
    context: dict[str, object] = {"invitation": pending, "club": pending.club if pending else None}
    if pending is not None:
        context["meets"] = _meets(pending.club)
    return render(request, "clubs/join.html", context)


# --- Being a member -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: AuthedRequest, club_id: int) -> HttpResponse:
    club, membership = club_for_member(request.user, club_id)
    form = SharingForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        actions.sharing_save(membership=membership, fields=form.cleaned_data)
        messages.success(request, f"Saved. {club.name} sees only what's ticked.")
        return redirect("clubs:detail", club.pk)
    context = {"club": club, "membership": membership, "form": form}
    return render(request, "clubs/sharing.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: AuthedRequest, club_id: int) -> HttpResponse:
    club, membership = club_for_member(request.user, club_id)
    if request.method == "POST":
        actions.membership_leave(membership=membership)
        messages.success(
            request, f"You've left {club.name}. What you shared no longer shows there."
        )
        return redirect("clubs:index")
    return render(request, "clubs/leave.html", {"club": club, "membership": membership})


@login_required
@require_POST
def alumnus(request: AuthedRequest, club_id: int) -> HttpResponse:
    club, membership = club_for_member(request.user, club_id)
    if actions.membership_alumnus(membership=membership):
        messages.success(
            request,
            "Congratulations. You're an alumnus of the club now: you can offer help and "
            "pass on leads, and you won't be asked for requests.",
        )
    return redirect("clubs:detail", club.pk)


# --- Buddies --------------------------------------------------------------------------------


def _latest_goals(membership: Membership) -> list[Goal]:
    """The buddy's goals from their latest meeting with goals."""
    latest = membership.goals.order_by("-meeting__starts_at").values("meeting_id")[:1]
    return list(membership.goals.filter(meeting_id__in=latest).order_by("created_at", "id"))


@login_required
@require_GET
def buddy(request: AuthedRequest, club_id: int) -> HttpResponse:
    """Your buddy's goals and week check, your own check, or picking a buddy."""
    club, membership = club_for_member(request.user, club_id)
    return render(request, "clubs/buddy.html", _buddy_context(club, membership, None))


def _buddy_context(
    club: object, membership: Membership, form: WeekCheckForm | None
) -> dict[str, object]:
    partner = (
        Membership.objects.select_related("user")
        .filter(pk=membership.buddy_id, left_at__isnull=True)
        .first()
        if membership.buddy_id
        else None
    )
    today = timezone.localdate()
    mine = WeekCheck.objects.filter(membership=membership, week_of=actions.week_of(today)).first()
    return {
        "club": club,
        "membership": membership,
        "partner": partner,
        "partner_goals": _latest_goals(partner) if partner else [],
        "partner_check": partner.checks.first() if partner else None,
        "check_form": form or WeekCheckForm(initial={"text": mine.text if mine else ""}),
        "my_check": mine,
        "pick_form": BuddyPickForm(membership=membership) if partner is None else None,
        "wishes": _wishes(membership) if partner is None else [],
        "wanted": membership.buddy_wanted if membership.buddy_wanted_id else None,
    }


def _wishes(membership: Membership) -> list[Membership]:
    """Members who picked this one and are still free."""
    return list(
        Membership.objects.filter(
            buddy_wanted=membership, left_at__isnull=True, buddy__isnull=True
        ).select_related("user")
    )


@login_required
@require_POST
def buddy_pick(request: AuthedRequest, club_id: int) -> HttpResponse:
    club, membership = club_for_member(request.user, club_id)
    form = BuddyPickForm(request.POST, membership=membership)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for e in form.errors.get("other", ["Choose someone."]))
        )
        return redirect("clubs:buddy", club.pk)
    other = form.cleaned_data["other"]
    try:
        paired = actions.buddy_want(membership=membership, other=other)
    except actions.ClubError as error:
        messages.error(request, str(error))
    else:
        name = member_label(other)
        messages.success(
            request,
            f"You and {name} are buddies now."
            if paired
            else f"{name} will see that you'd like to be buddies. When they say yes, you're paired.",
        )
    return redirect("clubs:buddy", club.pk)


@login_required
@require_POST
def buddy_leave(request: AuthedRequest, club_id: int) -> HttpResponse:
    club, membership = club_for_member(request.user, club_id)
    if actions.buddy_unpair(membership=membership):
        messages.success(request, "You're no longer paired. You can pick someone else any time.")
    return redirect("clubs:buddy", club.pk)


@login_required
@require_POST
def week_check(request: AuthedRequest, club_id: int) -> HttpResponse:
    club, membership = club_for_member(request.user, club_id)
    form = WeekCheckForm(request.POST)
    if form.is_valid():
        actions.week_check_save(
            membership=membership, text=form.cleaned_data["text"], today=timezone.localdate()
        )
        messages.success(request, "Saved. Your buddy will see it.")
        return redirect("clubs:buddy", club.pk)
    # Keep what they typed, with the message beside it, on the whole buddy page.
    context = _buddy_context(club, membership, form)
    return render(request, "clubs/buddy.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def buddies(request: AuthedRequest, club_id: int) -> HttpResponse:
    """The facilitator pairs members."""
    club = club_for_facilitator(request.user, club_id)
    form = PairForm(request.POST or None, club=club)
    if request.method == "POST" and form.is_valid():
        try:
            actions.buddy_pair(first=form.cleaned_data["first"], second=form.cleaned_data["second"])
        except actions.ClubError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Paired. They'll see each other on their buddy page.")
            return redirect("clubs:buddies", club.pk)
    members = list(current_memberships(club).select_related("buddy__user"))
    pairs = [m for m in members if m.buddy_id and m.pk < m.buddy_id]
    context = {"club": club, "form": form, "pairs": pairs, "members": members}
    return render(request, "clubs/buddies.html", context)


@login_required
@require_POST
def member_unpair(request: AuthedRequest, membership_id: int) -> HttpResponse:
    membership = membership_for_facilitator(request.user, membership_id)
    actions.buddy_unpair(membership=membership)
    messages.success(request, "Unpaired.")
    return redirect("clubs:buddies", membership.club_id)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: AuthedRequest, membership_id: int) -> HttpResponse:
    membership = membership_for_facilitator(request.user, membership_id)
    club = membership.club
    if request.method == "POST":
        actions.membership_leave(membership=membership)
        name = member_label(membership)
        messages.success(request, f"{name} is no longer in {club.name}.")
        return redirect("clubs:facilitator", club.pk)
    return render(request, "clubs/remove.html", {"club": club, "membership": membership})


# --- The facilitator's view -----------------------------------------------------------------


@login_required
@require_GET
def facilitator_view(request: AuthedRequest, club_id: int) -> HttpResponse:
    club = club_for_facilitator(request.user, club_id)
    now = timezone.now()
    context = {
        "club": club,
        "reach_out": selectors.reach_out_list(club, now=now),
        "members": list(current_memberships(club).select_related("buddy__user")),
        "outcomes": selectors.club_outcomes(club),
        "since": now - timedelta(days=10),
    }
    return render(request, "clubs/facilitator.html", context)


@login_required
@require_GET
def outcomes_csv(request: AuthedRequest, club_id: int) -> HttpResponse:
    """The club's outcomes as two columns of numbers: no names, nothing a member typed."""
    club = club_for_facilitator(request.user, club_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="club-{club.pk}-outcomes.csv"'
    writer = csv.writer(response)
    writer.writerow(["figure", "value"])
    writer.writerows(selectors.club_outcomes(club).rows())
    return response


# --- Updates shared with the club -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def updates(request: AuthedRequest, club_id: int) -> HttpResponse:
    """Updates members chose to share with the club; a member shares or unshares their own."""
    viewer = club_for_viewer(request.user, club_id)
    membership = viewer.membership
    if request.method == "POST":
        if membership is None:
            raise Http404
        update_id = parse_id(request.POST.get("update"))
        if request.POST.get("action") == "unshare" and update_id:
            if actions.update_unshare(membership=membership, update_id=update_id):
                messages.success(request, "It's no longer shared with the club.")
        else:
            own = (
                Update.objects.filter(
                    pk=update_id, owner=request.user, deleted_at__isnull=True
                ).first()
                if update_id
                else None
            )
            if own is None:
                messages.error(request, "Choose one of your updates to share.")
            else:
                actions.update_share(membership=membership, update=own)
                messages.success(request, "Shared with the club.")
        return redirect("clubs:updates", viewer.club.pk)
    shared = list(
        SharedUpdate.objects.filter(
            club=viewer.club,
            update__deleted_at__isnull=True,
            update__owner__club_memberships__club=viewer.club,
            update__owner__club_memberships__left_at__isnull=True,
        )
        .select_related("update__owner")
        .order_by("-shared_at", "-id")[:50]
    )
    mine = []
    if membership is not None:
        taken = [s.update_id for s in shared if s.update.owner_id == request.user.pk]
        mine = list(
            Update.objects.filter(owner=request.user, deleted_at__isnull=True)
            .exclude(pk__in=taken)
            .order_by("-created_at")[:20]
        )
    context = {"club": viewer.club, "viewer": viewer, "shared": shared, "mine": mine}
    return render(request, "clubs/updates.html", context)
