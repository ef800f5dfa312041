from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.journey import landed
from helpwanted.journey.models import ThankYou
from helpwanted.journey.opportunities import get_opportunity_for_seeker
from helpwanted.lib.ids import parse_ids


@login_required
@require_http_methods(["GET", "POST"])
def landed_confirm(request: AuthedRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_seeker(request, opportunity_id)
    if request.method == "POST":
        landed.search_land(owner=request.user, opportunity=opportunity)
        messages.success(
            request,
            "Congratulations. Your open asks are closed kindly, and your "
            "circle knows the good news.",
        )
        return redirect("journey:landed_thanks")
    return render(request, "journey/landed/confirm.html", {"opportunity": opportunity})


@login_required
def landed_thanks(request: AuthedRequest) -> HttpResponse:
    search = landed.search_for(request.user)
    thank_yous = ThankYou.objects.filter(owner=request.user).select_related("person")
    context = {
        "search": search,
        "sent": [t for t in thank_yous if t.sent_at is not None],
        "unsent": landed.unsent_thank_yous(request.user),
    }
    return render(request, "journey/landed/thanks.html", context)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _sent_message(result: landed.SendAll) -> str:
    said = []
    if result.emailed:
        said.append(f"Your thank-you is on its way to {_names(result.emailed)}.")
    if result.in_person:
        said.append(
            f"We have no email for {_names(result.in_person)}, so thank them in person; "
            "your note is saved here."
        )
    if result.kept:
        said.append(f"{result.kept} note{'s' if result.kept != 1 else ''} kept to send later.")
    return " ".join(said) or "Nothing was sent."


@login_required
@require_http_methods(["GET", "POST"])
def thank_you_send_all(request: AuthedRequest) -> HttpResponse:
    """GET shows every note still to send, editable; only the POST from that page sends."""
    shown = parse_ids(request.POST.getlist("shown")) if request.method == "POST" else []
    if shown:
        texts = {pk: request.POST.get(f"text-{pk}", "") for pk in shown}
        chosen = set(parse_ids(request.POST.getlist("send")))
        result = landed.thank_yous_send(owner=request.user, texts=texts, chosen=chosen)
        messages.success(request, _sent_message(result))
        return redirect("journey:landed_thanks")
    unsent = landed.unsent_thank_yous(request.user)
    if not unsent:
        messages.info(request, "Every thank-you has gone. Nothing is waiting to send.")
        return redirect("journey:landed_thanks")
    return render(request, "journey/landed/send_all.html", {"unsent": unsent})


@login_required
@require_POST
def search_reopen(request: AuthedRequest) -> HttpResponse:
    landed.search_reopen(owner=request.user)
    messages.success(request, "Your search is open again. Everything is where you left it.")
    return redirect("home")
