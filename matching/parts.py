"""A match's rows under lock, and its split into connected parts when signals go (used by detection and coordination).

Kept apart from both so that neither imports the other (see docs/adr/0001-the-match.md for the lock order).
"""

from collections import defaultdict

from django.db import connection
from django.utils import timezone

from signals.models import Signal

from .models import Match, MatchLink, MatchParticipation


def matches_lock(match_ids) -> dict[int, Match]:
    """Step 3: the Match rows, sorted by id; a match merged away meanwhile is not returned."""
    if not match_ids:
        return {}
    return {
        match.pk: match
        for match in Match.objects.select_for_update(of=("self",)).filter(pk__any=sorted(set(match_ids))).order_by("pk")
    }


def _parts(member_ids: set[int], links) -> list[set[int]]:
    """The connected parts of these signals over these links (a small graph: one family)."""
    parent = {pk: pk for pk in member_ids}

    def find(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for a, b in links:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    parts = defaultdict(set)
    for pk in member_ids:
        parts[find(pk)].add(pk)
    return sorted(parts.values(), key=min)


def matches_split(*, matches: dict[int, Match], members: dict[int, list[Signal]], destroyed: set[int]) -> dict:
    """The matches of destroyed signals, recomputed into connected parts (their links go with the signals).

    The part holding the coordinator, else the part with the earliest signal, keeps the row; each other
    part of two or more signals gets a new match; a signal left alone is in no match. Runs under the
    locks of the caller (the signal rows, then these Match rows). Returns {match id: its remaining members}
    for every match that remains, new ones included (new Match objects carry no coordinator yet).
    """
    all_ids = {s.pk for signals in members.values() for s in signals}
    links = MatchLink.objects.filter(signal_a_id__any=list(all_ids)).values_list("signal_a_id", "signal_b_id")
    links = [(a, b) for a, b in links if a not in destroyed and b not in destroyed]
    moves: list[tuple[int, list[int]]] = []  # (index of a new match, its signal ids)
    alone: list[int] = []
    emptied: list[int] = []
    result: dict[int, list[Signal]] = {}
    new_parts: list[list[Signal]] = []
    for match_id, signals in members.items():
        by_id = {s.pk: s for s in signals if s.pk not in destroyed}
        parts = [part for part in _parts(set(by_id), links)]
        keeping = [part for part in parts if len(part) > 1]
        alone += [pk for part in parts if len(part) == 1 for pk in part]
        if not keeping:
            emptied.append(match_id)
            continue
        coordinator = matches[match_id].coordinator_signal_id
        keep = next((part for part in keeping if coordinator in part), None)
        if keep is None:
            keep = min(keeping, key=lambda part: min((by_id[pk].placed_at, pk) for pk in part))
        result[match_id] = sorted((by_id[pk] for pk in keep), key=lambda s: (s.placed_at, s.pk))
        for part in keeping:
            if part is not keep:
                moves.append((len(new_parts), sorted(part)))
                new_parts.append(sorted((by_id[pk] for pk in part), key=lambda s: (s.placed_at, s.pk)))
    if alone:
        MatchParticipation.objects.filter(signal_id__any=alone).delete()
    if emptied:
        Match.objects.filter(pk__any=emptied).delete()
    if new_parts:
        now = timezone.now()
        created = Match.objects.bulk_create([Match(created_at=now) for _ in new_parts])
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE matching_matchparticipation AS p SET match_id = v.match_id"
                " FROM unnest(%s::bigint[], %s::bigint[]) AS v(signal_id, match_id) WHERE p.signal_id = v.signal_id",
                [
                    [pk for _i, pks in moves for pk in pks],
                    [created[i].pk for i, pks in moves for _pk in pks],
                ],
            )
        for match, part in zip(created, new_parts, strict=True):
            matches[match.pk] = match
            result[match.pk] = part
    for match_id in emptied:
        matches.pop(match_id, None)
    return result
