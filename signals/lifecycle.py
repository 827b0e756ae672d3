"""The daily life cycle of signals: reminders, expiry to the archive, and destruction (archive, 23, death).

Every step is set-based: one query collects the due ids into a temporary table, then the rows are
processed in batches of `batch_size`, each batch in its own transaction that checks the rule again,
so a second run of the same day finds nothing left to do, and memory stays flat whatever the number
of signals. Only counts are logged (never a name, BSN or pseudonym).
"""

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from persons.models import Youth
from regions import legal
from regions.models import Region
from regions.parameters import region_periods

from . import hooks
from .logbook import log_events
from .models import EndReason, Signal, SignalStatus
from .notify import notify_many
from .periods import signals_shorten
from .rules import ONE_DAY, age_on, born_on_or_before_for_age, ends_at_23rd_birthday
from .selectors import covering_colleagues
from .services import signal_url, signals_destroy, youths_destroy_orphaned
from .unborn import signals_unborn_end, signals_unborn_overdue

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
_DUE_TABLE = "signals_lifecycle_due"


def _due_id_batches(queryset: QuerySet, batch_size: int) -> Iterator[list[int]]:
    """Yield the ids of `queryset` in ascending batches, from a snapshot taken once in a temporary table."""
    sql, params = queryset.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_DUE_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_DUE_TABLE} (id bigint PRIMARY KEY)")
        cursor.execute(f"INSERT INTO {_DUE_TABLE} (id) {sql}", params)  # noqa: S608 - sql is Django's own query
    last_id = 0
    try:
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id FROM {_DUE_TABLE} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                    [last_id, batch_size],
                )
                ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return
            yield ids
            last_id = ids[-1]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_DUE_TABLE}")


# what the ending hooks and the steps need of a signal: a thousand whole rows (with the youth and organisation)
# cost more to turn into objects than everything else a batch does
_BATCH_FIELDS = ("id", "youth_id", "professional_id", "organisation_id", "placed_at", "ends_on", "status", "end_reason")


def _lock_batch(queryset: QuerySet, ids: list[int]) -> list[Signal]:
    """These signals, locked, with only _BATCH_FIELDS loaded; the rule is checked again under the lock,
    so a row changed since the snapshot is left alone."""
    rows = (
        queryset.filter(pk__any=ids)
        .select_for_update(no_key=True, of=("self",))
        .order_by("pk")
        .values_list(*_BATCH_FIELDS)
    )
    return [Signal.from_db(connection.alias, _BATCH_FIELDS, row) for row in rows]


def _destroy_due(due: QuerySet, reason: EndReason, batch_size: int) -> int:
    count = 0
    for ids in _due_id_batches(due, batch_size):
        with transaction.atomic():
            count += signals_destroy(signals=_lock_batch(due, ids), reason=reason)
    return count


def signals_died(*, as_of: datetime.date) -> QuerySet[Signal]:
    return Signal.objects.filter(youth__date_of_death__isnull=False, youth__date_of_death__lte=as_of)


def signals_turned_23(*, as_of: datetime.date) -> QuerySet[Signal]:
    """Signals on youths who reached the maximum age of the signal's own region (23, or the region's lower age)."""
    regions_by_age = defaultdict(list)
    for region in Region.objects.order_by("pk"):
        regions_by_age[region_periods(region).max_age].append(region.pk)
    # never true, but a real condition: an empty IN list would leave no SQL for the id snapshot to run
    reached = Q(organisation__isnull=True)
    for age, region_ids in sorted(regions_by_age.items()):
        reached |= Q(organisation__region__in=region_ids, youth__birth_date__lte=born_on_or_before_for_age(as_of, age))
    return Signal.objects.filter(reached)


def signals_archive_ended(*, as_of: datetime.date) -> QuerySet[Signal]:
    return Signal.objects.filter(status=SignalStatus.ARCHIVED, archive_until__lte=as_of)


def signals_expired(*, as_of: datetime.date) -> QuerySet[Signal]:
    """Active signals whose last active day (`ends_on`) is before `as_of`: archived on the day after it."""
    return Signal.objects.filter(status=SignalStatus.ACTIVE, ends_on__lt=as_of)


def signals_to_remind(*, as_of: datetime.date, region: Region) -> QuerySet[Signal]:
    return Signal.objects.filter(
        status=SignalStatus.ACTIVE,
        reminder_sent_at__isnull=True,
        organisation__region=region,
        ends_on__gte=as_of,
        ends_on__lte=as_of + datetime.timedelta(weeks=region.reminder_weeks),
    )


def signals_destroy_died(*, as_of: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    return _destroy_due(signals_died(as_of=as_of), EndReason.DIED, batch_size)


def signals_destroy_turned_23(*, as_of: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    return _destroy_due(signals_turned_23(as_of=as_of), EndReason.TURNED_23, batch_size)


def signals_destroy_archive_ended(*, as_of: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    return _destroy_due(signals_archive_ended(as_of=as_of), EndReason.ARCHIVE_ENDED, batch_size)


def signals_expire(*, as_of: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Active signals past their planned end move to the archive for 5 years (at most until the 23rd birthday), or
    their own region's archive years and maximum age; never past the `destroy_by` its professional was told."""
    due = signals_expired(as_of=as_of)
    count = 0
    ended_at = timezone.now()
    for ids in _due_id_batches(due, batch_size):
        with transaction.atomic():
            signals = _lock_batch(due, ids)
            hooks.signals_ending(signals, EndReason.EXPIRED)
            # the archive term runs from the day of archiving, ends_on + 1 (rules.archived_on), also when the run was
            # late; archive_until is the day of destruction (rules.archive_until, here for a whole batch at once)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    UPDATE {Signal._meta.db_table} AS s
                       SET status = %s, end_reason = %s, ended_at = %s,
                           archive_until = LEAST(
                               (s.ends_on + 1 + make_interval(years => LEAST(r.archive_years, %s)))::date,
                               (y.birth_date + make_interval(years => LEAST(r.max_age, %s)))::date,
                               s.destroy_by)
                      FROM persons_youth AS y, regions_organisation AS o, regions_region AS r
                     WHERE y.id = s.youth_id AND o.id = s.organisation_id AND r.id = o.region_id
                       AND s.id = ANY(%s) AND s.status = %s
                 RETURNING s.id, o.region_id, y.pseudonym
                    """,  # noqa: S608 - table name from the model
                    [
                        SignalStatus.ARCHIVED,
                        EndReason.EXPIRED,
                        ended_at,
                        legal.ARCHIVE_YEARS,
                        legal.MAX_AGE,
                        [signal.pk for signal in signals],
                        SignalStatus.ACTIVE,
                    ],
                )
                archived = sorted(cursor.fetchall())
            log_events(
                [
                    {
                        "action": "signal_expired",
                        "region_id": region_id,
                        "youth_pseudonym": pseudonym,
                        "signal_id": signal_id,
                        "reason": EndReason.EXPIRED.value,
                        "outcome": "archived",
                    }
                    for signal_id, region_id, pseudonym in archived
                ]
            )
            count += len(signals)
    return count


def _expiry_reminder(signal: Signal, recipient, *, region: Region, covering_for: Signal | None) -> dict:
    """The reminder that the signal ends soon, to its professional or (`covering_for`) to a covering colleague."""
    return {
        "recipient": recipient,
        "kind": "signal_expiry_reminder",
        "subject": _("Uw signaal %(reference)s verloopt binnenkort") % {"reference": signal.reference},
        "template": "signals/email/expiry_reminder",
        "context": {
            "reference": signal.reference,
            "ends_on": signal.ends_on.strftime("%d-%m-%Y"),
            "organisation": signal.organisation.name,
            "link": signal_url(signal),
            "name": recipient.full_name,
            "covering_for": covering_for.contact_name if covering_for else "",
            # the age at which it is destroyed (the region's, or the one its professional was told)
            "age": age_on(signal.youth.birth_date, signal.ends_on + ONE_DAY),
            # at that birthday the signal is destroyed, not archived, and cannot be extended
            "destroyed": ends_at_23rd_birthday(
                ends_on=signal.ends_on, birth_date=signal.youth.birth_date, max_age=region_periods(region).max_age
            )
            or (signal.destroy_by is not None and signal.destroy_by <= signal.ends_on + ONE_DAY),
        },
        "dedupe_key": f"signal-expiry-reminder:{signal.pk}" + (f":cover:{recipient.pk}" if covering_for else ""),
    }


def signals_remind(*, as_of: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """One reminder per signal, `reminder_weeks` (a setting of the organisation's region) before it expires."""
    count = 0
    sent_at = timezone.now()
    for region in Region.objects.order_by("pk"):
        due = signals_to_remind(as_of=as_of, region=region)
        for ids in _due_id_batches(due, batch_size):
            with transaction.atomic():
                signals = list(
                    due.filter(pk__any=ids)
                    .select_for_update(no_key=True, of=("self",))
                    .select_related("professional", "organisation__region", "youth")
                    .order_by("pk")
                )
                # a colleague covering for the professional on the day of the reminder gets it too (waarneming)
                covering = covering_colleagues(signals, as_of=as_of)
                notify_many(
                    [
                        _expiry_reminder(
                            signal,
                            recipient,
                            region=region,
                            covering_for=None if recipient == signal.professional else signal,
                        )
                        for signal in signals
                        for recipient in [signal.professional, *covering.get(signal.pk, [])]
                    ]
                )
                reminded = Signal.objects.filter(pk__any=[signal.pk for signal in signals])
                reminded.update(reminder_sent_at=sent_at)
                count += len(signals)
    return count


def youths_destroy_unused(*, as_of: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Personal data of youths looked up but never signalled (an abandoned placing flow), a day later."""
    cutoff = timezone.make_aware(datetime.datetime.combine(as_of - datetime.timedelta(days=1), datetime.time()))
    unused = Youth.objects.filter(signals__isnull=True, refreshed_at__lt=cutoff)
    count = 0
    for ids in _due_id_batches(unused, batch_size):
        with transaction.atomic():
            count += youths_destroy_orphaned(youth_ids=ids)
    return count


# the daily steps in their order: destruction first, so a signal due for both is destroyed, not archived; a region's
# lowered periods shorten signals before expiry, and the archive step comes after it, so that a signal whose shorter
# archive period (or `destroy_by`) has already passed is destroyed in the same run
STEPS = (
    ("died", signals_destroy_died),
    ("turned_23", signals_destroy_turned_23),
    ("shortened", signals_shorten),
    ("expired", signals_expire),
    ("archive_ended", signals_destroy_archive_ended),
    # unborn children without a birth (signals/unborn.py): the end of those asked earlier, then the new questions
    ("unborn_ended", signals_unborn_end),
    ("unborn_overdue", signals_unborn_overdue),
    ("reminded", signals_remind),
    ("unused_youths", youths_destroy_unused),
)


def lifecycle_run(*, as_of: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """The whole daily run for one day: every step of STEPS in turn; returns the count of each."""
    as_of = as_of or timezone.localdate()
    counts = {}
    seconds = {}
    for name, step in STEPS:
        started = time.monotonic()
        counts[name] = step(as_of=as_of, batch_size=batch_size)
        seconds[name] = time.monotonic() - started
    logger.info(
        "signal life cycle for %s: %s in %.1f s (%s)",
        as_of.isoformat(),
        ", ".join(f"{name}={count}" for name, count in counts.items()),
        sum(seconds.values()),
        ", ".join(f"{name} {value:.1f} s" for name, value in seconds.items()),
    )
    return counts


def youth_died(*, youth_id: int, died_on: datetime.date | None = None) -> int:
    """Destroy every signal on a youth the BRP reports deceased (called from the persons change handler)."""
    due = Signal.objects.filter(youth_id=youth_id)
    with transaction.atomic():
        ids = list(due.values_list("pk", flat=True))
        return signals_destroy(signals=_lock_batch(due, ids), reason=EndReason.DIED)
