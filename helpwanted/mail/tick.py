"""The periodic tick: enqueue whatever has come due. Safe to run twice at once.

Each job is idempotent by construction (outbox keys are unique), so overlapping ticks from two
workers send nothing twice. Features list their jobs in settings.TICK_JOBS.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("helpwanted.tick")


def run_tick() -> dict[str, int]:
    results: dict[str, int] = {}
    for path in settings.TICK_JOBS:
        name = path.rsplit(".", 1)[-1]
        try:
            results[name] = import_string(path)()
        except Exception:  # one failing job must not stop the others
            log.exception("tick job %s failed", name)
            results[name] = -1
    return results
