"""Entries commit with the action they record, without a lock; the sealer chains them after the commit.

Against the real PostgreSQL, with real concurrent transactions.
"""

import threading

import pytest
from django.db import connection, transaction

from audit.models import LogEntry
from audit.selectors import logbook_chain_check
from audit.services import log_event, logbook_seal
from audit.tasks import logbook_seal_task
from tests.notifications.conftest import broker_down, celery_eager  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_entry_is_sealed_once_its_transaction_commits(celery_eager):  # noqa: F811
    with transaction.atomic():
        entry = log_event(action="signal_placed", signal_id=1)
        log_event(action="youth_data_viewed", signal_id=1)
        assert LogEntry.objects.get(pk=entry.pk).seq is None
    entry.refresh_from_db()
    assert entry.seq is not None and entry.entry_hash
    assert LogEntry.objects.filter(seq__isnull=True).count() == 0
    assert logbook_chain_check().intact


def test_an_entry_rolled_back_with_its_action_leaves_no_trace_and_no_hole(celery_eager):  # noqa: F811
    log_event(action="before")
    with pytest.raises(RuntimeError), transaction.atomic():
        log_event(action="placement_that_failed")
        raise RuntimeError
    log_event(action="after")
    assert list(LogEntry.objects.order_by("seq").values_list("action", "seq")) == [("before", 1), ("after", 2)]
    assert logbook_chain_check().intact


def test_with_the_broker_down_the_sweep_seals_later(broker_down):  # noqa: F811
    entry = log_event(action="signal_placed")  # its seal task cannot be queued
    entry.refresh_from_db()
    assert entry.seq is None
    assert logbook_seal_task() == 1  # what beat runs every minute
    entry.refresh_from_db()
    assert entry.seq == 1


def test_a_writer_does_not_wait_for_another_writers_open_transaction():
    """Before: the first writer's advisory lock held every other writer in the country until it committed."""
    first_logged, second_done = threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                log_event(action="first_long_transaction")
                first_logged.set()
                second_done.wait(10)  # still open while the second writer logs and commits
        finally:
            connection.close()

    def second():
        try:
            first_logged.wait(10)
            log_event(action="second_short_transaction")
            second_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert second_done.is_set()
    logbook_seal()
    # the chain follows the commits: the second writer's entry (higher id, committed first) may come first
    assert sorted(LogEntry.objects.values_list("seq", flat=True)) == [1, 2]
    assert logbook_chain_check().intact


def test_entries_committed_out_of_id_order_chain_in_commit_order():
    holder_logged, release = threading.Event(), threading.Event()
    ids = {}

    def holder():
        try:
            with transaction.atomic():
                ids["early"] = log_event(action="lower_id_committed_last").pk
                holder_logged.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    holder_logged.wait(10)
    ids["late"] = log_event(action="higher_id_committed_first").pk
    assert logbook_seal() == 1  # only what has committed
    release.set()
    thread.join(20)
    assert logbook_seal() == 1
    assert ids["early"] < ids["late"]
    seqs = dict(LogEntry.objects.values_list("pk", "seq"))
    assert (seqs[ids["late"]], seqs[ids["early"]]) == (1, 2)
    assert logbook_chain_check().intact


def test_two_sealers_at_once_chain_every_entry_once():
    for n in range(300):
        log_event(action="signal_viewed", signal_id=n)
    counts = []

    def seal():
        try:
            counts.append(logbook_seal(batch_size=50))
        finally:
            connection.close()

    threads = [threading.Thread(target=seal) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(counts) == 300
    assert logbook_chain_check().intact and logbook_chain_check().checked == 300
