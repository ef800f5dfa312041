from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from helpwanted.elsewhere.savejob import manifest


@require_GET
def webmanifest(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        json.dumps(manifest(), indent=2), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
