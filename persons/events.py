"""What the BRP refresh found changed about a youth, and the handlers other apps register for it.

signals registers one for deaths and moves, matching for address and parent changes (core.hooks):

    from persons.events import register_youth_change_handler

    @register_youth_change_handler
    def on_youth_change(change): ...

Register in your AppConfig.ready(). Handlers run inside the transaction that stores the change (so a
failing handler rolls the change back and the next refresh finds it again); enqueue work with
transaction.on_commit.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from core.hooks import Hook


@dataclass(frozen=True)
class YouthChange:
    youth_id: int
    old_municipality_code: str
    new_municipality_code: str
    died_on: datetime.date | None = None
    address_changed: bool = False
    parents_changed: bool = False
    # the day of the refresh run that found the change (None when found by a look-up)
    as_of: datetime.date | None = None

    @property
    def moved(self) -> bool:
        """Registered in another municipality than before."""
        return self.old_municipality_code != self.new_municipality_code

    @property
    def died(self) -> bool:
        return self.died_on is not None

    @property
    def anything(self) -> bool:
        return self.moved or self.died or self.address_changed or self.parents_changed


YouthChangeHandler = Callable[[YouthChange], None]
youth_changed = Hook("youth changed")


def register_youth_change_handler(fn: YouthChangeHandler) -> YouthChangeHandler:
    """Call `fn(change)` for every youth change found; registering the same function twice has no effect."""
    return youth_changed.register(fn)


def unregister_youth_change_handler(fn: YouthChangeHandler) -> None:
    youth_changed.unregister(fn)


def youth_change_handlers() -> list[YouthChangeHandler]:
    return youth_changed.handlers()


def youth_change_dispatch(change: YouthChange) -> None:
    youth_changed.send(change)


# --- births of unborn children (docs/adr/0030-unborn-children.md) ---------------------------------------------


@dataclass(frozen=True)
class UnbornBirths:
    """What the refresh found for the row of an unborn child: the mother's children in the BRP.

    `children` holds (BSN, date of birth) pairs, in memory only (repr hides them, so no log line shows a BSN).
    """

    unborn_youth_id: int
    children: tuple[tuple[str, datetime.date], ...] = field(repr=False, default=())
    as_of: datetime.date | None = None


UnbornBirthsHandler = Callable[[UnbornBirths], None]
unborn_births_read = Hook("unborn births read")


def register_unborn_births_handler(fn: UnbornBirthsHandler) -> UnbornBirthsHandler:
    """Call `fn(births)` for every unborn child's row the refresh read; registering twice has no effect."""
    return unborn_births_read.register(fn)


def unborn_births_dispatch(births: UnbornBirths) -> None:
    unborn_births_read.send(births)
