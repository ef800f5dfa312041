"""Undo instead of surprise: the page after a removal offers to put it back.

An action that removes or switches something off keeps what it needs to restore it, and its
view calls `offer_undo` with the URL of a POST-only view that puts it back. base.html shows the
message with an Undo button on the next page. The undo view itself does the access check, so
the URL in the message grants nothing on its own.
"""

from django.contrib import messages
from django.http import HttpRequest

TAG = "undo="


def offer_undo(request: HttpRequest, text: str, undo_url: str) -> None:
    messages.success(request, text, extra_tags=TAG + undo_url)


def undo_url(extra_tags: str) -> str:
    """The undo URL carried by a message's tags, or ""."""
    tags = extra_tags or ""
    return tags[len(TAG) :] if tags.startswith(TAG) else ""
