"""Cursor pagination: stable, by id, in a fixed number of queries per page.

A cursor is opaque to clients: the last id of the page and the list it belongs to, signed, so
a made-up or mangled cursor is a clear 400 (bad_cursor) rather than a silent wrong page. Rows
added while a client walks the list appear at the end; none is skipped or repeated, which an
offset could not promise.
"""

from __future__ import annotations

from typing import Annotated

from django.core import signing
from django.db.models import Model, QuerySet
from ninja import Query, Schema
from pydantic import Field

from helpwanted.api.errors import ApiError

SALT = "helpwanted.api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageParams(Schema):
    cursor: Annotated[str | None, Field(max_length=200)] = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT


PageQuery = Annotated[PageParams, Query()]


def encode(resource: str, last_id: int) -> str:
    return signing.dumps([resource, last_id], salt=SALT)


def decode(resource: str, cursor: str) -> int:
    try:
        kind, last_id = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        kind, last_id = None, None
    if kind != resource or not isinstance(last_id, int):
        raise ApiError(
            "bad_cursor",
            "That cursor isn't one this list gave out. Start again without a cursor, then "
            "pass each page's next_cursor as it is.",
        )
    return last_id


def paginate[M: Model](
    rows: QuerySet[M], page: PageParams, *, resource: str
) -> tuple[list[M], str | None]:
    """One page of `rows` in id order, and the cursor for the next page (None on the last)."""
    if page.cursor:
        rows = rows.filter(pk__gt=decode(resource, page.cursor))
    items = list(rows.order_by("pk")[: page.limit + 1])
    if len(items) <= page.limit:
        return items, None
    items = items[: page.limit]
    return items, encode(resource, items[-1].pk)
