"""Writing to the logbook: one call per event, inside the caller's transaction, chained to the previous entry."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .chain import GENESIS_HASH, entry_hash
from .models import LogEntry

SYSTEM_ACTOR = "systeem"

# pg_advisory_xact_lock key that serialises logbook inserts, so every row links to the one before it.
# Held until the caller's transaction ends: keep transactions that log short.
LOGBOOK_LOCK_KEY = 0x56494C4F47  # "VILOG"
# the lock first, then the ids, in one round trip: the materialised CTE yields its row (the lock is held) before
# any nextval runs, so ids are drawn in the order in which writers hold the lock and the chain follows the ids.
# No savepoint around a write (savepoint=False): a failing write fails the caller's transaction, as it should.
_LOCK_AND_NUMBER_SQL = """
WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock(%s))
SELECT nextval(pg_get_serial_sequence('audit_logentry', 'id')) FROM locked, generate_series(1, %s)
"""


def _ip_address(value: str | None) -> str | None:
    """The address as PostgreSQL returns it from the inet column, so the hash survives the round trip."""
    if not value:
        return None
    return LogEntry._meta.get_field("ip_address").to_python(value)


def log_event(
    *,
    action: str,
    actor=None,
    request=None,
    region_id: int | None = None,
    youth_pseudonym: str = "",
    signal_id: int | None = None,
    **details,
) -> LogEntry:
    """Record one event. `actor` is a user or None for a system job; `details` must hold no BSN or name."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    # what JSONB gives back: dates become strings, tuples lists, so the stored row hashes the same as this one
    details = json.loads(json.dumps(details, cls=DjangoJSONEncoder))
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_AND_NUMBER_SQL, [LOGBOOK_LOCK_KEY, 1])
            (entry_id,) = cursor.fetchone()
        previous = LogEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        previous_hash = previous or GENESIS_HASH
        entry = LogEntry(
            id=entry_id,
            created_at=timezone.now(),
            action=action,
            actor_id=actor.pk if actor is not None else None,
            actor_label=(actor.full_name or actor.email) if actor is not None else SYSTEM_ACTOR,
            ip_address=_ip_address(request.META.get("REMOTE_ADDR")) if request is not None else None,
            region_id=region_id if region_id is not None else getattr(getattr(request, "region", None), "pk", None),
            youth_pseudonym=youth_pseudonym,
            signal_id=signal_id,
            details=details,
            previous_hash=previous_hash,
        )
        entry.entry_hash = entry_hash(previous_hash, entry.__dict__)
        entry.save(force_insert=True)
    return entry


def log_events(events: list[dict]) -> list[LogEntry]:
    """Record many events at once (each dict: the keyword arguments of log_event), chained in the given order.

    One advisory lock, one look-up of the previous hash and one INSERT for the lot, so a nightly job that ends
    100,000 signals writes its logbook rows in seconds, not in 600,000 round trips.
    """
    if not events:
        return []
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_AND_NUMBER_SQL, [LOGBOOK_LOCK_KEY, len(events)])
            entry_ids = sorted(row[0] for row in cursor.fetchall())
        previous_hash = LogEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first() or GENESIS_HASH
        now = timezone.now()
        entries = []
        for entry_id, event in zip(entry_ids, events, strict=True):
            event = dict(event)
            action = event.pop("action")
            actor = event.pop("actor", None)
            request = event.pop("request", None)
            region_id = event.pop("region_id", None)
            youth_pseudonym = event.pop("youth_pseudonym", "")
            signal_id = event.pop("signal_id", None)
            if actor is None and request is not None and request.user.is_authenticated:
                actor = request.user
            entry = LogEntry(
                id=entry_id,
                created_at=now,
                action=action,
                actor_id=actor.pk if actor is not None else None,
                actor_label=(actor.full_name or actor.email) if actor is not None else SYSTEM_ACTOR,
                ip_address=_ip_address(request.META.get("REMOTE_ADDR")) if request is not None else None,
                region_id=region_id if region_id is not None else getattr(getattr(request, "region", None), "pk", None),
                youth_pseudonym=youth_pseudonym,
                signal_id=signal_id,
                details=json.loads(json.dumps(event, cls=DjangoJSONEncoder)),
                previous_hash=previous_hash,
            )
            entry.entry_hash = entry_hash(previous_hash, entry.__dict__)
            previous_hash = entry.entry_hash
            entries.append(entry)
        LogEntry.objects.bulk_create(entries, batch_size=2000)
    return entries
