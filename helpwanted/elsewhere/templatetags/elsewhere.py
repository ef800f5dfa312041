from django import template

from helpwanted.elsewhere.savejob import bookmarklet

register = template.Library()


@register.simple_tag
def bookmarklet_href() -> str:
    """The "Save to helpwanted" bookmarklet for this site (autoescaped in the href)."""
    return bookmarklet()


@register.inclusion_tag("elsewhere/_calendar_feed.html", takes_context=True)
def calendar_feed_section(context: template.Context) -> dict[str, object]:
    """The account page's "Calendar feed" block, without the accounts view knowing about it."""
    from helpwanted.elsewhere.calendar_views import calendar_context

    request = context["request"]
    return {"csrf_token": context.get("csrf_token"), **calendar_context(request.user)}


@register.simple_tag(takes_context=True)
def offer_readable(context: template.Context, recipient: object) -> bool:
    """Whether the helper's "when" reads as a date we can put in a calendar."""
    from helpwanted.asks.models import Recipient
    from helpwanted.elsewhere.calendar import offered_when

    user = context["request"].user
    if not isinstance(recipient, Recipient) or not user.is_authenticated:
        return False
    return offered_when(recipient, user.zoneinfo) is not None
