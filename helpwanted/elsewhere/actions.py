"""Writes of the "your data, elsewhere" app: leaving with everything, and the calendar feed."""

from __future__ import annotations

import logging

from django.db import transaction

from helpwanted.accounts.models import User

log = logging.getLogger("helpwanted.security")


def user_delete(*, user: User) -> None:
    """Delete the seeker and everything they own, in one transaction.

    Every table that points at a seeker does so with on_delete=CASCADE: people, asks and their
    recipients, the circle and its helper grants (so every helper link and helper session stops
    working on its next request), opportunities and their history, updates, check-ins, targets,
    imports, next-step snoozes, the calendar feed and its emitted events, added work-search
    activities, and the outbox rows written for them, sent or not. The login records
    django-axes keeps under the email go too.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    pk, email = user.pk, user.email
    with transaction.atomic():
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=email).delete()
        user.delete()
    log.info("account deleted user=%s", pk)
