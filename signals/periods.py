"""The periods of each signal: its own region's parameters, never longer than its professional was told.

A signal follows the region of its organisation (also in a match across regions: each its own). At placing
(and at an extension) the last active day (`ends_on`) and the latest day of destruction (`destroy_by`) are
stored with the region's periods of that day; the professional is told them. When the region's process
managers lower a parameter later, the next life-cycle run shortens the signals that run longer than the new
periods allow (`signals_shorten`, logged per signal); raising a parameter never lengthens a stored signal.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction

from regions.parameters import Periods, legal_periods, region_periods

from .logbook import log_events
from .models import EndReason, Signal, SignalStatus
from .rules import age_on, archive_until, archived_on, planned_end


def periods_of(organisation) -> Periods:
    """The periods a signal of this organisation follows now: those of the organisation's region."""
    return region_periods(organisation.region)


def too_old(*, organisation, birth_date: datetime.date, on: datetime.date) -> bool:
    """Whether the youth has reached the maximum age of the organisation's region on `on`."""
    return age_on(birth_date, on) >= periods_of(organisation).max_age


def planned_dates(*, organisation, birth_date: datetime.date, start: datetime.date) -> dict:
    """`ends_on` and `destroy_by` of a signal placed (or extended) on `start`: what its professional is told."""
    periods = periods_of(organisation)
    ends_on = planned_end(placed_on=start, birth_date=birth_date, periods=periods)
    destroy_by = archive_until(ended_on=archived_on(ends_on), birth_date=birth_date, periods=periods)
    return {"ends_on": ends_on, "destroy_by": destroy_by}


def signal_archive_until(signal: Signal, *, ended_on: datetime.date) -> datetime.date:
    """The day a signal archived on `ended_on` is destroyed: by its region's periods now, never after `destroy_by`."""
    until = archive_until(
        ended_on=ended_on, birth_date=signal.youth.birth_date, periods=periods_of(signal.organisation)
    )
    return min(until, signal.destroy_by) if signal.destroy_by else until


# --- the life-cycle step: a lower parameter shortens, from the next run ------------------------------------------

# Active signals that run past what their own region's periods allow now: the last active day becomes the day the
# region's active years (capped by the legal maximum) end after the start of the current period (placing or
# extension), or the day before the birthday of its maximum age; never before yesterday, so a signal the shorter
# period has already passed is archived by this same run. The reminder is sent again for the new day.
_SHORTEN_ACTIVE_SQL = """
WITH due AS (
    SELECT s.id, s.ends_on AS before, y.pseudonym, o.region_id,
           LEAST(
               ((COALESCE(s.extended_at, s.placed_at) AT TIME ZONE %(tz)s)::date
                + make_interval(years => LEAST(r.active_years, %(legal_active_years)s)))::date - 1,
               (y.birth_date + make_interval(years => LEAST(r.max_age, %(legal_max_age)s)))::date - 1
           ) AS allowed
      FROM signals_signal s
      JOIN regions_organisation o ON o.id = s.organisation_id
      JOIN regions_region r ON r.id = o.region_id
      JOIN persons_youth y ON y.id = s.youth_id
     WHERE s.status = %(active)s AND s.ends_on >= %(as_of)s
), batch AS (
    SELECT due.*, GREATEST(due.allowed, %(as_of)s::date - 1) AS new_end
      FROM due JOIN signals_signal s ON s.id = due.id
     WHERE due.allowed IS NOT NULL AND GREATEST(due.allowed, %(as_of)s::date - 1) < due.before
     ORDER BY due.id LIMIT %(batch_size)s
       FOR UPDATE OF s
)
UPDATE signals_signal AS s SET ends_on = batch.new_end, reminder_sent_at = NULL
  FROM batch WHERE s.id = batch.id AND s.status = %(active)s
RETURNING s.id, batch.region_id, batch.pseudonym, batch.before, s.ends_on
"""

# Archived signals kept longer than their region's archive years allow now, counted from the day each was
# archived (the day after its last active day when it expired, else the day it was ended); never before today,
# so the archive step of this same run destroys what the shorter period has already passed.
_SHORTEN_ARCHIVED_SQL = """
WITH due AS (
    SELECT s.id, s.archive_until AS before, y.pseudonym, o.region_id,
           (CASE WHEN s.end_reason = %(expired)s THEN s.ends_on + 1
                 ELSE (s.ended_at AT TIME ZONE %(tz)s)::date END
            + make_interval(years => LEAST(r.archive_years, %(legal_archive_years)s)))::date AS allowed
      FROM signals_signal s
      JOIN regions_organisation o ON o.id = s.organisation_id
      JOIN regions_region r ON r.id = o.region_id
      JOIN persons_youth y ON y.id = s.youth_id
     WHERE s.status = %(archived)s AND s.archive_until > %(as_of)s
), batch AS (
    SELECT due.*, GREATEST(due.allowed, %(as_of)s::date) AS new_until
      FROM due JOIN signals_signal s ON s.id = due.id
     WHERE due.allowed IS NOT NULL AND GREATEST(due.allowed, %(as_of)s::date) < due.before
     ORDER BY due.id LIMIT %(batch_size)s
       FOR UPDATE OF s
)
UPDATE signals_signal AS s SET archive_until = batch.new_until
  FROM batch WHERE s.id = batch.id AND s.status = %(archived)s
RETURNING s.id, batch.region_id, batch.pseudonym, batch.before, s.archive_until
"""


def _shorten(sql: str, params: dict, *, field: str, batch_size: int) -> int:
    """Run one shortening statement in batches, each in its own transaction, logging every shortened signal."""
    count = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, {**params, "batch_size": batch_size})
                rows = sorted(cursor.fetchall())
            log_events(
                [
                    {
                        "action": "signal_period_shortened",
                        "region_id": region_id,
                        "youth_pseudonym": pseudonym,
                        "signal_id": signal_id,
                        f"{field}_before": before.isoformat(),
                        field: after.isoformat(),
                    }
                    for signal_id, region_id, pseudonym, before, after in rows
                ]
            )
        count += len(rows)
        if len(rows) < batch_size:
            return count


def signals_shorten(*, as_of: datetime.date, batch_size: int = 1000) -> int:
    """The life-cycle step that applies the regions' lowered periods to their stored signals; returns how many.

    Two statements for all regions (each signal joined to its own region's parameters), in batches."""
    legal = legal_periods()
    params = {
        "tz": settings.TIME_ZONE,
        "as_of": as_of,
        "active": SignalStatus.ACTIVE.value,
        "archived": SignalStatus.ARCHIVED.value,
        "expired": EndReason.EXPIRED.value,
        "legal_active_years": legal.active_years,
        "legal_archive_years": legal.archive_years,
        "legal_max_age": legal.max_age,
    }
    count = _shorten(_SHORTEN_ACTIVE_SQL, params, field="ends_on", batch_size=batch_size)
    return count + _shorten(_SHORTEN_ARCHIVED_SQL, params, field="archive_until", batch_size=batch_size)
