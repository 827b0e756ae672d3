"""Reads of the logbook: the region's search for process managers, a youth's entries, and the chain check."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .chain import GENESIS_HASH, entry_hash
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
    checked: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def logbook_chain_check(*, batch_size: int = 2000) -> ChainReport:
    """Walks the whole logbook in id order and reports the first row whose link or content does not hold."""
    previous = GENESIS_HASH
    checked = 0
    for row in LogEntry.objects.order_by("id").values().iterator(chunk_size=batch_size):
        if row["previous_hash"] != previous:
            return ChainReport(checked, row["id"], "previous_hash")
        if entry_hash(previous, row) != row["entry_hash"]:
            return ChainReport(checked, row["id"], "content")
        previous = row["entry_hash"]
        checked += 1
    return ChainReport(checked)
