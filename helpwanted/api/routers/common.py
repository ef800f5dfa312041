"""Small things every router shares."""

from __future__ import annotations

from typing import Any

from django.db import models

from helpwanted.api.errors import ERROR_RESPONSES

# Route names start with the resource, so the access matrix and the docs read them in order.


def responses(**ok: Any) -> dict[int, Any]:
    """{200: Out} (or 201=…) plus every error status, all in the one error shape."""
    return {**ERROR_RESPONSES, **{int(code.removeprefix("s")): out for code, out in ok.items()}}


def locked[M: models.Model](obj: M) -> M:
    """The same row again, locked until the transaction ends: a read-then-write holds it, so two
    requests at once (two app servers) apply one after the other, each to the other's result.
    (On SQLite the IMMEDIATE transaction already serialises writers.)"""
    manager = type(obj)._default_manager
    return manager.select_for_update().get(pk=obj.pk)
