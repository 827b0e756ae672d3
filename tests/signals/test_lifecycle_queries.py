"""The life cycle works per batch, not per signal: ten times as many due signals, the same number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from persons.models import Youth
from signals.lifecycle import STEPS, lifecycle_run
from signals.models import SignalStatus
from tests.accounts.factories import professional
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory
from tests.signals.test_lifecycle import at

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 6, 1)


def _due(organisation, placer, count: int) -> None:
    """`count` signals (or youths) for every step of the life cycle on DAY."""
    long_ago = datetime.datetime(2027, 5, 1, tzinfo=datetime.UTC)
    turned_23 = DAY.replace(year=DAY.year - 23)
    for _ in range(count):
        SignalFactory(organisation=organisation, professional=placer, youth=YouthFactory(date_of_death=DAY))
        SignalFactory(organisation=organisation, professional=placer, youth=YouthFactory(birth_date=turned_23))
        SignalFactory(organisation=organisation, professional=placer, status=SignalStatus.ARCHIVED, archive_until=DAY)
        SignalFactory(organisation=organisation, professional=placer, ends_on=DAY - datetime.timedelta(days=1))
        SignalFactory(organisation=organisation, professional=placer, ends_on=DAY + datetime.timedelta(days=7))
    Youth.objects.filter(pk__in=[YouthFactory().pk for _ in range(count)]).update(refreshed_at=long_ago)


def _run_counting() -> tuple[dict, int]:
    with at(DAY), CaptureQueriesContext(connection) as queries:
        counts = lifecycle_run(as_of=DAY)
    return counts, len(queries)


def test_ten_times_as_many_due_signals_take_the_same_number_of_queries(organisation):
    placer = professional(organisation)
    runs = []
    for count in (5, 50):
        _due(organisation, placer, count)
        counts, queries = _run_counting()
        assert counts == dict.fromkeys((name for name, _step in STEPS), count)
        runs.append(queries)
    assert runs[0] == runs[1]
