"""Two requests at once: each call runs in its own thread with its own database connection.

Use with ``@pytest.mark.django_db(transaction=True)`` so what the test set up is committed and
every thread sees it. The threads are released together by a barrier; each closes its
connection when done.
"""

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import connection


def at_once(*calls: Callable[[], Any], expected: tuple[type[BaseException], ...] = ()) -> list[Any]:
    """Run the calls at the same moment; their results in order.

    An exception of an `expected` type is returned as that call's result; any other is raised
    here once every thread has finished.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException | None] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except expected as error:
            results[index] = error
        except BaseException as error:  # noqa: BLE001 (re-raised in the test's thread)
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for error in errors:
        if error is not None:
            raise error
    return results


def twice(
    call: Callable[..., Any], *args: Any, expected: tuple[type[BaseException], ...] = ()
) -> list[Any]:
    """call(*args) from two threads at the same moment (a double click, two tabs)."""
    return at_once(partial(call, *args), partial(call, *args), expected=expected)
