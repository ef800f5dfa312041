"""Save a job from any page: what the bookmarklet or a share sends, turned into a filled form.

The bookmarklet and the Android share target only navigate to the new-opportunity form with
`url`, `title` and `text` in the query string; this reads them there, on helpwanted's own page,
so no script of ours ever runs on the job board's page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from helpwanted.accounts.models import User
from helpwanted.elsewhere.jobboards import normalise_url, recognise, title_parts
from helpwanted.journey.models import Opportunity, OpportunitySource

URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")
BOARD_NAMES = {
    "greenhouse": "Greenhouse",
    "lever": "Lever",
    "ashby": "Ashby",
    "workable": "Workable",
    "linkedin": "LinkedIn",
}


@dataclass
class Prefill:
    initial: dict[str, Any] = field(default_factory=dict)
    board: str = ""  # the job board's name when the URL was recognised
    bad_url: str = ""  # what came in as a URL but isn't a web address (left out of the form)
    duplicate: Opportunity | None = None


def prefill(owner: User, params: QueryDict) -> Prefill:
    """The form's starting values from a bookmarklet or share: link, company, role, notes."""
    url = params.get("url", "").strip()[:2000]
    title = params.get("title", "").strip()[:300]
    text = params.get("text", "").strip()[:5000]
    if not url and (found := URL_IN_TEXT.search(text)):  # Android often shares "Title https://"
        url = found.group(0)
        text = (text[: found.start()] + text[found.end() :]).strip()
    result = Prefill()
    if params.get("company"):
        result.initial["company"] = params["company"][:200]
    if not (url or title or text):
        return result
    role, company = title_parts(title)
    if url and not normalise_url(url):
        result.bad_url, url = url[:200], ""
    posting = recognise(url) if url else None
    if posting is not None:
        result.board = BOARD_NAMES[posting.board]
        result.initial["source"] = OpportunitySource.JOB_BOARD
        company = posting.company or company
    if url:
        result.initial["link"] = url[:500]
    if company:
        result.initial["company"] = company[:200]
    if role:
        result.initial["role"] = role[:200]
    if text and text != title:
        result.initial["notes"] = text
    result.duplicate = saved_already(owner, url)
    return result


def saved_already(owner: User, url: str) -> Opportunity | None:
    """The seeker's opportunity with the same job link, once normalised; None otherwise.

    One query over the seeker's links (a few hundred at most), compared in Python: the same job
    arrives with tracking parameters, through the apply page or under another host.
    """
    key = normalise_url(url) if url else ""
    if not key:
        return None
    links = Opportunity.objects.filter(owner=owner).exclude(link="").order_by("created_at", "pk")
    for pk, link in links.values_list("pk", "link"):
        if normalise_url(link) == key:
            return Opportunity.objects.get(pk=pk)
    return None


def bookmarklet() -> str:
    """A `javascript:` URL that only navigates to our form with the page's URL, title and the
    selected text. It loads nothing into the job board's page and sends nothing anywhere else:
    all the work happens on helpwanted's own page, under our CSP."""
    from django.conf import settings
    from django.urls import reverse

    target = f"{settings.SITE_URL}{reverse('journey:opportunity_new')}"
    return (
        "javascript:(function(){var e=encodeURIComponent;"
        f"location.href='{target}?url='+e(location.href)+'&title='+e(document.title)"
        "+'&text='+e(String(window.getSelection()).slice(0,2000));})();"
    )


def manifest() -> dict[str, Any]:
    """The web app manifest: installable, and a share target ("Share → helpwanted")."""
    from django.templatetags.static import static
    from django.urls import reverse

    return {
        "name": "helpwanted",
        "short_name": "helpwanted",
        "description": "Your job search, not alone.",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#faf7f2",
        "theme_color": "#9a4a12",
        "icons": [{"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        # Android's share sheet opens this with the shared page's title, text and URL.
        "share_target": {
            "action": reverse("journey:opportunity_new"),
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
