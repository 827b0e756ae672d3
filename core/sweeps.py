"""One item of a periodic sweep at a time: a failing item is reported and counted, the rest still run."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepOutcome:
    done: int
    failed: int


def sweep_each(*, name: str, ids: Iterable[int], action: Callable[[int], object]) -> SweepOutcome:
    """Run `action(id)` for each id, each under its own transaction (a savepoint inside an outer one).

    An id whose action raises is rolled back, logged with the sweep's name, the id and the exception's
    class only (an exception's text may hold personal data), and counted; the sweep goes on with the
    next id, so one item that always fails does not block the items behind it.
    """
    done = failed = 0
    for item_id in ids:
        try:
            with transaction.atomic():
                action(item_id)
        except Exception as error:  # noqa: BLE001 - reported and counted; the other items must still run
            failed += 1
            logger.warning("%s: item %s failed (%s); the sweep goes on", name, item_id, type(error).__name__)
        else:
            done += 1
    if failed:
        logger.error("%s: %s of %s items failed; they are tried again next run", name, failed, done + failed)
    return SweepOutcome(done=done, failed=failed)
