"""The hooks through which other apps (the statistics) learn of new match links and recorded follow-up (core.hooks).

Handlers run inside matching's transaction, so what they write commits or rolls back with the links.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

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


# --- a match that reaches into other deployments (federation, issue 22) ----------------------------------------


@dataclass(frozen=True)
class RemoteMember:
    """A professional of another deployment's index in the national match: the contact details a match needs."""

    name: str
    organisation: str
    email: str
    phone: str
    deployment: str
    archived: bool
    since: datetime.datetime
    kinds: tuple[str, ...] = ()
    is_coordinator: bool = False


@dataclass(frozen=True)
class NationalPart:
    """What the national index adds to a local match: its national reference, the one coordinator decided for the
    national match (`signal_id` when it is a signal of this deployment in this match, else `key` and `contact`)
    and the other deployments' participants."""

    reference: str
    key: str = ""
    signal_id: int | None = None
    contact: dict | None = None
    remote: tuple[RemoteMember, ...] = field(default_factory=tuple)

    @property
    def decided(self) -> bool:
        return bool(self.key)


# fn(match_ids) -> {match id: NationalPart} for the matches that are part of a national match (the federation)
national_part_hook = Hook("the national part of matches")


def register_national_part(fn: Callable) -> Callable:
    return national_part_hook.register(fn)


def national_parts(match_ids) -> dict[int, NationalPart]:
    """The national part of each of these matches that has one (none when this deployment is not federated)."""
    ids = sorted({pk for pk in match_ids if pk})
    result: dict[int, NationalPart] = {}
    if ids:
        for answer in national_part_hook.send(ids):
            result.update(answer or {})
    return result


# The monitor and matches linked to other deployments (federation, docs/federation.md "Follow-up across deployments"):
# fn(*, region, cutoff) -> (match ids followed up elsewhere, {match id: waiting since} for contact missing elsewhere)
monitor_overdue_linked_hook = Hook("monitor: matches linked to other deployments")
# fn(match_ids) -> {match id: [professionals elsewhere without recorded contact]} (contact details only)
monitor_waiting_elsewhere_hook = Hook("monitor: professionals elsewhere without contact")


def register_monitor_overdue_linked(fn: Callable) -> Callable:
    return monitor_overdue_linked_hook.register(fn)


def register_monitor_waiting_elsewhere(fn: Callable) -> Callable:
    return monitor_waiting_elsewhere_hook.register(fn)


def monitor_overdue_linked(*, region, cutoff) -> tuple[set[int], dict]:
    elsewhere: set[int] = set()
    waiting: dict = {}
    for excluded, since in monitor_overdue_linked_hook.send(region=region, cutoff=cutoff):
        elsewhere |= set(excluded)
        for match_id, at in since.items():
            waiting[match_id] = min(at, waiting.get(match_id, at))
    return elsewhere, waiting


def monitor_waiting_elsewhere(match_ids) -> dict[int, list]:
    result: dict[int, list] = {}
    for answer in monitor_waiting_elsewhere_hook.send(match_ids):
        for match_id, people in answer.items():
            result.setdefault(match_id, []).extend(people)
    return result


# fn(*, region, cutoff) -> [rows]: national matches coordinated here by a signal that is in no local match, with a
# professional elsewhere waiting for contact since before `cutoff` (each row: reference, pk, waiting_since,
# coordinator_signal, participants)
monitor_unmatched_hook = Hook("monitor: national matches without a local match")


def register_monitor_unmatched(fn: Callable) -> Callable:
    return monitor_unmatched_hook.register(fn)


def monitor_unmatched(*, region, cutoff) -> list:
    return [row for rows in monitor_unmatched_hook.send(region=region, cutoff=cutoff) for row in rows]


# A hand-over in a match whose coordinator is decided for a national match (federation, docs/federation.md flow 8):
# made locally, the next national decision would undo it, so it goes through the national index, which records the
# accepted hand-over and tells every member.
# fn(*, match, coordinator, target, actor) -> True when the national index took the proposal (raises
# MatchActionRefused with the reason when it cannot take it now)
national_handover_propose_hook = Hook("hand-over in a national match: the proposal")
# fn(*, match, signal, actor, accept) -> True when the national index took the answer of the proposed signal
national_handover_answer_hook = Hook("hand-over in a national match: the answer")


def register_national_handover(*, propose: Callable, answer: Callable) -> None:
    national_handover_propose_hook.register(propose)
    national_handover_answer_hook.register(answer)


def national_handover_propose(*, match, coordinator, target, actor) -> bool:
    return any(national_handover_propose_hook.send(match=match, coordinator=coordinator, target=target, actor=actor))


def national_handover_answer(*, match, signal, actor, accept: bool) -> bool:
    return any(national_handover_answer_hook.send(match=match, signal=signal, actor=actor, accept=accept))


# The coordinator's reminder on the start page (selectors.follow_ups_due_of_coordinator): national matches this
# professional coordinates with contact still missing with professionals of other deployments.
# fn(*, user, region, now) -> [selectors.FollowUpDue] (each with the url of the national follow-up page)
follow_ups_due_elsewhere_hook = Hook("coordinator's reminder: contact missing elsewhere")


def register_follow_ups_due_elsewhere(fn: Callable) -> Callable:
    return follow_ups_due_elsewhere_hook.register(fn)


def follow_ups_due_elsewhere(*, user, region, now) -> list:
    return [item for items in follow_ups_due_elsewhere_hook.send(user=user, region=region, now=now) for item in items]


# fn(signal) -> the path of the national match page of a signal in no local match (federation), or None
national_page_hook = Hook("the national match page of a signal")


def register_national_page(fn: Callable) -> Callable:
    return national_page_hook.register(fn)


def national_page(signal) -> str | None:
    """Where a signal's matches are when it has none here but is part of a national match (federation)."""
    return next((path for path in national_page_hook.send(signal) if path), None)
