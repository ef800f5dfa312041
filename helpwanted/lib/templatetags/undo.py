from django import template

from helpwanted.lib.undo import undo_url as _undo_url

register = template.Library()


@register.filter
def undo_url(extra_tags: str) -> str:
    return _undo_url(extra_tags)
