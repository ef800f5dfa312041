"""The REST API, version 1: one NinjaAPI, its routers, its auth and its one error shape.

Served under /api/v1/ (helpwanted/api/urls.py). The OpenAPI document is /api/v1/openapi.json;
the reference page /api/v1/docs is our own template (no CDN, CSP-clean). docs/api.md explains.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.operation import Operation
from ninja.parser import Parser

from helpwanted.accounts.http import AuthedRequest
from helpwanted.api import errors
from helpwanted.api.auth import Caller, TokenAuth
from helpwanted.api.routers import asks, elsewhere, journey, network, people
from helpwanted.api.routers.common import responses
from helpwanted.api.schemas import MeOut

DESCRIPTION = """Your job search, from your own scripts: people, targets, circle, asks,
opportunities, updates, check-ins, your calendar and your work-search record.

Authenticate with a personal access token from your account page:
`Authorization: Bearer hw_pat_…`. Lists are paged with an opaque `cursor` (pass each page's
`next_cursor`; it is null on the last page) and a `limit` of 1 to 200. Every error is
`{"error": {"code": "…", "message": "…"}}`, with `fields` on a 422."""


class ObjectParser(Parser):
    """A body is a JSON object or nothing: a list or a bare number is refused (400), never
    read as an empty change."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return data


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__  # "people_list", not the module path


api = Api(
    title="helpwanted API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    docs_url=None,  # our own page (helpwanted/api/views.py): Swagger from a CDN breaks the CSP
    auth=TokenAuth(),
    parser=ObjectParser(),
)
errors.install(api)

me = Router(tags=["you"])


@me.get("/me", response=responses(s200=MeOut), url_name="me")
def whoami(request: AuthedRequest) -> dict[str, Any]:
    """Who the token belongs to, and what it may do."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    token = caller.token
    return {
        "email": caller.user.email,
        "display_name": caller.user.display_name,
        "timezone": caller.user.timezone,
        "token": (
            {"name": token.name, "can_write": token.can_write, "expires_at": token.expires_at}
            if token is not None
            else None
        ),
    }


api.add_router("", me)
api.add_router("", people.router)
api.add_router("", network.router)
api.add_router("", asks.router)
api.add_router("", journey.router)
api.add_router("", elsewhere.router)
