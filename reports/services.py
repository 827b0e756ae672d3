"""Writes of the statistics: atomic increments (upserts) inside the caller's transaction."""

import datetime
from collections import Counter as Tally

from django.db import connection
from django.utils import timezone

from .models import Counter, Metric


def _month_of(at: datetime.datetime | datetime.date) -> datetime.date:
    day = timezone.localdate(at) if isinstance(at, datetime.datetime) else at
    return day.replace(day=1)


def counter_increment(
    *,
    region_id: int,
    at: datetime.datetime | datetime.date,
    metric: Metric,
    municipality_code: str = "",
    sector: str = "",
    days: int = 0,
    by: int = 1,
) -> None:
    """Add `by` to one counter. An upsert, so concurrent events on the same cell never lose a count."""
    counters_increment(
        [
            {
                "region_id": region_id,
                "at": at,
                "metric": metric,
                "municipality_code": municipality_code,
                "sector": sector,
                "days": days,
                "by": by,
            }
        ]
    )


def counters_increment(increments: list[dict]) -> None:
    """counter_increment for many events (each dict: its keyword arguments) in one statement.

    Events on the same cell are added up first (one upsert may touch a row only once) and the cells are written
    in a fixed order, so two transactions that raise the same counters never wait on each other in a circle.
    """
    cells: Tally = Tally()
    for item in increments:
        cell = (
            item["region_id"],
            _month_of(item["at"]),
            item.get("municipality_code") or "",
            item.get("sector") or "",
            str(item["metric"]),
            max(item.get("days", 0), 0),
        )
        cells[cell] += item.get("by", 1)
    if not cells:
        return
    ordered = sorted(cells)
    table = Counter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (region_id, month, municipality_code, sector, metric, days, count)
            SELECT * FROM unnest(
                %s::bigint[], %s::date[], %s::varchar[], %s::varchar[], %s::varchar[], %s::integer[], %s::integer[]
            )
            ON CONFLICT (region_id, month, municipality_code, sector, metric, days)
            DO UPDATE SET count = {table}.count + EXCLUDED.count
            """,  # noqa: S608 - the table name is ours, every value is a parameter
            [*(list(column) for column in zip(*ordered, strict=True)), [cells[cell] for cell in ordered]],
        )
