"""Every API error is one JSON shape: {"error": {"code": "...", "message": "..."}}.

A 422 adds "fields": {"name": ["What to fix."]}; a 429 sends Retry-After. Ninja's own errors
(bad JSON, a failed schema check, a missing token) and anything unexpected are turned into the
same shape here, so a client needs one error handler, never a second format.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from helpwanted.lib.outage import RETRY_AFTER_SECONDS, is_outage, outage_log

if TYPE_CHECKING:
    from ninja import NinjaAPI

log = logging.getLogger("helpwanted.api")

# The codes a client may see, with the status each comes with (docs/api.md lists them).
CODES = {
    "bad_request": 400,
    "bad_cursor": 400,
    "unauthenticated": 401,
    "read_only_token": 403,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "conflict": 409,
    "invalid": 422,
    "rate_limited": 429,
    "server_error": 500,
    "unavailable": 503,
}
_BY_STATUS = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None


class ErrorOut(Schema):
    error: ErrorDetail


# Declared on every operation, so the OpenAPI document names every status a client can get.
ERROR_RESPONSES: dict[int, type[ErrorOut]] = {
    status: ErrorOut for status in (400, 401, 403, 404, 409, 422, 429)
}


class ApiError(Exception):
    """Raise anywhere in an API view: becomes the one error shape, with this status and code."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        fields: Mapping[str, Iterable[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = CODES[code]
        self.code = code
        self.message = message
        self.fields = {name: list(msgs) for name, msgs in fields.items()} if fields else None
        self.headers = dict(headers or {})

    @classmethod
    def invalid(cls, fields: Mapping[str, Iterable[str]]) -> ApiError:
        names = ", ".join(fields)
        return cls("invalid", f"Some of what you sent needs a change: {names}.", fields=fields)


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    detail: dict[str, Any] = {"code": code, "message": message}
    if fields:
        detail["fields"] = fields
    return {"error": detail}


def _field_name(loc: Iterable[Any]) -> str:
    """("body", "payload", "emails", 0) -> "emails.0"; ("query", "limit") -> "limit"."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in ("query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def install(api: NinjaAPI) -> None:
    """Register the handlers that give every error the one shape.

    (Each handler takes `exc: Any`: ninja types it as the exception or its class.)
    """

    def respond(request: HttpRequest, error: ApiError) -> HttpResponse:
        response = api.create_response(
            request, error_body(error.code, error.message, error.fields), status=error.status
        )
        for name, value in error.headers.items():
            response[name] = value
        return response

    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, exc)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_field_name(err.get("loc", ())), []).append(str(err.get("msg", "")))
        return respond(request, ApiError.invalid(fields))

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return respond(request, unauthenticated())
        code = _BY_STATUS.get(exc.status_code, "bad_request")
        message = "Send the body as a JSON object." if exc.status_code == 400 else str(exc)
        return respond(request, ApiError(code, message))

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, ApiError("not_found", "Nothing here with that id."))

    def on_403(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, ApiError("forbidden", "You can't do that."))

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        if is_outage(exc):  # the database (or Redis) is down: as the pages' calm 503, in JSON
            outage_log.error("Database", exc)
            return respond(
                request,
                ApiError(
                    "unavailable",
                    "We'll be back shortly. Please try again in a moment.",
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                ),
            )
        # The path and method only: bodies may hold notes or check-ins, which are never logged.
        log.exception("API error on %s %s", request.method, request.path)
        return respond(
            request,
            ApiError("server_error", "Something went wrong on our side. Please try again soon."),
        )

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_403)
    api.add_exception_handler(Exception, on_unexpected)


def unauthenticated() -> ApiError:
    return ApiError(
        "unauthenticated",
        "Send a personal access token: Authorization: Bearer hw_pat_… "
        "(make one on your account page). It may be unknown, revoked or expired.",
        headers={"WWW-Authenticate": 'Bearer realm="helpwanted"'},
    )
