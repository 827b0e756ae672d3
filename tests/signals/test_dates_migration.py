"""Migration signals/0003 moves signals stored under the old date convention back by one day (ADR 0007)."""

import datetime
import importlib

import pytest
from django.db import connection

from signals.models import EndReason, SignalStatus
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

PLACED = datetime.datetime(2026, 11, 22, 9, tzinfo=datetime.UTC)


def _migrate():
    migration = importlib.import_module("signals.migrations.0003_exact_legal_dates")
    with connection.cursor() as cursor:
        cursor.execute(migration.FORWARD)


def test_old_convention_signals_end_a_day_earlier_and_capped_ones_stay(organisation):
    active = SignalFactory(organisation=organisation, placed_at=PLACED, ends_on=datetime.date(2028, 11, 22))
    archived = SignalFactory(
        organisation=organisation,
        placed_at=PLACED,
        ends_on=datetime.date(2028, 11, 22),
        status=SignalStatus.ARCHIVED,
        end_reason=EndReason.EXPIRED,
        archive_until=datetime.date(2033, 11, 23),
    )
    # ends the day before the 23rd birthday: right under both conventions
    capped = SignalFactory(
        organisation=organisation,
        youth=YouthFactory(birth_date=datetime.date(2005, 3, 1)),
        placed_at=PLACED,
        ends_on=datetime.date(2028, 2, 29),
    )
    _migrate()
    for signal in (active, archived, capped):
        signal.refresh_from_db()
    assert active.ends_on == datetime.date(2028, 11, 21)
    assert (archived.ends_on, archived.archive_until) == (datetime.date(2028, 11, 21), datetime.date(2033, 11, 22))
    assert capped.ends_on == datetime.date(2028, 2, 29)
