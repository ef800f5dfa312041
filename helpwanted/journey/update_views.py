"""Updates to the circle: the seeker's composer, list and page; the helper's replies."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.asks.models import Ask
from helpwanted.circle.access import get_grant_for_helper
from helpwanted.journey.models import UpdateAudience, UpdateKind
from helpwanted.journey.updates import (
    TEXT_MAX,
    UpdateError,
    accepted_ask,
    composer_initial,
    get_opportunity_for_update,
    get_reply_for_seeker,
    get_update_for_helper,
    get_update_for_seeker,
    offer_accept,
    rejection_counts,
    reply_post,
    seeker_updates,
    update_delete,
    update_post,
    update_restore,
    update_with_replies,
    with_reply_groups,
)
from helpwanted.lib.undo import offer_undo

PER_PAGE = 20


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of update is it?",
        choices=UpdateKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of update this is.",
            "invalid_choice": "Choose one of the kinds of update listed.",
        },
    )
    audience = forms.ChoiceField(
        label="Who sees it?",
        choices=UpdateAudience.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=(
            "If you don't choose, feelings and rejections go to your inner circle only, "
            "and everything else to your inner circle and supporters."
        ),
        error_messages={"invalid_choice": "Choose one of the groups listed."},
    )
    text = forms.CharField(
        label="Your update",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Write a line or two for your circle.",
            "max_length": "Please keep it under 2,000 characters (it's %(show_value)d now).",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_new(request: AuthedRequest) -> HttpResponse:
    opportunity = get_opportunity_for_update(
        request, request.POST.get("opportunity") or request.GET.get("opportunity")
    )
    if request.method == "POST" and "skip" in request.POST:
        if opportunity is not None:
            return redirect(reverse("journey:opportunity", args=[opportunity.pk]))
        return redirect("journey:updates")
    initial = composer_initial(kind=request.GET.get("kind", ""), opportunity=opportunity)
    form = UpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update = update_post(owner=request.user, opportunity=opportunity, **form.cleaned_data)
        except UpdateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Shared. Replies from your circle will show up here.")
            return redirect("journey:update", update.pk)
    context = {
        "form": form,
        "opportunity": opportunity,
        "kind": initial["kind"],
        "share_step": opportunity is not None and "more" not in request.GET,
    }
    return render(request, "journey/updates/new.html", context)


@login_required
@require_GET
def update_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(seeker_updates(request.user), PER_PAGE).get_page(request.GET.get("page"))
    with_reply_groups(page.object_list)
    context = {"page": page, "updates": page.object_list, **rejection_counts(request.user)}
    return render(request, "journey/updates/list.html", context)


@login_required
@require_GET
def update_detail(request: AuthedRequest, update_id: int) -> HttpResponse:
    update = update_with_replies(get_update_for_seeker(request, update_id))
    return render(request, "journey/updates/detail.html", {"update": update})


@login_required
@require_http_methods(["GET", "POST"])
def update_remove(request: AuthedRequest, update_id: int) -> HttpResponse:
    update = get_update_for_seeker(request, update_id)
    if request.method == "POST":
        update_delete(update=update)
        undo = reverse("journey:update_restore", args=[update.pk])
        offer_undo(request, "Taken down. Your circle won't see it any more.", undo)
        return redirect("journey:updates")
    return render(request, "journey/updates/delete.html", {"update": update})


@login_required
@require_POST
def update_restore_view(request: AuthedRequest, update_id: int) -> HttpResponse:
    """Undo a take-down."""
    update = get_update_for_seeker(request, update_id, deleted=True)
    update_restore(update=update)
    messages.success(request, "It's back. Your circle can see it again.")
    return redirect("journey:update", update.pk)


@login_required
@require_POST
def reply_accept(request: AuthedRequest, reply_id: int) -> HttpResponse:
    reply = get_reply_for_seeker(request, reply_id)
    ask: Ask | None
    try:
        ask = offer_accept(reply=reply)
    except UpdateError as error:
        ask = accepted_ask(reply) if reply.accepted_at else None
        if ask is None:
            messages.error(request, str(error))
            return redirect("journey:update", reply.update_id)
    else:
        messages.success(
            request,
            f"Accepted. Here's your thread with {reply.member.person.name}: "
            "record what came of it, and thank them when you're ready.",
        )
    return redirect(reverse("asks:detail", args=[ask.pk]))


# --- The helper's side -------------------------------------------------------------------


@require_POST
def update_reply(request: HttpRequest, update_id: int) -> HttpResponse:
    grant = get_grant_for_helper(request)
    update = get_update_for_helper(grant, update_id)
    try:
        _, created = reply_post(
            update=update,
            member=grant.member,
            kind=request.POST.get("kind", ""),
            reaction=request.POST.get("reaction", ""),
            text=request.POST.get("text", ""),
        )
    except UpdateError as error:
        messages.error(request, str(error))
        return redirect(reverse("circle:helper_home") + f"#update-{update.pk}")
    name = grant.member.owner.first_name or "They"
    if created:
        messages.success(request, f"Sent. {name} will see it with their update. Thank you.")
    else:
        messages.success(request, f"{name} already has that from you. Thank you.")
    return redirect(reverse("circle:helper_home") + f"#update-{update.pk}")
