"""A sweep item that always fails (here: the database refuses its row, through a trigger) is reported without
personal data and counted, and does not block the items behind it: neither in the match sweep nor in the outbox."""

import pytest
from django.core import mail
from django.db import connection

from matching.models import MatchLink
from matching.services import matches_detect_pending
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
