"""What the type checker may assume about a request to a seeker's view.

For annotations only: Django still passes a plain `HttpRequest`, and nothing changes at run time.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from helpwanted.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request to a `@login_required` view, or to a helper that only such views call."""

    user: User  # login_required let it through, so never AnonymousUser
    htmx: HtmxDetails  # set on every request by django-htmx's middleware
