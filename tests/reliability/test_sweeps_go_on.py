"""A sweep item that always fails (here: the database refuses its row, through a trigger) is reported without
personal data and counted, and does not block the items behind it: neither in the match sweep nor in the outbox."""

import datetime
import threading
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.db import connection
from django.utils import timezone

from core.sweeps import SweepOutcome, sweep_alone, sweep_each
from matching.models import MatchLink
from matching.services import matches_detect_pending
from matching.tasks import matches_sweep_task
from notifications.models import Notification
from notifications.services import notifications_send
from signals.models import Signal
from tests.matching.conftest import brp_youth, haaglanden  # noqa: F401 - shared fixtures
from tests.matching.factories import SignalFactory
from tests.notifications.factories import NotificationFactory
from tests.regions.factories import OrganisationFactory

MAYA = "999970021"

pytestmark = pytest.mark.django_db


def _refuse_updates_of(table: str, row_id: int) -> None:
    """From now on (in this test's transaction) PostgreSQL refuses every update of this one row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse_row() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'this row always fails'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER refuse_row BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN (OLD.id = {int(row_id)}) EXECUTE FUNCTION pg_temp.refuse_row()"
        )


def test_match_sweep_goes_on_past_a_signal_that_always_fails_and_reports_it(brp_youth, haaglanden, caplog):  # noqa: F811
    youth = brp_youth(MAYA)
    first, second, third = (
        SignalFactory(youth=youth, organisation=OrganisationFactory(region=haaglanden)) for _ in "abc"
    )
    assert Signal.objects.filter(matched_at__isnull=True).count() == 3
    _refuse_updates_of("signals_signal", first.pk)

    assert matches_detect_pending() == 2
    assert matches_detect_pending() == 0  # the next run tries the failing one again, and goes on again

    assert set(Signal.objects.filter(matched_at__isnull=True).values_list("pk", flat=True)) == {first.pk}
    pairs = {frozenset((link.signal_a_id, link.signal_b_id)) for link in MatchLink.objects.all()}
    assert pairs == {frozenset((second.pk, third.pk))}
    failures = [r for r in caplog.records if r.name == "core.sweeps" and r.levelname == "WARNING"]
    assert [r.getMessage() for r in failures] == [
        f"match sweep: item {first.pk} failed (ProgrammingError); the sweep goes on"
    ] * 2
    assert "match sweep: 1 of 3 items failed" in caplog.text
    assert MAYA not in caplog.text and youth.surname not in caplog.text


def test_outbox_goes_on_past_a_row_whose_bookkeeping_always_fails(caplog):
    rows = NotificationFactory.create_batch(3)
    _refuse_updates_of("notifications_notification", rows[0].pk)

    assert notifications_send(notification_ids=[row.pk for row in rows]) == 2

    unsent = set(Notification.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))
    assert unsent == {rows[0].pk}
    # the refused row's e-mail was accepted before its bookkeeping failed: the documented one-e-mail window
    assert sorted(m.to[0] for m in mail.outbox) == sorted(row.recipient.email for row in rows)
    assert f"outbox: item {rows[0].pk} failed (ProgrammingError); the sweep goes on" in caplog.text


# --- a sweep is bounded: its time budget, Celery's soft time limit, one run at a time, not the queued signals ----


def test_a_sweep_stops_at_its_time_budget_and_leaves_the_rest():
    seen = []

    def slow(item_id):
        seen.append(item_id)
        time.sleep(0.2)

    outcome = sweep_each(name="test sweep", ids=range(10), action=slow, budget_seconds=0.3)
    assert seen == [0, 1] and outcome == SweepOutcome(done=2, failed=0, left=8)


def test_the_soft_time_limit_stops_a_sweep_instead_of_counting_as_an_item_failure(caplog):
    seen = []

    def limited(item_id):
        seen.append(item_id)
        if item_id == 1:
            raise SoftTimeLimitExceeded()

    with pytest.raises(SoftTimeLimitExceeded):
        sweep_each(name="test sweep", ids=range(5), action=limited)
    assert seen == [0, 1]
    assert "stopped by the soft time limit; 4 items left" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_one_run_of_a_sweep_at_a_time():
    answers = []

    def second_run():
        try:
            with sweep_alone("test sweep") as alone:
                answers.append(alone)
        finally:
            connection.close()

    with sweep_alone("test sweep") as alone:
        assert alone
        thread = threading.Thread(target=second_run)
        thread.start()
        thread.join(30)
    assert answers == [False]
    thread = threading.Thread(target=second_run)  # the first run is over: the next one runs
    thread.start()
    thread.join(30)
    assert answers == [False, True]


def test_the_periodic_match_sweep_leaves_the_signals_whose_own_task_is_still_queued(brp_youth, haaglanden):  # noqa: F811
    youth = brp_youth(MAYA)
    earlier, later = (SignalFactory(youth=youth, organisation=OrganisationFactory(region=haaglanden)) for _ in "ab")
    Signal.objects.filter(pk=earlier.pk).update(placed_at=timezone.now() - datetime.timedelta(minutes=5))
    matches_sweep_task()  # as beat runs it: the signals placed in the last minute are left to their own task
    assert set(Signal.objects.filter(matched_at__isnull=True).values_list("pk", flat=True)) == {later.pk}
