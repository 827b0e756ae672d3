"""Writes of the statistics: one atomic increment per event, inside the caller's transaction."""

import datetime

from django.db import connection, transaction
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
    table = Counter._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (region_id, month, municipality_code, sector, metric, days, count)
            VALUES (%s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (region_id, month, municipality_code, sector, metric, days)
            DO UPDATE SET count = {table}.count + EXCLUDED.count
            """,  # noqa: S608 - the table name is ours, every value is a parameter
            [region_id, _month_of(at), municipality_code or "", sector or "", str(metric), max(days, 0), by],
        )
