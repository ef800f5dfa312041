from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

from helpwanted.mail.models import OutboxMessage


def _require_dev_outbox() -> None:
    # The outbox page shows every email and its links: it must never exist in production.
    if not (settings.DEMO or settings.DEBUG) or settings.PRODUCTION:
        raise Http404


def outbox_list(request: HttpRequest) -> HttpResponse:
    _require_dev_outbox()
    page = Paginator(
        OutboxMessage.objects.only("id", "kind", "to_email", "subject", "status", "created_at"), 50
    ).get_page(request.GET.get("page"))
    return render(request, "mail/outbox_list.html", {"page": page})


def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_dev_outbox()
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(request, "mail/outbox_detail.html", {"message": message})


# Email HTML carries inline styles (mail clients need them); allow those on this page only.
@csp_override({"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE], "img-src": [CSP.SELF]})
def outbox_html(request: HttpRequest, pk: int) -> HttpResponse:
    _require_dev_outbox()
    message = get_object_or_404(OutboxMessage, pk=pk)
    if not message.body_html:
        raise Http404
    return HttpResponse(message.body_html)
