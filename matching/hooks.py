"""An explicit registry through which other apps (the statistics) learn of new match links and recorded follow-up.

Handlers run inside matching's transaction, so what they write commits or rolls back with the links.
Register in `AppConfig.ready()`; registering the same function twice has no effect.
"""

from collections.abc import Callable

_links_created: list[Callable] = []
_follow_up_recorded: list[Callable] = []


def register_links_created(fn: Callable) -> Callable:
    """fn(links, signals, match, match_is_new): the new MatchLinks, {id: Signal} of their ends, and their match."""
    if fn not in _links_created:
        _links_created.append(fn)
    return fn


def register_follow_up_recorded(fn: Callable) -> Callable:
    """fn(match, participations, first_time): after the coordinator recorded the follow-up; `first_time` holds the
    participations whose contact was recorded for the first time."""
    if fn not in _follow_up_recorded:
        _follow_up_recorded.append(fn)
    return fn


def links_created(links, signals, *, match, match_is_new: bool) -> None:
    for fn in tuple(_links_created):
        fn(links, signals, match=match, match_is_new=match_is_new)


def follow_up_recorded(match, participations, first_time) -> None:
    for fn in tuple(_follow_up_recorded):
        fn(match, participations, first_time)
