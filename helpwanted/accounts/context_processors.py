from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"demo_mode": settings.DEMO or settings.DEBUG}
