"""One item of a periodic sweep at a time: a failing item is reported and counted, the rest still run.

A sweep is bounded: one run of a sweep at a time (a second that starts meanwhile skips its turn), and a run stops
at its time budget and at Celery's soft time limit, leaving the rest to the next run. Under load (issue 24's soak,
2 shared cores) one detection took 2.7 s; the match sweep, started every minute, took a pool process for five
minutes and two overlapping runs held both, so the detection tasks queued behind them and still more signals
waited for the sweep.
"""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

# the first key of PostgreSQL's two-key advisory locks for sweeps; detection's one-key locks never meet them
_SWEEP_LOCK_CLASS = 24


@dataclass(frozen=True)
class SweepOutcome:
    done: int
    failed: int
    left: int = 0  # not tried in this run (the time budget was spent); the next run takes them


def sweep_each(
    *, name: str, ids: Iterable[int], action: Callable[[int], object], budget_seconds: float | None = None
) -> SweepOutcome:
    """Run `action(id)` for each id, each under its own transaction (a savepoint inside an outer one).

    An id whose action raises is rolled back, logged with the sweep's name, the id and the exception's
    class only (an exception's text may hold personal data), and counted; the sweep goes on with the
    next id, so one item that always fails does not block the items behind it. After `budget_seconds` the
    sweep stops and leaves the rest; Celery's soft time limit stops it too (it is not an item's failure).
    """
    ids = list(ids)
    done = failed = 0
    started = time.monotonic()
    for index, item_id in enumerate(ids):
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            left = len(ids) - index
            logger.info("%s: time budget of %ss spent; %s items left for the next run", name, budget_seconds, left)
            return _reported(name, SweepOutcome(done=done, failed=failed, left=left))
        try:
            with transaction.atomic():
                action(item_id)
        except SoftTimeLimitExceeded:
            logger.warning("%s: stopped by the soft time limit; %s items left", name, len(ids) - index)
            raise
        except Exception as error:  # noqa: BLE001 - reported and counted; the other items must still run
            failed += 1
            logger.warning("%s: item %s failed (%s); the sweep goes on", name, item_id, type(error).__name__)
        else:
            done += 1
    return _reported(name, SweepOutcome(done=done, failed=failed))


def _reported(name: str, outcome: SweepOutcome) -> SweepOutcome:
    if outcome.failed:
        logger.error(
            "%s: %s of %s items failed; they are tried again next run",
            name,
            outcome.failed,
            outcome.done + outcome.failed,
        )
    return outcome


@contextmanager
def sweep_alone(name: str) -> Iterator[bool]:
    """Yields whether this is the only run of the sweep `name` now (a session advisory try-lock, which never waits,
    so it cannot take part in a wait cycle; a killed worker's connection releases it). A caller that gets False
    skips its turn."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [_SWEEP_LOCK_CLASS, name])
        alone = cursor.fetchone()[0]
    try:
        yield alone
    finally:
        if alone:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [_SWEEP_LOCK_CLASS, name])
            except DatabaseError:  # the connection died: the server released the lock with it
                logger.info("%s: the sweep's lock went with its connection", name)
