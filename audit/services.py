"""Writing to the logbook: entries go in with the caller's transaction, unchained; the sealer chains them after commit.

No lock is taken where an entry is written, so a caller logs wherever it likes in its transaction; the entry
commits or rolls back with the action it records. The sealer (after each commit, and every minute as a sweep)
gives the committed entries their place in the chain and their keyed hash, in batches, under a lock only sealers
take. See docs/adr/0002-logbook.md.
"""

import json
import logging

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from core.notices import process_managers_notify
from core.tasks import task_send

from .chain import GENESIS_HASH, entry_hash
from .checkpoints import Checkpoint, checkpoint_sign, checkpoint_stores, checkpoints_load
from .context import log_context
from .keys import KeyRing, settings_hmac_ring, settings_signing_ring
from .models import LogEntry

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "systeem"
# pg_advisory_xact_lock key that serialises the sealers (never the writers): one chain, one sealer at a time
SEAL_LOCK_KEY = 0x56494C4F47  # "VILOG"
SEAL_BATCH = 2000
# set while a seal task is queued and not yet started, so a burst of commits queues one task, not thousands
SEAL_QUEUED_CACHE_KEY = "audit:logbook-seal-queued"
# the columns the sealer fills in; the trigger (audit/migrations/0004) lets an UPDATE change only these, only once
SEAL_COLUMNS = ("seq", "key_version", "previous_hash", "entry_hash")
UNSEALED = {"seq": None, "key_version": "", "previous_hash": "", "entry_hash": ""}


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


def _row(event: dict, now) -> dict:
    """The logbook row of one event (LogEntry attribute names); who and from where default to the context's."""
    details = dict(event)
    action = details.pop("action")
    actor = details.pop("actor", None)
    request = details.pop("request", None)
    region_id = details.pop("region_id", None)
    context = log_context()
    if request is None:
        request = context.request
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if region_id is None:
        region_id = getattr(getattr(request, "region", None), "pk", None)
    return {
        "created_at": now,
        "action": action,
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": (actor.full_name or actor.email) if actor is not None else SYSTEM_ACTOR,
        "ip_address": _ip_address(request.META.get("REMOTE_ADDR")) if request is not None else None,
        "region_id": region_id,
        "youth_pseudonym": details.pop("youth_pseudonym", "") or "",
        "signal_id": details.pop("signal_id", None),
        "details": _as_stored(details),
        **UNSEALED,
    }


def _seal_soon() -> None:
    """Queue one seal task after the commit; a broker that is down only delays sealing until the sweep."""
    try:
        if cache.add(SEAL_QUEUED_CACHE_KEY, 1, timeout=10) is False:
            return  # a seal task is queued and has not started: it will see this entry
    except Exception:  # noqa: BLE001 - the cache (Redis) is away: queue anyway, the sealer is idempotent
        logger.warning("logbook seal marker not set (cache unavailable)")
    task_send("audit.logbook_seal")


def _seal_after_commit() -> None:
    if any(callback is _seal_soon for _, callback, _ in connection.run_on_commit):
        return  # one per transaction
    transaction.on_commit(_seal_soon, robust=True)


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
    """Record one event, in the caller's transaction. `actor` is a user or None for the context's (or the system);
    `request` and `region_id` default to the context's (audit.context); `details` must hold no BSN or name."""
    event = {
        "action": action,
        "actor": actor,
        "request": request,
        "region_id": region_id,
        "youth_pseudonym": youth_pseudonym,
        "signal_id": signal_id,
        **details,
    }
    entry = LogEntry(**_row(event, timezone.now()))
    entry.save(force_insert=True)
    _seal_after_commit()
    return entry


def log_events(events: list[dict]) -> int:
    """Record many events at once (each dict: the keyword arguments of log_event), in the given order.

    One COPY for the lot, so a nightly job that ends 100,000 signals writes its logbook rows in seconds.
    Returns the number written.
    """
    if not events:
        return 0
    now = timezone.now()
    rows = [_row(event, now) for event in events]
    fields = [field for field in LogEntry._meta.concrete_fields if field.attname in rows[0]]
    columns = ", ".join(field.column for field in fields)
    with (
        transaction.atomic(savepoint=False),
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(
            f"COPY {LogEntry._meta.db_table} ({columns}) FROM STDIN"  # noqa: S608 - names from the model
        ) as stream,
    ):
        for row in rows:
            stream.write_row(
                [Jsonb(row[field.attname]) if field.attname == "details" else row[field.attname] for field in fields]
            )
    _seal_after_commit()
    return len(rows)


def _chain_head(model) -> tuple[int, str]:
    head = model.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "entry_hash").first()
    return head or (0, GENESIS_HASH)


def seal_batch(*, model, ring: KeyRing, batch_size: int) -> int:
    """Chain the oldest committed unsealed entries (up to batch_size) after the head; in its own transaction.

    Also used by migration 0004 with the historical model, to re-chain the rows of the unkeyed chain.
    """
    table = model._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
        rows = list(model.objects.filter(seq__isnull=True).order_by("id").values()[:batch_size])
        if not rows:
            return 0
        seq, previous = _chain_head(model)
        for row in rows:
            seq += 1
            row.update(seq=seq, key_version=ring.current_version, previous_hash=previous)
            row["entry_hash"] = previous = entry_hash(ring.current, previous, row)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS entry SET seq = sealed.seq, key_version = sealed.key_version,"  # noqa: S608
                " previous_hash = sealed.previous_hash, entry_hash = sealed.entry_hash"
                " FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::bigint[]) AS seq, unnest(%s::text[]) AS"
                " key_version, unnest(%s::text[]) AS previous_hash, unnest(%s::text[]) AS entry_hash) AS sealed"
                " WHERE entry.id = sealed.id",
                [[row["id"] for row in rows], *([row[name] for row in rows] for name in SEAL_COLUMNS)],
            )
    return len(rows)


class SealRefused(Exception):
    """The chain in the database no longer agrees with the head or checkpoint kept outside it: sealing would go on
    from a shortened or rewritten chain (and bless it). Nothing is sealed until someone has looked."""


def _chain_agrees(stores) -> None:
    """The chain holds the latest head or checkpoint kept outside: that count, with that hash at it."""
    latest = _latest_checkpoint(stores)
    if latest is None or latest.seq == 0:
        return
    seq, _head = _chain_head(LogEntry)
    at_latest = LogEntry.objects.filter(seq=latest.seq).values_list("entry_hash", flat=True).first()
    if seq < latest.seq or at_latest != latest.head:
        logger.error("logbook: the chain disagrees with the checkpoint of %s; run logbook_verify", latest.at)
        raise SealRefused(latest.at)


def _head_write(stores) -> None:
    seq, head = _chain_head(LogEntry)
    checkpoint = checkpoint_sign(seq=seq, head=head, at=timezone.now(), ring=settings_signing_ring())
    for store in stores:
        store.save_head(checkpoint)


def logbook_seal(*, batch_size: int = SEAL_BATCH) -> int:
    """Chain every committed entry not yet chained, in batches; returns how many. Idempotent.

    Goes on only from a chain that agrees with the head kept outside the database, and writes the new head there
    after every batch: removing or rewriting sealed entries shows at the next seal, seconds later.
    """
    ring = settings_hmac_ring()
    stores = checkpoint_stores()
    _chain_agrees(stores)
    total = 0
    while sealed := seal_batch(model=LogEntry, ring=ring, batch_size=batch_size):
        total += sealed
        _head_write(stores)
    return total


def logbook_checkpoint_write(*, stores=None) -> Checkpoint:
    """Seal what is pending, then sign (count, head hash, time) and write it to every checkpoint store.

    Refused (SealRefused) when the chain no longer agrees with the last head or checkpoint: that would bless it.
    """
    stores = checkpoint_stores() if stores is None else stores
    logbook_seal()
    _chain_agrees(stores)
    seq, head = _chain_head(LogEntry)
    checkpoint = checkpoint_sign(seq=seq, head=head, at=timezone.now(), ring=settings_signing_ring())
    for store in stores:
        store.save(checkpoint)
    return checkpoint


def _latest_checkpoint(stores) -> Checkpoint | None:
    valid, _forged = checkpoints_load(settings_signing_ring(), stores, latest_only=True)
    return max(valid, key=lambda checkpoint: (checkpoint.seq, checkpoint.at), default=None)


def logbook_checkpoint_send() -> Checkpoint:
    """Write a checkpoint and e-mail it to the process managers of every region: a copy no database holds.

    The e-mail holds only numbers (count, hash, time, signature): no personal data.
    """
    from django.utils.translation import gettext

    checkpoint = logbook_checkpoint_write()
    # every region's process managers (core.notices: regions answers)
    process_managers_notify(
        region=None,
        kind="logbook_checkpoint",
        subject=gettext("Verwijsindex: controlepunt van het logboek"),
        template="audit/email/checkpoint",
        context={
            "seq": checkpoint.seq,
            "head": checkpoint.head,
            "at": checkpoint.at,
            "key": checkpoint.key,
            "signature": checkpoint.signature,
            "line": checkpoint.as_line(),
        },
        dedupe_key=f"logbook-checkpoint:{checkpoint.at[:10]}",  # a task run again the same day mails nobody twice
    )
    return checkpoint
