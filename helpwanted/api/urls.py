"""/api/: the token page (a normal page of the app) and the REST API under /api/v1/."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, include, path

from helpwanted.api import views
from helpwanted.api.errors import error_body
from helpwanted.api.v1 import api


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a wrong method with a plain-text 405: give it the one error shape."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            message = f"This address accepts {allowed or 'other methods'}."
            json = JsonResponse(error_body("method_not_allowed", message), status=405)
            json["Allow"] = allowed
            return json
        return response

    return wrapped


def _v1_patterns() -> list[URLPattern | URLResolver]:
    patterns, _app, _namespace = api.urls
    result: list[URLPattern | URLResolver] = []
    routes: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            # Ninja adds one pattern per operation, all with the same view for a path: keep
            # one per path, named after its GET (or its only) operation.
            if str(pattern.pattern) in routes:
                continue
            routes.add(str(pattern.pattern))
            # /api/v1/ itself is our index (views.index), as JSON.
            view = views.index if pattern.name == "api-root" else pattern.callback
            pattern = URLPattern(
                pattern.pattern, _json_405(view), pattern.default_args, pattern.name
            )
        result.append(pattern)
    return result


app_name = "api"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("v1/docs", views.docs, name="docs"),
    path("v1/", include((_v1_patterns(), "v1"), namespace="v1")),
    path("v1/<path:rest>", views.not_found, name="not_found"),
]
