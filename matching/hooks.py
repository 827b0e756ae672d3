"""The hooks through which other apps (the statistics) learn of new match links and recorded follow-up (core.hooks).

Handlers run inside matching's transaction, so what they write commits or rolls back with the links.
"""

from collections.abc import Callable

from core.hooks import Hook

# fn(links, signals, *, match, match_is_new): the new MatchLinks, {id: Signal} of their ends, and their match
links_created_hook = Hook("match links created")
# fn(match, participations, first_time): `first_time` holds the participations whose contact was first recorded
follow_up_recorded_hook = Hook("match follow-up recorded")


def register_links_created(fn: Callable) -> Callable:
    return links_created_hook.register(fn)


def register_follow_up_recorded(fn: Callable) -> Callable:
    return follow_up_recorded_hook.register(fn)


def links_created(links, signals, *, match, match_is_new: bool) -> None:
    links_created_hook.send(links, signals, match=match, match_is_new=match_is_new)


def follow_up_recorded(match, participations, first_time) -> None:
    follow_up_recorded_hook.send(match, participations, first_time)
