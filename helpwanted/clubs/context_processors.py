from collections.abc import Callable
from functools import partial

from django.http import HttpRequest


def _in_a_club(request: HttpRequest) -> bool:
    from helpwanted.clubs.selectors import clubs_for_user

    return clubs_for_user(request.user).exists()


def clubs(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """`in_a_club` for the nav: a callable, so the query runs only on pages that show the nav."""
    return {"in_a_club": partial(_in_a_club, request)}
