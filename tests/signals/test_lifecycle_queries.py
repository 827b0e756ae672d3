"""The life cycle works per batch, not per signal: ten times as many due signals, the same number of queries.

Every step has work to do, and half the ending signals hold a youth's match coordinator role, which moves on
to the youth's other signal (and the professionals in the match are told).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import LogEntry
from matching.models import Match, MatchKind, MatchLink, MatchParticipation
from notifications.models import Notification
from persons.models import Youth
from signals.lifecycle import STEPS, lifecycle_run
from signals.models import SignalStatus
from tests.accounts.factories import professional
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory
from tests.signals.test_lifecycle import at

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 6, 1)


def _coordinated(ending, colleague) -> tuple:
    """`ending` coordinates a match with the youth's other signal, which will take the role over."""
    other = SignalFactory(organisation=ending.organisation, professional=colleague, youth=ending.youth)
    # a third signal linked to the other keeps the match when `ending` is destroyed (alone, a signal is in no match)
    third = SignalFactory(
        organisation=ending.organisation,
        professional=professional(ending.organisation),
        youth=ending.youth,
        placed_at=other.placed_at + datetime.timedelta(minutes=1),
    )
    MatchLink.objects.create(signal_a=ending, signal_b=other, kind=MatchKind.SAME_YOUTH)
    MatchLink.objects.create(signal_a=other, signal_b=third, kind=MatchKind.SAME_YOUTH)
    match = Match.objects.create(coordinator_signal=ending, coordinator_since=ending.placed_at)
    MatchParticipation.objects.bulk_create([MatchParticipation(match=match, signal=s) for s in (ending, other, third)])
    return match.pk, other.pk


def _due(organisation, placer, colleague, count: int) -> dict[int, int]:
    """`count` signals (or youths) for every step of the life cycle on DAY; the coordinators to come, per match."""
    long_ago = datetime.datetime(2027, 5, 1, tzinfo=datetime.UTC)
    turned_23 = DAY.replace(year=DAY.year - 23)
    ours = {"organisation": organisation, "professional": placer}
    takes_over = {}
    for n in range(count):
        SignalFactory(**ours, youth=YouthFactory(date_of_death=DAY))
        SignalFactory(**ours, youth=YouthFactory(birth_date=turned_23))
        archived = SignalFactory(**ours, status=SignalStatus.ARCHIVED, archive_until=DAY)
        expired = SignalFactory(**ours, ends_on=DAY - datetime.timedelta(days=1))
        SignalFactory(**ours, ends_on=DAY + datetime.timedelta(days=7))
        # longer than the region's two years allow (as after the region lowered its period): shortened
        SignalFactory(**ours, placed_at=long_ago, ends_on=datetime.date(2030, 4, 30))
        if n % 2:
            takes_over.update([_coordinated(expired, colleague), _coordinated(archived, colleague)])
    Youth.objects.filter(pk__in=[YouthFactory().pk for _ in range(count)]).update(refreshed_at=long_ago)
    return takes_over


def _run_counting() -> tuple[dict, int]:
    with at(DAY), CaptureQueriesContext(connection) as queries:
        counts = lifecycle_run(as_of=DAY)
    return counts, len(queries)


def test_ten_times_as_many_due_signals_take_the_same_number_of_queries(organisation):
    placer, colleague = professional(organisation), professional(organisation)
    runs = []
    for count in (5, 50):
        takes_over = _due(organisation, placer, colleague, count)
        logged_before = LogEntry.objects.filter(action="match_coordinator_changed").count()
        counts, queries = _run_counting()
        # every step has `count` due, except those for unborn children (tests/signals/test_unborn.py): none here
        assert counts == {name: 0 if name.startswith("unborn_") else count for name, _step in STEPS}
        runs.append(queries)
        coordinators = dict(Match.objects.filter(pk__in=takes_over).values_list("pk", "coordinator_signal"))
        assert coordinators == takes_over
        logged = LogEntry.objects.filter(action="match_coordinator_changed").count() - logged_before
        told = Notification.objects.filter(kind="match_coordinator_changed", recipient=colleague)
        assert told.count() == logged == len(takes_over)
        told.delete()
    assert runs[0] == runs[1]
