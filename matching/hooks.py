"""An explicit registry through which other apps (the statistics) learn of new match links and recorded follow-up.

Handlers run inside matching's transaction, so what they write commits or rolls back with the links.
Register in `AppConfig.ready()`; registering the same function twice has no effect.
"""

from collections.abc import Callable

_links_created: list[Callable] = []
_follow_up_recorded: list[Callable] = []


def register_links_created(fn: Callable) -> Callable:
    """fn(links, signals): `links` the new MatchLinks, `signals` {id: Signal} holding both ends of each link."""
    if fn not in _links_created:
        _links_created.append(fn)
    return fn


def register_follow_up_recorded(fn: Callable) -> Callable:
    """fn(follow_up, coordinator, first_time): after the coordinator recorded (or changed) the follow-up."""
    if fn not in _follow_up_recorded:
        _follow_up_recorded.append(fn)
    return fn


def links_created(links, signals) -> None:
    for fn in tuple(_links_created):
        fn(links, signals)


def follow_up_recorded(follow_up, coordinator, first_time: bool) -> None:
    for fn in tuple(_follow_up_recorded):
        fn(follow_up, coordinator, first_time)
