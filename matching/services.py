"""Writes of matching: detection under advisory locks, the match coordinator, hand-over and follow-up.

Lock order, so that detection and the end of a signal never wait on each other in a circle:
advisory locks on match keys (sorted) -> the new signal's row -> link inserts -> coordinator rows
(sorted by youth). Ending a signal holds the signal row and then takes coordinator rows only.
"""

import hashlib
import logging
from collections import defaultdict
from datetime import date, datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import log_event, log_events
from notifications.links import region_absolute_url
from notifications.models import NotificationKind
from notifications.services import notification_enqueue, notifications_enqueue
from persons.models import Youth
from regions.models import CoordinatorRule, InstitutionalAddress
from signals.models import Signal, SignalStatus
from verwijsindex.sweeps import sweep_each

from . import hooks
from .exceptions import NoProposalForYou, NotAParticipant, NotCoordinator
from .models import (
    MatchCoordinator,
    MatchFollowUp,
    MatchKey,
    MatchKeyKind,
    MatchKind,
    MatchLink,
    MatchOverviewVisit,
)

logger = logging.getLogger(__name__)

ACTIVE = SignalStatus.ACTIVE
KEY_TO_MATCH_KIND = {
    MatchKeyKind.YOUTH: MatchKind.SAME_YOUTH,
    MatchKeyKind.PARENT: MatchKind.FAMILY,
    MatchKeyKind.ADDRESS: MatchKind.ADDRESS,
}
MATCH_TEMPLATE = "matching/email/match"
COORDINATOR_CHANGED_TEMPLATE = "matching/email/coordinator_changed"
HANDOVER_PROPOSED_TEMPLATE = "matching/email/handover_proposed"
COORDINATOR_CHANGED_KIND = "match_coordinator_changed"
HANDOVER_PROPOSED_KIND = "match_handover_proposed"
_SIGNAL_RELATED = ("youth", "organisation__region", "professional")


# --- keys and locks -------------------------------------------------------------------------------------------


def signal_match_keys(signal: Signal) -> set[tuple[str, str]]:
    """The keys a signal contributes: its youth, each parent pseudonym and the address pseudonym."""
    youth = signal.youth
    keys = {(MatchKeyKind.YOUTH.value, str(youth.pk))}
    keys |= {(MatchKeyKind.PARENT.value, p) for p in youth.parent_pseudonyms if p}
    if youth.bag_pseudonym:
        keys.add((MatchKeyKind.ADDRESS.value, youth.bag_pseudonym))
    return keys


def _lock_id(kind: str, value: str) -> int:
    digest = hashlib.blake2b(f"verwijsindex-match:{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _advisory_lock(keys) -> None:
    """Serialise detections that share a key; sorted, so two transactions never wait on each other in a circle.

    One statement: unnest returns the (sorted) array in order and the locks are taken row by row.
    """
    lock_ids = sorted({_lock_id(kind, value) for kind, value in keys})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k", [lock_ids])


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
        .select_related(*(f"signal__{name}" for name in _SIGNAL_RELATED))
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
        low, high = sorted((signal.pk, partner_id))
        wanted.add((low, high, kind.value))
    return sorted(wanted)


def match_detect(*, signal_id: int) -> list[MatchLink]:
    """Find and record the matches of one signal; idempotent. Returns the links that are new.

    Every professional with an active signal in a new link gets one e-mail for this event, written
    to the outbox in this transaction. The number of statements does not depend on the number of
    matching signals: load, lock, find, write (keys and links); and when there are new links: the
    coordinators (2, or 3 when one changes), the outbox (1), the hooks (the statistics: 2) and the logbook (2).
    """
    with transaction.atomic():
        signal = Signal.objects.select_related(*_SIGNAL_RELATED).filter(pk=signal_id).first()
        if signal is None:  # destroyed before detection ran
            return []
        keys = signal_match_keys(signal)
        # after the lock, so the search below sees every detection that shares a key and committed before us
        _advisory_lock(keys)
        partners, rows = _partners_find(signal, keys)
        wanted = _links_wanted(signal, partners, rows)
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
        signals = {signal.pk: signal, **partners}
        ends = [signals[pk] for link in new for pk in (link.signal_a_id, link.signal_b_id)]
        youths = {end.youth_id: end.youth for end in ends}
        coordinators = _coordinators_refresh(youths=list(youths.values()))
        _match_notify(
            trigger=signal,
            links=new,
            signals=signals,
            coordinators={youth_id: _contact(row.signal) for youth_id, (row, _changed) in coordinators.items()},
        )
        hooks.links_created(new, signals)
        # last: the logbook's lock serialises every writer until this transaction commits
        log_event(
            action="match_created",
            region_id=signal.organisation.region_id,
            youth_pseudonym=signal.youth.pseudonym,
            signal_id=signal.pk,
            links=[{"other_signal_id": link.other(signal.pk), "kind": link.kind} for link in new],
        )
    return new


def matches_detect_pending(*, limit: int = 500) -> int:
    """The sweep: detect for signals whose detection never ran (e.g. the broker was down at placement)."""
    ids = list(
        Signal.objects.filter(matched_at__isnull=True).order_by("placed_at", "id").values_list("id", flat=True)[:limit]
    )
    outcome = sweep_each(name="match sweep", ids=ids, action=lambda signal_id: match_detect(signal_id=signal_id))
    if ids:
        logger.info("match sweep: detection ran for %s signals, %s failed", outcome.done, outcome.failed)
    return outcome.done


def matches_redetect_youth(*, youth_id: int) -> int:
    """After the youth's address or parents changed in the BRP: recompute keys and detect new matches."""
    ids = list(Signal.objects.filter(youth_id=youth_id).order_by("placed_at", "id").values_list("id", flat=True))
    return sum(len(match_detect(signal_id=signal_id)) for signal_id in ids)


# --- e-mail context --------------------------------------------------------------------------------------------


def _contact(signal: Signal | None) -> dict | None:
    if signal is None:
        return None
    return {
        "name": signal.contact_name,
        "organisation": signal.organisation.name,
        "email": signal.contact_email,
        "phone": signal.contact_phone,
    }


def _coordinator_signal(youth_id: int) -> Signal | None:
    row = (
        MatchCoordinator.objects.filter(youth_id=youth_id)
        .select_related("signal__organisation", "signal__professional")
        .first()
    )
    return row.signal if row is not None else None


def _own_signal_context(own: Signal, *, coordinators: dict | None = None) -> dict:
    youth = own.youth
    if coordinators is None:
        coordinators = {}
    if own.youth_id not in coordinators:
        coordinators[own.youth_id] = _contact(_coordinator_signal(own.youth_id))
    return {
        "reference": own.reference,
        "youth_initials": youth.initials,
        "youth_birth_year": youth.birth_date.year,
        "coordinator": coordinators[own.youth_id],
        "url": region_absolute_url(
            region=own.organisation.region, path=reverse("matching:signal_matches", args=[own.pk])
        ),
    }


def _in_kind_order(kinds) -> list[str]:
    return sorted(kinds, key=list(MatchKind.values).index)


def _match_notify(
    *, trigger: Signal, links: list[MatchLink], signals: dict[int, Signal], coordinators: dict[int, dict | None]
) -> None:
    """One e-mail per professional with an active signal in the new links; archived signals are never mailed."""
    # recipient -> own signal -> other signal -> kinds
    lines: dict[int, dict[int, dict[int, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for link in links:
        for own_id, other_id in ((link.signal_a_id, link.signal_b_id), (link.signal_b_id, link.signal_a_id)):
            own, other = signals[own_id], signals[other_id]
            if own.status == ACTIVE and other.status == ACTIVE:
                lines[own.professional_id][own_id][other_id].add(link.kind)
    first_link = min(link.pk for link in links)
    items = []
    with translation.override("nl"):
        for recipient_id, own_signals in sorted(lines.items()):
            recipient = next(signals[own_id].professional for own_id in own_signals)
            matches = []
            for own_id, others in sorted(own_signals.items()):
                entry = _own_signal_context(signals[own_id], coordinators=coordinators)
                entry["others"] = [
                    {
                        **_contact(signals[other_id]),
                        "kinds": [str(MatchKind(kind).label) for kind in _in_kind_order(kinds)],
                        "kind_codes": _in_kind_order(kinds),
                        "signal_id": other_id,
                    }
                    for other_id, kinds in sorted(others.items())
                ]
                matches.append(entry)
            references = ", ".join(m["reference"] for m in matches)
            items.append(
                {
                    "recipient": recipient,
                    "kind": NotificationKind.MATCH,
                    "subject": ngettext(
                        "Verwijsindex: nieuwe match bij uw signaal %(refs)s",
                        "Verwijsindex: nieuwe matches bij uw signalen %(refs)s",
                        len(matches),
                    )
                    % {"refs": references},
                    "template": MATCH_TEMPLATE,
                    "context": {"matches": matches, "trigger_signal_id": trigger.pk},
                    "dedupe_key": f"match:{trigger.pk}:{first_link}:{recipient_id}",
                }
            )
    notifications_enqueue(items)


# --- the coordinator -------------------------------------------------------------------------------------------


def _rules_by_municipality(codes) -> dict[str, list[CoordinatorRule]]:
    """Per CBS code: the ordered coordinator rules of the region serving that municipality (one statement)."""
    rules: dict[str, list[CoordinatorRule]] = defaultdict(list)
    for rule in (
        CoordinatorRule.objects.filter(region__municipalities__cbs_code__in=[c for c in codes if c])
        .annotate(cbs_code=F("region__municipalities__cbs_code"))
        .order_by("position", "id")
    ):
        rules[rule.cbs_code].append(rule)
    return dict(rules)


def _choose(candidates: list[Signal], rules: list[CoordinatorRule]) -> Signal | None:
    """The first rule that an active signal's organisation meets (ties by the earliest signal), else the earliest."""
    for rule in rules:
        for candidate in candidates:
            organisation = candidate.organisation
            if organisation.sector == rule.sector and (not rule.subtype or organisation.subtype == rule.subtype):
                return candidate
    return candidates[0] if candidates else None


def match_coordinator_choose(*, youth: Youth, exclude_signal_ids=()) -> Signal | None:
    """The coordinator by the rules of the region where the youth lives, over the youth's active signals."""
    candidates = list(
        Signal.objects.filter(youth=youth, status=ACTIVE)
        .exclude(pk__in=[pk for pk in exclude_signal_ids if pk])
        .select_related("organisation", "professional")
        .order_by("placed_at", "id")
    )
    return _choose(candidates, _rules_by_municipality([youth.municipality_code]).get(youth.municipality_code, []))


_COORDINATOR_FIELDS = [f for f in MatchCoordinator._meta.concrete_fields]
# insert-if-missing and lock in one statement: the no-op update takes the row lock of an existing row, and the
# sorted ids mean two transactions never wait on each other in a circle
_COORDINATORS_LOCK_SQL = """
INSERT INTO matching_matchcoordinator AS c (youth_id, handed_over, version)
SELECT youth_id, false, 0 FROM unnest(%s::bigint[]) AS y(youth_id) ORDER BY youth_id
ON CONFLICT (youth_id) DO UPDATE SET version = c.version
RETURNING {columns}
""".format(columns=", ".join(f"c.{f.column}" for f in _COORDINATOR_FIELDS))


# the ordered coordinator rules of the region serving the youth's municipality, as a column of a signal query
_RULES_OF_YOUTH = ArraySubquery(
    CoordinatorRule.objects.filter(region__municipalities__cbs_code=OuterRef("youth__municipality_code"))
    .order_by("position", "id")
    .values(rule=JSONObject(sector="sector", subtype="subtype"))
)


def _coordinators_lock(youth_ids: list[int]) -> list[MatchCoordinator]:
    with connection.cursor() as cursor:
        cursor.execute(_COORDINATORS_LOCK_SQL, [youth_ids])
        rows = cursor.fetchall()
    names = [f.attname for f in _COORDINATOR_FIELDS]
    return sorted((MatchCoordinator.from_db(connection.alias, names, row) for row in rows), key=lambda r: r.youth_id)


def _coordinators_save(rows: list[MatchCoordinator]) -> None:
    """Write these coordinator rows in one statement. bulk_update builds a CASE per field and row, which costs
    seconds in Python for the thousands of coordinators the nightly life cycle moves on."""
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {MatchCoordinator._meta.db_table} AS c
               SET signal_id = v.signal_id, assigned_at = v.assigned_at, handed_over = v.handed_over,
                   version = v.version, proposed_signal_id = v.proposed_signal_id, proposed_at = v.proposed_at
              FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[], %s::boolean[], %s::integer[],
                          %s::bigint[], %s::timestamptz[])
                   AS v(id, signal_id, assigned_at, handed_over, version, proposed_signal_id, proposed_at)
             WHERE c.id = v.id
            """,  # noqa: S608 - the table name is the model's
            [
                [row.pk for row in rows],
                [row.signal_id for row in rows],
                [row.assigned_at for row in rows],
                [row.handed_over for row in rows],
                [row.version for row in rows],
                [row.proposed_signal_id for row in rows],
                [row.proposed_at for row in rows],
            ],
        )


def _coordinators_refresh(*, youths: list[Youth], ending_signal_ids=()) -> dict[int, tuple[MatchCoordinator, bool]]:
    """Keep these youths' coordinators right, in three or four statements whatever the number of youths.

    A handed-over coordinator stays while that signal is active; otherwise the rules decide over the
    active signals (so the outcome does not depend on the order in which signals were placed).
    Runs in the caller's transaction; returns per youth the row and whether its coordinator changed.
    """
    if not youths:
        return {}
    ending = set(ending_signal_ids)
    rows = _coordinators_lock(sorted({youth.pk for youth in youths}))
    # the youths' active signals and, in the same statement, the current and proposed coordinators' signals
    # (a hand-over can go to a signal on a sibling)
    referred = {pk for row in rows for pk in (row.signal_id, row.proposed_signal_id) if pk}
    # (a hand-over can go to a signal on a sibling); each carries the rules of the region where its youth lives
    youth_ids = [row.youth_id for row in rows]
    # an ending signal can be neither candidate nor coordinator: not loaded (the life cycle ends whole families)
    fetched = {
        s.pk: s
        for s in Signal.objects.filter(Q(youth_id__any=youth_ids, status=ACTIVE) | Q(pk__any=referred - ending))
        .exclude(pk__any=ending)
        .select_related("organisation", "professional")
        .annotate(youth_rules=_RULES_OF_YOUTH)
        .order_by("placed_at", "id")
    }
    candidates: dict[int, list[Signal]] = defaultdict(list)
    for candidate in fetched.values():  # in placement order
        if candidate.status == ACTIVE and candidate.pk not in ending:
            candidates[candidate.youth_id].append(candidate)
    # a youth without candidates gets no coordinator whatever the rules say
    rules = {
        youth_id: [CoordinatorRule(**rule) for rule in active[0].youth_rules] for youth_id, active in candidates.items()
    }
    now = timezone.now()
    result = {}
    to_save = []
    for row in rows:
        current = fetched.get(row.signal_id)
        if current is not None:
            row.signal = current  # the related object, so callers read the coordinator's contact without a query
        current_valid = current is not None and current.status == ACTIVE and current.pk not in ending
        if row.handed_over and current_valid:
            chosen = current
        else:
            chosen = _choose(candidates.get(row.youth_id, []), rules.get(row.youth_id, []))
        changed = (chosen.pk if chosen else None) != row.signal_id
        proposed = fetched.get(row.proposed_signal_id)
        proposal_stale = row.proposed_signal_id is not None and (
            row.proposed_signal_id in ending or proposed is None or proposed.status != ACTIVE
        )
        if changed:
            row.signal = chosen
            row.assigned_at = now if chosen else None
            row.handed_over = False
            row.version += 1
        if changed or proposal_stale:
            row.proposed_signal = None
            row.proposed_at = None
            to_save.append(row)
        result[row.youth_id] = (row, changed)
    _coordinators_save(to_save)
    return result


def match_coordinator_refresh(*, youth: Youth, ending_signal_id: int | None = None) -> tuple[MatchCoordinator, bool]:
    """Keep one youth's coordinator right; returns the row and whether it changed."""
    with transaction.atomic():
        ending = [ending_signal_id] if ending_signal_id else []
        return _coordinators_refresh(youths=[youth], ending_signal_ids=ending)[youth.pk]


def _participants(youth_id: int, *, exclude_signal_ids=()) -> list[Signal]:
    """Active signals in the youth's matches: on the youth itself and those linked to the youth's signals."""
    return _participants_of([youth_id], exclude_signal_ids=exclude_signal_ids)[youth_id]


def _participants_of(youth_ids, *, exclude_signal_ids=()) -> dict[int, list[Signal]]:
    """_participants for many youths at once, in three statements."""
    own = defaultdict(set)
    for pk, youth_id in Signal.objects.filter(youth_id__any=youth_ids).values_list("id", "youth_id"):
        own[youth_id].add(pk)
    youth_of = {pk: youth_id for youth_id, pks in own.items() for pk in pks}
    related = {pk: {youth_id} for pk, youth_id in youth_of.items()}
    own_ids = list(youth_of)
    for a, b in MatchLink.objects.filter(Q(signal_a__any=own_ids) | Q(signal_b__any=own_ids)).values_list(
        "signal_a_id", "signal_b_id"
    ):
        for one, other in ((a, b), (b, a)):
            if one in youth_of:
                related.setdefault(other, set()).add(youth_of[one])
    result: dict[int, list[Signal]] = {youth_id: [] for youth_id in youth_ids}
    for signal in (
        Signal.objects.filter(pk__any=related, status=ACTIVE)
        .exclude(pk__any=[pk for pk in exclude_signal_ids if pk])
        .select_related(*_SIGNAL_RELATED)
        .order_by("placed_at", "id")
    ):
        for youth_id in sorted(related[signal.pk]):
            result[youth_id].append(signal)
    return result


def _coordinators_changed_notify(rows: list[MatchCoordinator], *, exclude_signal_ids=()) -> None:
    """Tell everyone in these youths' matches who the coordinator is now, in a fixed number of statements."""
    if not rows:
        return
    youth_ids = [row.youth_id for row in rows]
    participants = _participants_of(youth_ids, exclude_signal_ids=exclude_signal_ids)
    coordinators = {
        signal.pk: signal
        for signal in Signal.objects.filter(pk__any=[row.signal_id for row in rows if row.signal_id]).select_related(
            "organisation", "professional"
        )
    }
    # each participant's own signal names the coordinator of its own youth (a sibling has a coordinator of its own)
    contacts = {row.youth_id: _contact(coordinators.get(row.signal_id)) for row in rows}
    others = {s.youth_id for signals in participants.values() for s in signals} - set(contacts)
    for other in MatchCoordinator.objects.filter(youth_id__any=others).select_related(
        "signal__organisation", "signal__professional"
    ):
        contacts[other.youth_id] = _contact(other.signal)
    contacts.update(dict.fromkeys(others - set(contacts)))
    items = []
    with translation.override("nl"):
        for row in rows:
            coordinator = coordinators.get(row.signal_id)
            per_recipient: dict[int, list[Signal]] = defaultdict(list)
            for signal in participants[row.youth_id]:
                per_recipient[signal.professional_id].append(signal)
            for recipient_id, own_signals in sorted(per_recipient.items()):
                own_context = []
                for own in own_signals:
                    entry = _own_signal_context(own, coordinators=contacts)
                    # another youth's initials are not for this professional; the coordinator change concerns a match
                    entry["same_youth"] = own.youth_id == row.youth_id
                    own_context.append(entry)
                items.append(
                    {
                        "recipient": own_signals[0].professional,
                        "kind": COORDINATOR_CHANGED_KIND,
                        "subject": _("Verwijsindex: de matchregisseur is gewijzigd"),
                        "template": COORDINATOR_CHANGED_TEMPLATE,
                        "context": {
                            "signals": own_context,
                            "coordinator": _contact(coordinator),
                            "you_are_coordinator": coordinator is not None
                            and coordinator.professional_id == recipient_id,
                        },
                        "dedupe_key": f"coordinator:{row.pk}:v{row.version}:{recipient_id}",
                    }
                )
    notifications_enqueue(items)


def match_signal_ending(*, signal: Signal, reason: str) -> None:
    """Before a signal is archived or destroyed: the coordinator role it held moves on and everyone is told."""
    match_signals_ending(signals=[signal], reason=reason)


def match_signals_ending(*, signals: list[Signal], reason: str) -> None:
    """match_signal_ending for many signals (ending for the same reason) in a fixed number of statements."""
    ending = {signal.pk for signal in signals}
    with transaction.atomic():
        rows = list(
            MatchCoordinator.objects.filter(Q(signal__any=ending) | Q(proposed_signal__any=ending))
            .select_related("youth")
            .order_by("youth_id")
        )
        if not rows:
            return
        previous = {row.youth_id: row for row in rows}
        refreshed = _coordinators_refresh(youths=[row.youth for row in rows], ending_signal_ids=ending)
        changed = [refreshed[row.youth_id][0] for row in rows if refreshed[row.youth_id][1]]
        log_events(
            [
                {
                    "action": "match_coordinator_changed",
                    "youth_pseudonym": previous[row.youth_id].youth.pseudonym,
                    "signal_id": row.signal_id,
                    "previous_signal_id": previous[row.youth_id].signal_id,
                    "reason": str(reason),
                }
                for row in changed
            ]
        )
        _coordinators_changed_notify(changed, exclude_signal_ids=ending)


def _locked_coordinator(coordinator: MatchCoordinator) -> MatchCoordinator:
    return (
        MatchCoordinator.objects.select_for_update(of=("self",))
        .select_related("signal__professional", "proposed_signal__professional", "youth")
        .get(pk=coordinator.pk)
    )


def match_coordinator_propose(*, coordinator: MatchCoordinator, actor, to_signal: Signal) -> MatchCoordinator:
    """The coordinator proposes to hand the role to another participant, who must accept."""
    with transaction.atomic():
        row = _locked_coordinator(coordinator)
        if row.signal is None or row.signal.professional_id != actor.pk or row.signal.status != ACTIVE:
            raise NotCoordinator()
        participants = {s.pk: s for s in _participants(row.youth_id)}
        target = participants.get(to_signal.pk)
        if target is None or target.professional_id == actor.pk:
            raise NotAParticipant()
        row.proposed_signal = target
        row.proposed_at = timezone.now()
        row.save(update_fields=["proposed_signal", "proposed_at"])
        log_event(
            action="match_handover_proposed",
            actor=actor,
            youth_pseudonym=row.youth.pseudonym,
            signal_id=row.signal_id,
            proposed_signal_id=target.pk,
        )
        with translation.override("nl"):
            notification_enqueue(
                recipient=target.professional,
                kind=HANDOVER_PROPOSED_KIND,
                subject=_("Verwijsindex: verzoek om matchregisseur te worden"),
                template=HANDOVER_PROPOSED_TEMPLATE,
                context={"signal": _own_signal_context(target), "coordinator": _contact(row.signal)},
                dedupe_key=f"handover:{row.pk}:{target.pk}:{row.proposed_at.isoformat()}",
            )
    return row


def match_coordinator_accept(*, coordinator: MatchCoordinator, actor) -> MatchCoordinator:
    """The proposed participant accepts: they become the coordinator until their signal ends."""
    with transaction.atomic():
        row = _locked_coordinator(coordinator)
        proposed = row.proposed_signal
        if proposed is None or proposed.professional_id != actor.pk or proposed.status != ACTIVE:
            raise NoProposalForYou()
        previous_id = row.signal_id
        row.signal = proposed
        row.handed_over = True
        row.assigned_at = timezone.now()
        row.proposed_signal = None
        row.proposed_at = None
        row.version += 1
        row.save()
        log_event(
            action="match_coordinator_changed",
            actor=actor,
            youth_pseudonym=row.youth.pseudonym,
            signal_id=row.signal_id,
            previous_signal_id=previous_id,
            reason="handover",
        )
        _coordinators_changed_notify([row])
    return row


def match_coordinator_decline(*, coordinator: MatchCoordinator, actor) -> MatchCoordinator:
    with transaction.atomic():
        row = _locked_coordinator(coordinator)
        if row.proposed_signal is None or row.proposed_signal.professional_id != actor.pk:
            raise NoProposalForYou()
        row.proposed_signal = None
        row.proposed_at = None
        row.save(update_fields=["proposed_signal", "proposed_at"])
        log_event(action="match_handover_declined", actor=actor, youth_pseudonym=row.youth.pseudonym)
    return row


def match_follow_up_record(
    *, coordinator: MatchCoordinator, actor, contact_made_on: date | None, coordination_agreed_on: date | None
) -> MatchFollowUp:
    """The coordinator records that contact was made and coordination agreed, with dates."""
    with transaction.atomic():
        row = _locked_coordinator(coordinator)
        if row.signal is None or row.signal.professional_id != actor.pk or row.signal.status != ACTIVE:
            raise NotCoordinator()
        follow_up, _created = MatchFollowUp.objects.select_for_update().get_or_create(youth_id=row.youth_id)
        first_time = follow_up.contact_made_on is None and contact_made_on is not None
        follow_up.contact_made_on = contact_made_on
        follow_up.coordination_agreed_on = coordination_agreed_on
        follow_up.recorded_by = actor
        follow_up.recorded_at = timezone.now()
        follow_up.save()
        hooks.follow_up_recorded(follow_up, row, first_time)
        log_event(
            action="match_follow_up_recorded",
            actor=actor,
            youth_pseudonym=row.youth.pseudonym,
            signal_id=row.signal_id,
            contact_made_on=contact_made_on.isoformat() if contact_made_on else None,
            coordination_agreed_on=coordination_agreed_on.isoformat() if coordination_agreed_on else None,
        )
    return follow_up


def match_overview_visited(*, user, as_of: datetime | None = None) -> datetime | None:
    """Record a visit of "My matches"; returns the previous visit (what is newer is shown as new)."""
    as_of = as_of or timezone.now()
    with transaction.atomic():
        visit = MatchOverviewVisit.objects.select_for_update().filter(user=user).first()
        if visit is None:
            MatchOverviewVisit.objects.create(user=user, visited_at=as_of)
            return None
        previous = visit.visited_at
        visit.visited_at = as_of
        visit.save(update_fields=["visited_at"])
        return previous
