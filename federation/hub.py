"""The hub's services: OPRF evaluation, registration of signals by their national keys, and the checks before any
contact details travel. The hub keeps per signal only its deployment, an opaque reference, its keys (OPRF outputs),
its state and dates (docs/federation.md). Nobody can search it: a deployment learns about a key only through a
signal of its own that holds that key.
"""

import base64
import datetime
from collections import defaultdict

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from . import oprf, protocol
from .models import (
    CallDirection,
    FederationCall,
    HubHandover,
    HubKey,
    HubMatchCounter,
    HubNotice,
    HubSignal,
    KeyKind,
    SignalState,
    national_reference,
)
from .protocol import Refused

MAX_BLINDED_PER_CALL = 16
MAX_KEYS_PER_SIGNAL = 8


# --- keys -----------------------------------------------------------------------------------------------------


def hub_keys() -> dict[str, bytes]:
    """{key id: OPRF private key}, newest first, from FEDERATION_OPRF_KEYS (`<id>:<base64 32-byte seed>`)."""
    keys = {}
    for entry in settings.FEDERATION_OPRF_KEYS:
        key_id, _, seed = entry.partition(":")
        keys[key_id] = oprf.derive_key_pair(base64.b64decode(seed), b"verwijsindex-hub-" + key_id.encode())
    return keys


def current_key_id() -> str:
    return next(iter(hub_keys()))


def oprf_evaluate(*, deployment: str, key_id: str | None, blinded: list[str]) -> dict:
    """Evaluate blinded elements. Limited per deployment and hour (FEDERATION_OPRF_LIMIT_PER_HOUR): evaluation
    reveals nothing about who is registered, but computing keys in bulk is not what a deployment does."""
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = FederationCall.objects.filter(
        direction=CallDirection.IN, peer=deployment, path__endswith="/oprf/evaluate/", status=200, at__gte=since
    ).count()
    if recent >= settings.FEDERATION_OPRF_LIMIT_PER_HOUR:
        raise Refused(429, "rate_limited")
    keys = hub_keys()
    key_id = key_id or next(iter(keys))
    if key_id not in keys:
        raise Refused(400, "unknown_key_id")
    if not blinded or len(blinded) > MAX_BLINDED_PER_CALL:
        raise Refused(400, "bad_batch")
    try:
        evaluated = [
            base64.b64encode(oprf.blind_evaluate(keys[key_id], base64.b64decode(item, validate=True))).decode()
            for item in blinded
        ]
    except (ValueError, oprf.OprfError):
        raise Refused(400, "bad_element") from None
    return {"key_id": key_id, "evaluated": evaluated}


# --- registration ---------------------------------------------------------------------------------------------


def _clean_keys(raw) -> set[tuple[str, str]]:
    if not isinstance(raw, list) or len(raw) > MAX_KEYS_PER_SIGNAL:
        raise Refused(400, "bad_keys")
    keys = set()
    for item in raw:
        kind, value = (item or {}).get("kind"), (item or {}).get("value")
        if kind not in KeyKind.values or not isinstance(value, str) or len(value) != 128:
            raise Refused(400, "bad_keys")
        try:
            bytes.fromhex(value)
        except ValueError:
            raise Refused(400, "bad_keys") from None
        keys.add((kind, value))
    return keys


def _lock(keys) -> None:
    """Serialise registrations that share a key (sorted, one statement: no two wait on each other in a circle)."""
    lock_ids = sorted({int.from_bytes(bytes.fromhex(value[:16]), "big", signed=True) for _, value in keys})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k", [lock_ids])


def _sharing(signal: HubSignal, keys) -> list[HubSignal]:
    """The other registered signals (same hub key) that hold one of these keys."""
    query = Q()
    for kind, value in keys:
        query |= Q(keys__kind=kind, keys__value=value)
    if not keys:
        return []
    return list(HubSignal.objects.filter(query, key_id=signal.key_id).exclude(pk=signal.pk).distinct().order_by("pk"))


def _shared_kinds(signal: HubSignal, other: HubSignal) -> list[str]:
    mine = set(signal.keys.values_list("kind", "value"))
    theirs = set(other.keys.values_list("kind", "value"))
    return sorted({kind for kind, _ in mine & theirs})


def _components(signals: list[HubSignal]) -> list[list[HubSignal]]:
    """Connected parts among these signals by shared keys (a family: a handful of signals)."""
    by_key = defaultdict(list)
    for key in HubKey.objects.filter(signal__in=signals).values_list("signal_id", "kind", "value"):
        by_key[key[1:]].append(key[0])
    parent = {s.pk: s.pk for s in signals}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ids in by_key.values():
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    parts = defaultdict(list)
    for s in signals:
        parts[find(s.pk)].append(s)
    return sorted(parts.values(), key=lambda part: min(s.pk for s in part))


def coordinator_of(national_match: int | None) -> HubSignal | None:
    """The national match's coordinator: the professional it was handed over to while active in the match
    (federation/relay.py), else the one decided by the rules (coordinator_decide) while it is active and in the
    match; until then, or after it ended, the deciding signal (the earliest active) stands in."""
    if not national_match:
        return None
    handed = handed_over_coordinator(national_match)
    if handed is not None:
        return handed
    decided = decided_coordinator(national_match)
    return decided if decided is not None else decider_of(national_match)


def _match_answer(signal: HubSignal) -> dict:
    coordinator = coordinator_of(signal.national_match)
    partners = [
        {
            "deployment": other.deployment,
            "reference": other.reference,
            "kinds": _shared_kinds(signal, other),
            "state": other.state,
        }
        for other in _sharing(signal, set(signal.keys.values_list("kind", "value")))
        if other.deployment != signal.deployment
    ]
    return {
        "reference": signal.reference,
        "national_match": national_reference(signal.national_match),
        "coordinator": {"deployment": coordinator.deployment, "reference": coordinator.reference}
        if coordinator
        else None,
        "decider": _signal_ref(decider_of(signal.national_match)),
        "partners": partners,
    }


def _coordinators(numbers) -> dict[int, tuple[int, str, str] | None]:
    """{member signal id: (national match, deployment, reference of its coordinator)} for these matches; a member
    moved to another national match (a merge or a split) counts as changed too, so it hears its new number."""
    numbers = {n for n in numbers if n}
    chosen = {}
    for number in numbers:
        coordinator = coordinator_of(number)
        chosen[number] = (number, coordinator.deployment, coordinator.reference) if coordinator else None
    return {
        pk: chosen[number]
        for pk, number in HubSignal.objects.filter(national_match__in=numbers).values_list("pk", "national_match")
    }


def _notices_of_coordinator_changes(before: dict, numbers, *, skip: int | None = None) -> None:
    """Every member whose coordinator is no longer the one it had hears of the new one (the decision travels)."""
    after = _coordinators(numbers)
    changed = [pk for pk in set(before) | set(after) if pk != skip and before.get(pk) != after.get(pk)]
    notices = []
    for member in HubSignal.objects.filter(pk__in=changed):
        _number, *coordinator = after.get(member.pk) or (None, "", "")
        notices.append(
            HubNotice(
                deployment=member.deployment,
                reference=member.reference,
                event="coordinator",
                coordinator_deployment=coordinator[0],
                coordinator_reference=coordinator[1],
            )
        )
    HubNotice.objects.bulk_create(notices)


def _notices_to_partners(signal: HubSignal, event: str) -> None:
    partners = [
        other
        for other in _sharing(signal, set(signal.keys.values_list("kind", "value")))
        if other.deployment != signal.deployment
    ]
    HubNotice.objects.bulk_create(
        [
            HubNotice(
                deployment=other.deployment,
                reference=other.reference,
                event=event,
                from_deployment=signal.deployment,
                from_reference=signal.reference,
            )
            for other in partners
        ]
    )


def notices_fetch(*, deployment: str, data: dict) -> dict:
    """The caller's notices, oldest first; those it acknowledges (ids it has handled) are deleted first."""
    acknowledged = [n for n in data.get("ack", []) if isinstance(n, int)][:500]
    HubNotice.objects.filter(deployment=deployment, pk__in=acknowledged).delete()
    notices = list(HubNotice.objects.filter(deployment=deployment).order_by("pk")[:100])
    national = _national_of_notices(deployment, notices)
    return {
        "notices": [
            {
                "id": n.pk,
                "reference": n.reference,
                "event": n.event,
                "from_deployment": n.from_deployment,
                "from_reference": n.from_reference,
                "coordinator": {"deployment": n.coordinator_deployment, "reference": n.coordinator_reference}
                if n.coordinator_reference
                else None,
                **(national.get(n.reference, {}) if n.event == "coordinator" else {}),
            }
            for n in notices
        ]
    }


def signal_register(*, deployment: str, data: dict) -> dict:
    """Register or update a signal with its keys; answers its national match, coordinator and other deployments'
    signals that share a key."""
    reference = data.get("reference")
    if not isinstance(reference, str) or not 16 <= len(reference) <= 64:
        raise Refused(400, "bad_reference")
    if data.get("key_id") not in hub_keys():
        raise Refused(400, "unknown_key_id")
    state = data.get("state", SignalState.ACTIVE)
    if state not in SignalState.values:
        raise Refused(400, "bad_state")
    try:
        placed_on = datetime.date.fromisoformat(data.get("placed_on", ""))
    except (TypeError, ValueError):
        raise Refused(400, "bad_date") from None
    keys = _clean_keys(data.get("keys"))
    _lock(keys)
    now = timezone.now()
    signal, created = HubSignal.objects.select_for_update().get_or_create(
        deployment=deployment,
        reference=reference,
        defaults={
            "key_id": data["key_id"],
            "state": state,
            "placed_on": placed_on,
            "registered_at": now,
            "updated_at": now,
        },
    )
    was_active = not created and signal.state == SignalState.ACTIVE
    before = _coordinators([signal.national_match])
    if not created:
        signal.key_id, signal.state, signal.placed_on, signal.updated_at = data["key_id"], state, placed_on, now
        signal.save(update_fields=["key_id", "state", "placed_on", "updated_at"])
        signal.keys.exclude(Q(*[Q(kind=k, value=v) for k, v in keys], _connector=Q.OR) if keys else Q()).delete()
    HubKey.objects.bulk_create(
        [HubKey(signal=signal, kind=kind, value=value) for kind, value in sorted(keys)], ignore_conflicts=True
    )
    sharing = _sharing(signal, keys)
    numbers_before = {s.national_match for s in [signal, *sharing] if s.national_match}
    # the matches this signal joins, as they were (its own match's were read before its state changed)
    before = {**_coordinators(numbers_before - {signal.national_match}), **before}
    if sharing:
        numbers = sorted({s.national_match for s in [signal, *sharing] if s.national_match})
        kept = numbers[0] if numbers else HubMatchCounter.objects.create().pk
        members = Q(pk__in=[signal.pk, *[s.pk for s in sharing]]) | Q(national_match__in=numbers)
        HubSignal.objects.filter(members).update(national_match=kept)
        signal.national_match = kept
        _coordinator_keep_on_merge(kept, numbers)
    elif signal.national_match:
        _recompute(signal.national_match)
        signal.refresh_from_db()
    if was_active and state == SignalState.ARCHIVED:
        _notices_to_partners(signal, "archived")
    numbers_after = set(HubSignal.objects.filter(pk__in=list(before)).values_list("national_match", flat=True))
    _notices_of_coordinator_changes(before, numbers_after | {signal.national_match}, skip=signal.pk)
    return _match_answer(signal)


def _recompute(national_match: int) -> None:
    """After a withdrawal or a change of keys: the parts that still hang together keep or get a number."""
    members = list(HubSignal.objects.filter(national_match=national_match).order_by("pk"))
    decision = HubMatchCounter.objects.filter(pk=national_match).values_list("coordinator_id", "coordinator_since")
    coordinator_id, since = decision.first() or (None, None)
    for index, part in enumerate(_components(members)):
        if len(part) == 1:
            number = None
        elif index == 0:
            number = national_match
        else:
            # the part that holds the decided coordinator keeps it (the split of ADR 0001)
            held = coordinator_id in {s.pk for s in part}
            number = HubMatchCounter.objects.create(
                coordinator_id=coordinator_id if held else None, coordinator_since=since if held else None
            ).pk
        HubSignal.objects.filter(pk__in=[s.pk for s in part]).update(national_match=number)


def signal_withdraw(*, deployment: str, data: dict) -> dict:
    """A signal destroyed at its deployment: the hub forgets it and its keys; an archived one stays as history."""
    signal = (
        HubSignal.objects.select_for_update().filter(deployment=deployment, reference=data.get("reference")).first()
    )
    if signal is None:
        raise Refused(404, "unknown_reference")
    number = signal.national_match
    _notices_to_partners(signal, "withdrawn")
    before = _coordinators([number])
    before.pop(signal.pk, None)
    signal.delete()
    if number:
        _recompute(number)
        numbers_after = set(HubSignal.objects.filter(pk__in=list(before)).values_list("national_match", flat=True))
        _notices_of_coordinator_changes(before, numbers_after)
    return {"reference": data.get("reference"), "withdrawn": True}


def key_lookup(*, deployment: str, data: dict) -> dict:
    """Other deployments' signals holding a key, only for a key that one of the caller's own signals holds."""
    keys = _clean_keys([data.get("key")])
    kind, value = next(iter(keys))
    own = (
        HubSignal.objects.filter(deployment=deployment, keys__kind=kind, keys__value=value, key_id=data.get("key_id"))
        .order_by("pk")
        .first()
    )
    if own is None:
        # the same answer whether or not anyone else holds the key: the refusal itself reveals nothing
        raise Refused(403, "key_not_registered_by_caller")
    return _match_answer(own)


def exchange_check(*, deployment: str, data: dict) -> tuple[HubSignal, HubSignal]:
    """Contact details may travel only between two registered signals that share a key, from an active one."""
    own = HubSignal.objects.filter(deployment=deployment, reference=data.get("from_reference")).first()
    other = HubSignal.objects.filter(deployment=data.get("to_deployment"), reference=data.get("to_reference")).first()
    if own is None or other is None or own.deployment == other.deployment:
        raise Refused(403, "not_matched")
    if own.state != SignalState.ACTIVE or own.key_id != other.key_id or not _shared_kinds(own, other):
        raise Refused(403, "not_matched")
    return own, other


def exchange_relay(*, deployment: str, data: dict, peers: dict) -> dict:
    """Relay the caller's contact details to the other deployment and its answer back; the hub stores neither."""
    own, other = exchange_check(deployment=deployment, data=data)
    peer = peers.get(other.deployment)
    if peer is None or not peer.url:
        raise Refused(502, "peer_unavailable")
    coordinator = coordinator_of(own.national_match)
    decider = _signal_ref(decider_of(own.national_match))
    relayed = {
        "from_deployment": own.deployment,
        "from_reference": own.reference,
        "from_state": own.state,
        "from_placed_on": own.placed_on.isoformat(),
        "to_reference": other.reference,
        "kinds": _shared_kinds(own, other),
        "national_match": national_reference(own.national_match),
        "coordinator": {"deployment": coordinator.deployment, "reference": coordinator.reference}
        if coordinator
        else None,
        "decider": decider,
        "contact": data.get("contact") or {},
    }
    try:
        answer = protocol.call(
            base_url=peer.url,
            path="/federation/v1/exchange/",
            data=relayed,
            idempotency_key=f"relay-{deployment}-{data.get('_idempotency_key', '')}"[:64],
            peer=other.deployment,
            peer_certificate=peer.certificate,
        )
    except protocol.ProtocolError as error:
        raise Refused(502 if error.status in (0, 500, 502, 503) else 409, "peer_unavailable") from None
    return {
        "to_deployment": other.deployment,
        "to_reference": other.reference,
        "to_state": other.state,
        "to_placed_on": other.placed_on.isoformat(),
        "kinds": relayed["kinds"],
        "national_match": relayed["national_match"],
        "coordinator": relayed["coordinator"],
        "decider": decider,
        "contact": answer.get("contact") or {},
    }


def hub_status() -> dict:
    """What the operators' status page shows: counts only."""
    return {
        "signals_active": HubSignal.objects.filter(state=SignalState.ACTIVE).count(),
        "signals_archived": HubSignal.objects.filter(state=SignalState.ARCHIVED).count(),
        "national_matches": HubSignal.objects.exclude(national_match=None).values("national_match").distinct().count(),
        "key_id": current_key_id() if settings.FEDERATION_OPRF_KEYS else "",
        **_key_rotation_status(),
    }


def _key_rotation_status() -> dict:
    """Key rotation: how many registered signals are still under an older key id (0: the old keys can go)."""
    current = current_key_id() if settings.FEDERATION_OPRF_KEYS else ""
    per_key = {
        row["key_id"]: row["n"] for row in HubSignal.objects.order_by().values("key_id").annotate(n=models.Count("id"))
    }
    return {
        "signals_on_older_keys": sum(n for key_id, n in per_key.items() if key_id != current),
        "signals_per_key": dict(sorted(per_key.items())),
    }


# --- the coordinator by the rules of a region, decided by the deployment holding the deciding signal (fedcoord) -


def _signal_ref(signal: HubSignal | None) -> dict | None:
    return {"deployment": signal.deployment, "reference": signal.reference} if signal is not None else None


def decider_of(national_match: int | None) -> HubSignal | None:
    """The deciding signal of a national match: its earliest active signal (placed_on, then registration). The
    rules of the region where its youth lives choose the coordinator; its deployment applies them."""
    if not national_match:
        return None
    return (
        HubSignal.objects.filter(national_match=national_match, state=SignalState.ACTIVE)
        .order_by("placed_on", "registered_at", "pk")
        .first()
    )


def decided_coordinator(national_match: int) -> HubSignal | None:
    """The decided coordinator while it holds: its signal active and still in this national match."""
    decision = HubMatchCounter.objects.filter(pk=national_match).select_related("coordinator").first()
    chosen = decision.coordinator if decision is not None else None
    if chosen is None or chosen.state != SignalState.ACTIVE or chosen.national_match != national_match:
        return None
    return chosen


def _coordinator_keep_on_merge(kept: int, numbers) -> None:
    """A merge keeps a decided coordinator who is still active: the kept number's, else the first merged one's."""
    if decided_coordinator(kept) is not None:
        return
    for number in sorted(set(numbers) - {kept}):
        decision = HubMatchCounter.objects.filter(pk=number).values_list("coordinator_id", "coordinator_since").first()
        if decision and _holds(decision[0], kept):
            HubMatchCounter.objects.filter(pk=kept).update(coordinator_id=decision[0], coordinator_since=decision[1])
            return


def _holds(signal_id: int | None, national_match: int) -> bool:
    return bool(
        signal_id
        and HubSignal.objects.filter(pk=signal_id, state=SignalState.ACTIVE, national_match=national_match).exists()
    )


def _national_of_notices(deployment: str, notices) -> dict[str, dict]:
    """For the caller's signals named in coordinator notices: their national match now and its deciding signal, so
    the deployment that holds the deciding signal knows it must decide (one query per national match)."""
    references = {n.reference for n in notices if n.event == "coordinator"}
    if not references:
        return {}
    numbers = dict(
        HubSignal.objects.filter(deployment=deployment, reference__in=references).values_list(
            "reference", "national_match"
        )
    )
    deciders = {number: _signal_ref(decider_of(number)) for number in set(numbers.values()) if number}
    return {
        reference: {"national_match": national_reference(number), "decider": deciders.get(number)}
        for reference, number in numbers.items()
    }


def coordinator_decide(*, deployment: str, data: dict) -> dict:
    """The deployment that holds a national match's deciding signal reports the coordinator its region's rules chose
    (over its own and the other deployments' participants, whose kinds of organisation the exchange gave it).

    Accepted only from that deployment for that signal (403 `not_the_deciding_signal` otherwise, also for a
    signal of another deployment or one that no longer decides), and only for an active signal of the same national
    match (409 `coordinator_not_in_match`). Members whose coordinator changes hear it through notices; the answer
    is the deciding signal's, as a registration's."""
    decider = HubSignal.objects.filter(deployment=deployment, reference=data.get("decider_reference")).first()
    if decider is None:
        raise Refused(403, "not_the_deciding_signal")
    # serialised with registrations that share its keys (the same lock they take first)
    _lock(set(decider.keys.values_list("kind", "value")))
    decider.refresh_from_db()
    number = decider.national_match
    current = decider_of(number)
    if not number or current is None or current.pk != decider.pk:
        raise Refused(403, "not_the_deciding_signal")
    wanted = data.get("coordinator") or {}
    chosen = HubSignal.objects.filter(
        deployment=wanted.get("deployment"),
        reference=wanted.get("reference"),
        national_match=number,
        state=SignalState.ACTIVE,
    ).first()
    if chosen is None:
        raise Refused(409, "coordinator_not_in_match")
    before = _coordinators([number])
    row = HubMatchCounter.objects.select_for_update().get(pk=number)
    if row.coordinator_id != chosen.pk:
        row.coordinator, row.coordinator_since = chosen, timezone.now()
        row.save(update_fields=["coordinator", "coordinator_since"])
    _notices_of_coordinator_changes(before, {number}, skip=decider.pk)
    return _match_answer(decider)


def handed_over_coordinator(national_match: int) -> HubSignal | None:
    """The signal an accepted hand-over named the coordinator, while it is active and in this national match (a
    later decision by the rules does not take the role back, as inside one deployment)."""
    handed = (
        HubHandover.objects.filter(
            accepted_at__isnull=False, to_signal__national_match=national_match, to_signal__state=SignalState.ACTIVE
        )
        .select_related("to_signal")
        .order_by("-accepted_at", "-pk")
        .first()
    )
    return handed.to_signal if handed is not None else None


# for the hand-over of the coordinator role (federation/relay.py): the coordinators of national matches, and the
# notices to every member whose coordinator changed
coordinators_of_matches = _coordinators
coordinator_changes_notify = _notices_of_coordinator_changes
