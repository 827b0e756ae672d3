"""Writing to the logbook, inside the caller's transaction, each entry chained to the previous one."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from .chain import GENESIS_HASH, entry_hash
from .models import LogEntry

SYSTEM_ACTOR = "systeem"

# pg_advisory_xact_lock key that serialises logbook inserts, so every row links to the one before it.
# Held until the caller's transaction ends: keep transactions that log short.
LOGBOOK_LOCK_KEY = 0x56494C4F47  # "VILOG"
# The foreign keys of rows the transaction wrote are checked at COMMIT (Django makes them deferred), and the check
# locks the referenced rows. After the logbook lock, those row locks deadlock against a transaction that holds
# such a row and waits for the logbook (a signal placed on a youth while another professional looks the same
# youth up). So the pending checks run first (IMMEDIATE; DEFERRED restores the default for the rest of the
# transaction); then the lock and the ids: the materialised CTE yields its row (the lock is held) before any
# nextval runs, so ids are drawn in the order in which writers hold the lock and the chain follows the ids; then
# the previous entry's hash, in a statement of its own: in READ COMMITTED each statement takes a fresh snapshot,
# so this one, which starts after the lock is held, sees the entry the previous holder committed.
# All in one round trip (the lock is held until the commit, so each round trip after it delays every writer in
# the country), sent without parameters as one simple query: the two numbers are formatted in as integers.
# No savepoint around a write (savepoint=False): a failing write fails the caller's transaction, as it should.
_CHECK_LOCK_NUMBER_AND_CHAIN_SQL = """
SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED;
WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock({key:d}))
SELECT nextval(pg_get_serial_sequence('audit_logentry', 'id')) FROM locked, generate_series(1, {count:d});
SELECT entry_hash FROM audit_logentry ORDER BY id DESC LIMIT 1
"""


def _ip_address(value: str | None) -> str | None:
    """The address as PostgreSQL returns it from the inet column, so the hash survives the round trip."""
    if not value:
        return None
    return LogEntry._meta.get_field("ip_address").to_python(value)


def _as_stored(details: dict) -> dict:
    """What JSONB gives back: dates become strings, tuples lists, so the stored row hashes the same as this one."""
    if all(type(value) in (str, int, bool) or value is None for value in details.values()):
        return details  # the life cycle's thousands of entries a night: nothing to convert
    return json.loads(json.dumps(details, cls=DjangoJSONEncoder))


def _rows(events: list[dict]) -> list[dict]:
    """The logbook rows of these events (LogEntry attribute names), chained in the given order.

    Takes the logbook lock (held until the caller's transaction ends; the transaction's last lock) and the ids;
    inserting is the caller's.
    """
    with connection.cursor() as cursor:
        cursor.execute(_CHECK_LOCK_NUMBER_AND_CHAIN_SQL.format(key=LOGBOOK_LOCK_KEY, count=len(events)))
        while cursor.description is None and cursor.nextset():
            pass  # past the results of the two SET statements
        entry_ids = sorted(row[0] for row in cursor.fetchall())
        cursor.nextset()
        last = cursor.fetchone()
    previous_hash = (last[0] if last else "") or GENESIS_HASH
    now = timezone.now()
    rows = []
    for entry_id, event in zip(entry_ids, events, strict=True):
        details = dict(event)
        action = details.pop("action")
        actor = details.pop("actor", None)
        request = details.pop("request", None)
        region_id = details.pop("region_id", None)
        if actor is None and request is not None and request.user.is_authenticated:
            actor = request.user
        row = {
            "id": entry_id,
            "created_at": now,
            "action": action,
            "actor_id": actor.pk if actor is not None else None,
            "actor_label": (actor.full_name or actor.email) if actor is not None else SYSTEM_ACTOR,
            "ip_address": _ip_address(request.META.get("REMOTE_ADDR")) if request is not None else None,
            "region_id": region_id if region_id is not None else getattr(getattr(request, "region", None), "pk", None),
            "youth_pseudonym": details.pop("youth_pseudonym", ""),
            "signal_id": details.pop("signal_id", None),
            "details": _as_stored(details),
            "previous_hash": previous_hash,
        }
        row["entry_hash"] = previous_hash = entry_hash(previous_hash, row)
        rows.append(row)
    return rows


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
    event = {
        "action": action,
        "actor": actor,
        "request": request,
        "region_id": region_id,
        "youth_pseudonym": youth_pseudonym,
        "signal_id": signal_id,
        **details,
    }
    with transaction.atomic(savepoint=False):
        (row,) = _rows([event])
        entry = LogEntry(**row)
        entry.save(force_insert=True)
    return entry


def log_events(events: list[dict]) -> int:
    """Record many events at once (each dict: the keyword arguments of log_event), chained in the given order.

    One advisory lock, one look-up of the previous hash and one COPY for the lot, so a nightly job that ends
    100,000 signals writes its logbook rows in seconds, not in 600,000 round trips. Returns the number written.
    """
    if not events:
        return 0
    fields = list(LogEntry._meta.concrete_fields)
    columns = ", ".join(field.column for field in fields)
    with transaction.atomic(savepoint=False):
        rows = _rows(events)
        with (
            connection.cursor() as cursor,
            cursor.connection.cursor().copy(
                f"COPY {LogEntry._meta.db_table} ({columns}) FROM STDIN"  # noqa: S608 - names from the model
            ) as stream,
        ):
            for row in rows:
                stream.write_row(
                    [
                        Jsonb(row[field.attname]) if field.attname == "details" else row[field.attname]
                        for field in fields
                    ]
                )
    return len(rows)
