"""Tick jobs that keep the tables that only grow bounded. See docs/architecture.md, "Cleanup".

Each job deletes rows nobody can use any more, CHUNK at a time (one short DELETE each, so a
big backlog never holds a long lock) and at most MAX_CHUNKS per tick (the rest goes next
minute). Every DELETE repeats the job's condition, so two ticks at once, or a row brought back
to life in between, delete nothing they shouldn't: at worst the second tick finds nothing.
"""

from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

CHUNK = 500
MAX_CHUNKS = 20


def _delete_in_chunks(rows: QuerySet[Any]) -> int:
    deleted = 0
    for _ in range(MAX_CHUNKS):
        ids = list(rows.order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            break
        _, per_model = rows.filter(pk__in=ids).delete()
        deleted += per_model.get(rows.model._meta.label, 0)
        if len(ids) < CHUNK:
            break
    return deleted


def sessions_clear(*, now: datetime | None = None) -> int:
    """Tick job: what `clearsessions` does, in chunks. Each login and each helper Continue
    makes a session row; an expired one can never be used again."""
    engine = import_module(settings.SESSION_ENGINE)
    get_model = getattr(engine.SessionStore, "get_model_class", None)
    if get_model is None:  # cookie or cache sessions: no table to clear
        return 0
    now = now or timezone.now()
    return _delete_in_chunks(get_model().objects.filter(expire_date__lt=now))


def helper_grants_clear(*, now: datetime | None = None) -> int:
    """Tick job: forget helper links that can never work again, HELPER_GRANT_KEEP_DAYS after
    they stopped: expired, or revoked (a new invitation, the helper left, or before issue 10
    one grant per email). A live grant is never touched. The grant a seeker's "Switch off
    link" revoked is kept while it could still be switched back on (Undo, circle.actions
    grant_revoke_undo), so the member's switched-off state and its undo stay as they were."""
    from helpwanted.circle.models import HelperGrant

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HELPER_GRANT_KEEP_DAYS)
    switched_off = Q(member__links_off_at__isnull=False, revoked_at=F("member__links_off_at"))
    dead = Q(expires_at__lt=cutoff) | (Q(revoked_at__lt=cutoff) & ~switched_off)
    return _delete_in_chunks(HelperGrant.objects.filter(dead))


def axes_logs_clear(*, now: datetime | None = None) -> int:
    """Tick job: django-axes writes a row per login (AccessLog), and per failure when its
    failure log is on (AccessFailureLog); keep LOGIN_LOG_KEEP_DAYS of them. Lockout counters
    (AccessAttempt) older than that are long past their cool-off, so they go too."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LOGIN_LOG_KEEP_DAYS)
    return sum(
        _delete_in_chunks(model.objects.filter(attempt_time__lt=cutoff))
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    )


def task_results_clear(*, now: datetime | None = None) -> int:
    """Tick job: finished background task rows (django-tasks-db) older than
    TASK_RESULT_KEEP_DAYS. Waiting and running ones are never touched."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TASK_RESULT_KEEP_DAYS)
    return _delete_in_chunks(DBTaskResult.objects.finished().filter(finished_at__lt=cutoff))


class WorkerDied(Exception):
    """Recorded on a task row whose worker died and whose work was taken back by the tick."""


def task_result_abandon(task_id: str | None, *, now: datetime | None = None) -> bool:
    """Mark a dead worker's RUNNING task row failed, so none stays RUNNING forever.

    Called by the tick job that takes the work back (network.imports.import_jobs_resume).
    Conditional on the row still running; returns whether it changed it.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not task_id:
        return False
    return bool(
        DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now or timezone.now(),
            exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
            traceback="The worker running this task stopped; the tick took the work back.",
        )
    )
