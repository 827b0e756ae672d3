"""Match detection: keys, locks, links, and the match they form (merge on detection, split on destruction).

Lock order (docs/adr/0001-the-match.md, the one place it is decided; every write path keeps it):
1. advisory locks on the match keys, sorted, in one statement;
2. the signal rows, sorted by id;
3. the Match rows, sorted by id (FOR UPDATE), then their participations;
4. the outbox and, last, the logbook.
Nobody takes an advisory lock after a row lock, so two transactions never wait on each other in a circle.
"""

import hashlib
import logging

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import connection, transaction
from django.db.models import BigIntegerField, Func, OuterRef, Q, Subquery
from django.utils import timezone

from audit import events as audit_events
from core.sweeps import sweep_each
from persons.models import Youth
from regions.models import InstitutionalAddress
from signals.models import Signal

from . import coordination, emails, hooks
from .models import Match, MatchKey, MatchKeyKind, MatchKind, MatchLink, MatchParticipation
from .parts import matches_lock, matches_split  # noqa: F401 - matches_split: its old home

logger = logging.getLogger(__name__)

KEY_TO_MATCH_KIND = {
    MatchKeyKind.YOUTH: MatchKind.SAME_YOUTH,
    MatchKeyKind.PARENT: MatchKind.FAMILY,
    MatchKeyKind.ADDRESS: MatchKind.ADDRESS,
}
SIGNAL_RELATED = ("youth", "organisation__region", "professional")


# --- keys and locks -------------------------------------------------------------------------------------------


def signal_match_keys(signal: Signal) -> set[tuple[str, str]]:
    """The keys a signal contributes: its youth, each parent pseudonym and the address pseudonym.

    A deceased parent's pseudonym stays among the youth's parents in the BRP: siblings who share only a
    deceased parent still match. The address only where the signal's own region makes address matches.
    """
    youth = signal.youth
    keys = {(MatchKeyKind.YOUTH.value, str(youth.pk))}
    keys |= {(MatchKeyKind.PARENT.value, p) for p in youth.parent_pseudonyms if p}
    if youth.bag_pseudonym and signal.organisation.region.address_matches:
        keys.add((MatchKeyKind.ADDRESS.value, youth.bag_pseudonym))
    family_ids = getattr(signal, "mother_or_unborn_ids", None)
    if family_ids is None:
        family_ids = (
            Signal.objects.filter(pk=signal.pk).annotate(ids=_mother_or_unborn_ids()).values_list("ids", flat=True)[0]
        )
    keys |= {(MatchKeyKind.YOUTH.value, str(pk)) for pk in family_ids or ()}
    return keys


def _mother_or_unborn_ids() -> Func:
    """An unborn child and a signal on its mother herself (a youth under 23) match (docs/adr/0030-unborn-children.md).

    The unborn child's signal carries its mother's youth key; the mother's signal carries the keys of her unborn
    children; either way the one placed later finds the other. The link is a family link (_links_wanted). An
    annotation of the signal, so that detection loads it with the signal in the same statement: two index look-ups
    (one `OR` over both columns read every youth at 1,000,000 stored, benchmarks/README.md).
    """
    mother = Youth.objects.filter(pseudonym=OuterRef("youth__unborn_mother_pseudonym")).exclude(pseudonym="")
    # "not empty" tells the planner that the many youths without an unborn child are not candidates
    unborn = Youth.objects.filter(unborn_mother_pseudonym=OuterRef("youth__pseudonym")).exclude(
        unborn_mother_pseudonym=""
    )
    return Func(
        ArraySubquery(mother.order_by().values("pk")),
        ArraySubquery(unborn.order_by().values("pk")),
        function="array_cat",
        output_field=ArrayField(BigIntegerField()),
    )


def _lock_id(kind: str, value: str) -> int:
    digest = hashlib.blake2b(f"verwijsindex-match:{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _advisory_lock(keys) -> None:
    """Step 1: serialise detections that share a key, sorted, in one statement (unnest keeps the order)."""
    lock_ids = sorted({_lock_id(kind, value) for kind, value in keys})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k", [lock_ids])


# Step 2: the signal rows, sorted; a row destroyed meanwhile is simply not returned. FOR NO KEY UPDATE (as an end
# takes it) conflicts with an end and with another detection, not with the foreign-key checks that refer to the row.
_SIGNALS_LOCK_SQL = """
SELECT s.id, s.status, s.ended_at, p.match_id
  FROM signals_signal s LEFT JOIN matching_matchparticipation p ON p.signal_id = s.id
 WHERE s.id = ANY(%s)
 ORDER BY s.id
   FOR NO KEY UPDATE OF s
"""


def signals_lock(signal_ids) -> dict[int, tuple[str, object, int | None]]:
    """Lock these signal rows (sorted); {id: (status, ended_at, match id)} of those that still exist."""
    with connection.cursor() as cursor:
        cursor.execute(_SIGNALS_LOCK_SQL, [sorted(set(signal_ids))])
        return {pk: (status, ended_at, match_id) for pk, status, ended_at, match_id in cursor.fetchall()}


# --- detection -------------------------------------------------------------------------------------------------

# One statement writes the signal's keys and its detection time and inserts the new links; RETURNING gives exactly
# the links that did not exist yet, so a repeated detection finds them and adds nothing (idempotent).
_DETECT_WRITE_SQL = """
WITH stamped AS (
    UPDATE signals_signal SET matched_at = %(now)s WHERE id = %(signal_id)s
), stale_keys AS (
    DELETE FROM matching_matchkey
    WHERE signal_id = %(signal_id)s
      AND (kind, value) NOT IN (SELECT * FROM unnest(%(key_kinds)s::varchar[], %(key_values)s::varchar[]))
), fresh_keys AS (
    INSERT INTO matching_matchkey (signal_id, kind, value)
    SELECT %(signal_id)s, kind, value FROM unnest(%(key_kinds)s::varchar[], %(key_values)s::varchar[]) AS k(kind, value)
    ON CONFLICT DO NOTHING
)
INSERT INTO matching_matchlink (signal_a_id, signal_b_id, kind, created_at)
SELECT a, b, kind, %(now)s FROM unnest(%(a)s::bigint[], %(b)s::bigint[], %(kinds)s::varchar[]) AS l(a, b, kind)
ORDER BY a, b, kind
ON CONFLICT DO NOTHING
RETURNING id, signal_a_id, signal_b_id, kind, created_at
"""

# One statement joins the ends of new links into one match: a new match when none of them is in one, else the
# oldest of their matches, into which the others are merged (participations and monitor notes move, the emptied
# matches go; their pending hand-overs lapse with them). Returns the kept match's id.
_MATCH_JOIN_SQL = """
WITH created AS (
    INSERT INTO matching_match (created_at, handed_over, version)
    SELECT %(now)s, false, 0 WHERE %(kept)s::bigint IS NULL
    RETURNING id
), kept AS (
    SELECT coalesce(%(kept)s::bigint, (SELECT id FROM created)) AS id
), moved AS (
    UPDATE matching_matchparticipation SET match_id = (SELECT id FROM kept) WHERE match_id = ANY(%(merged)s::bigint[])
), joined AS (
    INSERT INTO matching_matchparticipation (match_id, signal_id, joined_at)
    SELECT (SELECT id FROM kept), s, %(now)s FROM unnest(%(joining)s::bigint[]) AS s ORDER BY s
    ON CONFLICT (signal_id) DO NOTHING
    RETURNING signal_id
), notes AS (
    UPDATE matching_followupcheck SET match_id = (SELECT id FROM kept) WHERE match_id = ANY(%(merged)s::bigint[])
), emptied AS (
    DELETE FROM matching_match WHERE id = ANY(%(merged)s::bigint[])
)
SELECT id, (SELECT count(*) FROM joined) FROM kept
"""


class _JoinedMeanwhile(Exception):  # noqa: N818 - a condition, rolled back and tried again, never shown
    """An end that was in no match when its row was locked had joined one by the time we wrote (see match_detect)."""


def _partners_find(signal: Signal, keys: set[tuple[str, str]]) -> tuple[dict[int, Signal], list[tuple[int, str]]]:
    """All stored signals sharing a key with this one, in any region, in one statement: {id: signal}, (id, kind)."""
    query = Q()
    for kind, value in keys:
        query |= Q(kind=kind, value=value)
    # an address on ANY region's institutional list never makes a match
    institutional = InstitutionalAddress.objects.values("bag_pseudonym")
    found = (
        MatchKey.objects.filter(query)
        .exclude(signal_id=signal.pk)
        .exclude(kind=MatchKeyKind.ADDRESS, value__in=Subquery(institutional))
        # a partner's stored address key, kept from before its region switched address matches off
        .exclude(kind=MatchKeyKind.ADDRESS, signal__organisation__region__address_matches=False)
        .select_related(*(f"signal__{name}" for name in SIGNAL_RELATED))
    )
    partners: dict[int, Signal] = {}
    rows: list[tuple[int, str]] = []
    for key in found:
        rows.append((key.signal_id, key.kind))
        partners[key.signal_id] = key.signal
    return partners, rows


def _links_wanted(signal: Signal, partners: dict[int, Signal], rows) -> list[tuple[int, int, str]]:
    # whether colleagues of one organisation match follows the region of that organisation (both share it)
    internal_reported = signal.organisation.region.internal_matches_reported
    wanted = set()
    for partner_id, key_kind in rows:
        partner = partners[partner_id]
        if partner.professional_id == signal.professional_id:
            continue
        if partner.organisation_id == signal.organisation_id and not internal_reported:
            continue
        kind = KEY_TO_MATCH_KIND[key_kind]
        if kind != MatchKind.SAME_YOUTH and partner.youth_id == signal.youth_id:
            continue  # two signals on one youth are a same-youth match, not siblings of themselves
        if kind == MatchKind.SAME_YOUTH and partner.youth_id != signal.youth_id:
            kind = MatchKind.FAMILY  # a youth key of another youth: an unborn child and its mother
        low, high = sorted((signal.pk, partner_id))
        wanted.add((low, high, kind.value))
    return sorted(wanted)


def _match_join(*, ends: dict[int, tuple], now) -> tuple[int, dict[int, Match], set[int]]:
    """Put the ends of new links (locked, {id: (status, ended_at, match id)}) into one match; merge when needed.

    Returns the kept match id, the locked Match rows as they were before (for the coordinator they held)
    and the ids of the signals that were in no match before.
    """
    match_ids = {match_id for _s, _e, match_id in ends.values() if match_id}
    locked = matches_lock(match_ids)
    while set(locked) != match_ids:
        # a match merged or split meanwhile (its participations moved while we waited): read again, lock the rest
        current = dict(
            MatchParticipation.objects.filter(signal_id__any=list(ends)).values_list("signal_id", "match_id")
        )
        ends = {pk: (status, ended_at, current.get(pk)) for pk, (status, ended_at, _m) in ends.items()}
        match_ids = set(current.values())
        locked |= matches_lock(match_ids - set(locked))
        locked = {pk: match for pk, match in locked.items() if pk in match_ids}
    kept = min(match_ids) if match_ids else None
    joining = sorted(pk for pk, (_s, _e, match_id) in ends.items() if match_id is None)
    with connection.cursor() as cursor:
        cursor.execute(
            _MATCH_JOIN_SQL,
            {"now": now, "kept": kept, "merged": sorted(match_ids - {kept}), "joining": joining},
        )
        kept_id, joined_count = cursor.fetchone()
    if joined_count != len(joining):
        raise _JoinedMeanwhile
    return kept_id, locked, set(joining)


def match_detect(*, signal_id: int) -> list[MatchLink]:
    """Find and record the matches of one signal and put it in its match; idempotent. Returns the new links.

    A partner's participation is read with its row lock (step 2) in one statement; when that statement waited for
    another detection that put the partner into a match, PostgreSQL rechecks the locked row but not the joined
    participation, so the partner still looks unmatched (issue 24's soak: a duplicate participation, the detection
    failed and waited for the sweep). The join then inserts nothing for it; the detection is rolled back and run
    again at once, and sees the partner's match. Costs nothing when it does not happen.
    """
    for _attempt in range(2):
        try:
            return _match_detect_once(signal_id=signal_id)
        except _JoinedMeanwhile:
            logger.info("detection of signal %s: a partner joined a match meanwhile; run again", signal_id)
    return _match_detect_once(signal_id=signal_id)


def _match_detect_once(*, signal_id: int) -> list[MatchLink]:
    """One try of match_detect.

    Every professional with an active signal in a new link gets one e-mail for this event, written to the
    outbox in this transaction, naming the match's reference and its one coordinator. The number of
    statements does not depend on the number of matching signals: load, lock keys, find, lock signal rows,
    write keys and links; with new links: lock matches, join/merge (1), the match's signals (1), its
    coordinator when it changed (1), the outbox (1), the hooks (the statistics: 2) and the logbook (2).
    """
    with transaction.atomic():
        signal = (
            Signal.objects.select_related(*SIGNAL_RELATED)
            .annotate(mother_or_unborn_ids=_mother_or_unborn_ids())
            .filter(pk=signal_id)
            .first()
        )
        if signal is None:  # destroyed before detection ran
            return []
        keys = signal_match_keys(signal)
        # after the lock, so the search below sees every detection that shares a key and committed before us
        _advisory_lock(keys)
        partners, rows = _partners_find(signal, keys)
        wanted = _links_wanted(signal, partners, rows)
        # the rows of both ends: a partner destroyed meanwhile is left out instead of failing the foreign key,
        # and an end cannot be destroyed (nor join another match) until this transaction commits
        present = signals_lock({signal.pk} | {pk for a, b, _k in wanted for pk in (a, b)})
        if signal.pk not in present:
            return []
        wanted = [(a, b, kind) for a, b, kind in wanted if a in present and b in present]
        signals = {signal.pk: signal, **partners}
        for pk, (status, ended_at, _match_id) in present.items():  # the state after any end we waited for
            signals[pk].status, signals[pk].ended_at = status, ended_at
        now = timezone.now()
        key_kinds, key_values = zip(*sorted(keys), strict=True) if keys else ((), ())
        with connection.cursor() as cursor:
            # keys and matched_at are written together: a signal never detected has no stored keys yet
            cursor.execute(
                _DETECT_WRITE_SQL,
                {
                    "now": now,
                    "signal_id": signal.pk,
                    "key_kinds": list(key_kinds),
                    "key_values": list(key_values),
                    "a": [a for a, _b, _k in wanted],
                    "b": [b for _a, b, _k in wanted],
                    "kinds": [k for _a, _b, k in wanted],
                },
            )
            inserted = cursor.fetchall()
        if not inserted:
            return []
        new = [
            MatchLink(id=pk, signal_a_id=a, signal_b_id=b, kind=kind, created_at=created_at)
            for pk, a, b, kind, created_at in sorted(inserted)
        ]
        for link in new:
            link._state.adding = False
            link._state.db = connection.alias
        ends = {pk: present[pk] for link in new for pk in (link.signal_a_id, link.signal_b_id)}
        match_id, before, joined = _match_join(ends=ends, now=now)
        match, members, changed = coordination.match_coordinator_after_join(match_id=match_id, before=before, now=now)
        emails.match_notify(trigger=signal, links=new, signals=signals, match=match, members=members, arose=not before)
        if changed and before:
            # a merge moved the role: the participants who get no match e-mail now hear it this way
            told = {signals[pk].professional_id for link in new for pk in (link.signal_a_id, link.signal_b_id)}
            emails.coordinator_changed_notify([(match, [m for m in members if m.professional_id not in told])])
        hooks.links_created(new, signals, match=match, match_is_new=not before)
        # last: the logbook's lock serialises every writer until this transaction commits
        audit_events.match_created(
            region_id=signal.organisation.region_id,
            youth_pseudonym=signal.youth.pseudonym,
            signal_id=signal.pk,
            match=match.reference,
            merged=sorted(before) if len(before) > 1 else [],
            links=[{"other_signal_id": link.other(signal.pk), "kind": link.kind} for link in new],
        )
    return new


def matches_detect_pending(*, limit: int = 500, placed_before=None, budget_seconds: float | None = None) -> int:
    """The sweep: detect for signals whose detection never ran (e.g. the broker was down at placement).

    The periodic task leaves alone the signals placed in the last minute (`placed_before`: their own detection
    task is still queued) and stops after its time budget; one run at a time (core/sweeps.py)."""
    pending = Signal.objects.filter(matched_at__isnull=True)
    if placed_before is not None:
        pending = pending.filter(placed_at__lt=placed_before)
    ids = list(pending.order_by("placed_at", "id").values_list("id", flat=True)[:limit])
    outcome = sweep_each(
        name="match sweep",
        ids=ids,
        action=lambda signal_id: match_detect(signal_id=signal_id),
        budget_seconds=budget_seconds,
    )
    if ids:
        logger.info("match sweep: detection ran for %s signals, %s failed", outcome.done, outcome.failed)
    return outcome.done


def matches_redetect_youth(*, youth_id: int) -> int:
    """After the youth's address or parents changed in the BRP: recompute keys and detect new matches."""
    ids = list(Signal.objects.filter(youth_id=youth_id).order_by("placed_at", "id").values_list("id", flat=True))
    return sum(len(match_detect(signal_id=signal_id)) for signal_id in ids)
