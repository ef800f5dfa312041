from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from helpwanted.accounts.http import AuthedRequest
from helpwanted.journey import landed
from helpwanted.journey.models import ThankYou
from helpwanted.journey.opportunities import get_opportunity_for_seeker


def get_thank_you_for_seeker(request: AuthedRequest, thank_you_id: int) -> ThankYou:
    return get_object_or_404(
        ThankYou.objects.select_related("person"), pk=thank_you_id, owner=request.user
    )


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
        "thank_yous": thank_yous,
        "unsent": [t for t in thank_yous if t.sent_at is None],
    }
    return render(request, "journey/landed/thanks.html", context)


@login_required
@require_POST
def thank_you_send(request: AuthedRequest, thank_you_id: int) -> HttpResponse:
    thank_you = get_thank_you_for_seeker(request, thank_you_id)
    emailed = landed.thank_you_send(thank_you=thank_you, text=request.POST.get("text", "")[:2000])
    name = thank_you.person.name
    messages.success(
        request,
        f"Thank-you sent to {name}."
        if emailed
        else f"Saved. We have no email for {name}, so tell them in person.",
    )
    return redirect("journey:landed_thanks")


@login_required
@require_POST
def thank_you_send_all(request: AuthedRequest) -> HttpResponse:
    unsent = list(
        ThankYou.objects.filter(owner=request.user, sent_at__isnull=True).select_related("person")
    )
    for thank_you in unsent:
        landed.thank_you_send(thank_you=thank_you, text=thank_you.text)
    count = len(unsent)
    messages.success(request, f"Sent {count} thank-you{'s' if count != 1 else ''}. Well done.")
    return redirect("journey:landed_thanks")


@login_required
@require_POST
def search_reopen(request: AuthedRequest) -> HttpResponse:
    landed.search_reopen(owner=request.user)
    messages.success(request, "Your search is open again. Everything is where you left it.")
    return redirect("home")
