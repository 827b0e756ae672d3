"""One registry mechanism for every hook: a higher app reacts to a lower app's event without the lower app importing it.

The lower app defines the hook and sends it; the higher app registers a handler in its `AppConfig.ready()`.
Handlers run in the sender's transaction, in the order registered, except those registered `last` (handlers that
write to the logbook: its lock is held to the commit, see docs/adr/0002-logbook.md). Registering the same function
twice has no effect, so a reloaded app does not run a handler twice.
"""

from collections.abc import Callable
from typing import Any

Handler = Callable[..., Any]


class Hook:
    """A named event with its handlers; `send(...)` calls each handler with the same arguments."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[Handler] = []
        self._last: list[Handler] = []

    def __repr__(self) -> str:
        return f"Hook({self.name!r})"

    def register(self, fn: Handler, *, last: bool = False) -> Handler:
        """Call `fn` on every send; `last` handlers run after all others. Usable as a decorator."""
        if fn not in self._handlers and fn not in self._last:
            (self._last if last else self._handlers).append(fn)
        return fn

    def unregister(self, fn: Handler) -> None:
        for handlers in (self._handlers, self._last):
            if fn in handlers:
                handlers.remove(fn)

    def handlers(self, part: str = "all") -> list[Handler]:
        """The handlers in calling order; `part` "first" or "last" gives those registered without or with `last`."""
        return {"first": [*self._handlers], "last": [*self._last]}.get(part, [*self._handlers, *self._last])

    def send(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Call every handler; returns what each returned (a hook that asks a question collects the answers)."""
        return [fn(*args, **kwargs) for fn in self.handlers()]
