"""The factories of the apps that had none build rows that the services and selectors read as their own."""

import pytest

from audit.models import LogEntry
from audit.services import logbook_seal
from matching.models import MatchLink
from matching.selectors import match_counts_for_signals
from reports.models import Metric
from reports.selectors import region_statistics
from tests.audit.factories import LogEntryFactory
from tests.matching.factories import MatchLinkFactory, SignalFactory, match_of
from tests.reports.factories import CounterFactory


@pytest.mark.django_db
def test_a_match_built_by_the_factories_is_counted_for_each_of_its_signals():
    youth_signal = SignalFactory()
    colleague = SignalFactory(youth=youth_signal.youth)
    match = match_of(youth_signal, colleague)
    assert match.reference.startswith("M-")
    assert match.coordinator_signal == youth_signal
    assert match.region == youth_signal.organisation.region
    assert match_counts_for_signals([youth_signal.pk, colleague.pk]) == {youth_signal.pk: 1, colleague.pk: 1}


@pytest.mark.django_db
def test_a_match_link_is_stored_with_the_lower_signal_id_first_whatever_the_order_given():
    first, second = SignalFactory(), SignalFactory()
    link = MatchLinkFactory(signal_a=second, signal_b=first)
    assert (link.signal_a_id, link.signal_b_id) == (first.pk, second.pk)
    assert MatchLink.objects.get().other(first.pk) == second.pk


@pytest.mark.django_db
def test_a_logbook_entry_from_the_factory_is_sealed_into_the_chain_like_any_other():
    entry = LogEntryFactory(action="signal_viewed", region_id=None, note="x")
    assert LogEntry.objects.get(pk=entry.pk).seq is None  # written unsealed, in the caller's transaction
    logbook_seal()
    sealed = LogEntry.objects.get(pk=entry.pk)
    assert sealed.seq is not None and sealed.entry_hash


@pytest.mark.django_db
def test_statistics_from_factory_counters_hide_a_count_below_five():
    few = CounterFactory(metric=Metric.SIGNAL_PLACED, count=3)
    statistics = region_statistics(region=few.region, first_month=few.month, last_month=few.month)
    by_month = next(table for table in statistics.tables if table.key == "signals_month")
    cell = by_month.rows[0].cells[0]
    assert cell.value == 3 and not cell.visible
