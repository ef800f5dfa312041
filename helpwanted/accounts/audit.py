"""Log logins, failures and refusals. Never log passwords, tokens, notes or check-ins."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from helpwanted.lib.clientip import request_client_ip

log = logging.getLogger("helpwanted.security")


def _ip(request: HttpRequest | None) -> str:
    return (request_client_ip(request) or "-") if request is not None else "-"


@receiver(user_logged_in)
def _logged_in(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    log.info("login ok user=%s ip=%s", getattr(user, "pk", "-"), _ip(request))


@receiver(user_logged_out)
def _logged_out(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    log.info("logout user=%s ip=%s", getattr(user, "pk", "-"), _ip(request))


@receiver(user_login_failed)
def _login_failed(
    sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: object
) -> None:
    log.warning("login failed ip=%s", _ip(request))
