"""Reads of the logbook: the region's search for process managers, a youth's entries, and the chain check."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .chain import GENESIS_HASH, entry_hash
from .checkpoints import Checkpoint, checkpoint_stores, checkpoints_load
from .keys import settings_hmac_ring, settings_signing_ring
from .models import LogEntry


def logbook_for_region(
    *,
    region,
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    signal_id: int | None = None,
    youth_pseudonym: str = "",
) -> QuerySet[LogEntry]:
    """The entries of one region, newest first, narrowed by the given filters."""
    entries = LogEntry.objects.filter(region_id=region.pk)
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    if signal_id is not None:
        entries = entries.filter(signal_id=signal_id)
    if youth_pseudonym:
        entries = entries.filter(youth_pseudonym=youth_pseudonym)
    return entries.order_by("-created_at", "-id")


def logbook_actions_for_region(*, region) -> list[str]:
    return list(
        LogEntry.objects.filter(region_id=region.pk).order_by("action").values_list("action", flat=True).distinct()
    )


def logbook_for_youth(*, youth_pseudonym: str, signal_ids=()) -> QuerySet[LogEntry]:
    """Every entry about one youth, in every region, oldest first: what a citizen sees with inzage."""
    query = Q(youth_pseudonym=youth_pseudonym)
    if signal_ids:
        query |= Q(signal_id__in=list(signal_ids))
    return LogEntry.objects.filter(query).order_by("created_at", "id")


@dataclass(frozen=True)
class ChainReport:
    """What logbook_verify found. `problem` names the first one: content, previous_hash, gap, key, checkpoint_tail,
    checkpoint_head or checkpoint_signature; `broken_id` is the entry (or None for a missing tail)."""

    checked: int  # sealed entries found in order, up to the first problem
    broken_id: int | None = None
    problem: str = ""
    detail: str = ""
    pending: int = 0  # entries committed but not yet sealed
    oldest_pending: datetime.datetime | None = None
    checkpoints: int = 0  # valid checkpoints compared
    latest_checkpoint: Checkpoint | None = None

    @property
    def intact(self) -> bool:
        return not self.problem


def _walk(ring, checkpoints_by_seq, batch_size):
    """Follows the chain in seq order; returns (entries checked, (problem, entry id, detail) or None)."""
    previous, expected, rank = GENESIS_HASH, 1, len(ring.keys)
    for row in LogEntry.objects.filter(seq__isnull=False).order_by("seq").values().iterator(chunk_size=batch_size):
        if row["seq"] != expected:
            missing = f"{expected}" if row["seq"] == expected + 1 else f"{expected}-{row['seq'] - 1}"
            return expected - 1, ("gap", row["id"], f"entries {missing} are missing")
        # keys are configured newest first (rank 0): along the chain the rank may only fall, never go back to an
        # older key (one that may have leaked since)
        if row["key_version"] not in ring.keys or ring.rank(row["key_version"]) > rank:
            return expected - 1, ("key", row["id"], f"key version {row['key_version']!r}")
        rank = ring.rank(row["key_version"])
        if row["previous_hash"] != previous:
            return expected - 1, ("previous_hash", row["id"], "")
        if entry_hash(ring.keys[row["key_version"]], previous, row) != row["entry_hash"]:
            return expected - 1, ("content", row["id"], "")
        for checkpoint in checkpoints_by_seq.get(row["seq"], ()):
            if checkpoint.head != row["entry_hash"]:
                return expected - 1, ("checkpoint_head", row["id"], f"checkpoint of {checkpoint.at}")
        previous = row["entry_hash"]
        expected += 1
    return expected - 1, None


def logbook_chain_check(*, batch_size: int = 2000, extra_stores=()) -> ChainReport:
    """Walks the sealed logbook in chain order and holds it against the signed checkpoints kept outside it.

    Finds a changed entry (its keyed hash fails, even when the unkeyed parts were recomputed), a removed or
    inserted one (gap or broken link), and, with the checkpoints, a removed tail or an emptied table.
    `extra_stores`: checkpoints kept elsewhere and handed in (the process managers' daily e-mails).
    """
    hmac_ring, signing_ring = settings_hmac_ring(), settings_signing_ring()
    checkpoints, forged = checkpoints_load(signing_ring, [*checkpoint_stores(), *extra_stores])
    by_seq = defaultdict(list)  # every checkpoint of a count must name that entry's hash
    for checkpoint in checkpoints:
        by_seq[checkpoint.seq].append(checkpoint)
    latest = max(checkpoints, key=lambda c: (c.seq, c.at), default=None)
    unsealed = LogEntry.objects.filter(seq__isnull=True)
    report = {
        "pending": unsealed.count(),
        "oldest_pending": unsealed.order_by("id").values_list("created_at", flat=True).first(),
        "checkpoints": len(checkpoints),
        "latest_checkpoint": latest,
    }
    checked, problem = _walk(hmac_ring, by_seq, batch_size)
    if problem is not None:
        kind, entry_id, detail = problem
        return ChainReport(checked, entry_id, kind, detail, **report)
    if forged:
        return ChainReport(checked, None, "checkpoint_signature", ", ".join(forged), **report)
    if latest is not None and latest.seq > checked:
        return ChainReport(
            checked, None, "checkpoint_tail", f"checkpoint of {latest.at} counted {latest.seq} entries", **report
        )
    return ChainReport(checked, **report)
