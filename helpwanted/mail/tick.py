"""The periodic tick: enqueue whatever has come due. Safe to run twice at once.

Each job is idempotent by construction (outbox keys are unique), so overlapping ticks from two
workers send nothing twice. Later features add their jobs to JOBS.
"""

import logging
from collections.abc import Callable

from helpwanted.mail.actions import outbox_prune

log = logging.getLogger("helpwanted.tick")

JOBS: list[tuple[str, Callable[[], int]]] = [
    ("outbox_prune", outbox_prune),
]


def run_tick() -> dict[str, int]:
    results: dict[str, int] = {}
    for name, job in JOBS:
        try:
            results[name] = job()
        except Exception:  # one failing job must not stop the others
            log.exception("tick job %s failed", name)
            results[name] = -1
    return results
