"""The life cycle writes its logbook rows in bulk; they chain exactly like single entries."""

import pytest

from audit.models import LogEntry
from audit.selectors import logbook_chain_check
from audit.services import log_event, logbook_seal
from signals.logbook import log_events
from tests.accounts.factories import professional

pytestmark = pytest.mark.django_db


def test_bulk_entries_keep_the_logbook_chain_intact(organisation):
    user = professional(organisation)
    log_event(action="before", actor=user)
    log_events(
        [
            {"action": "signal_destroyed", "youth_pseudonym": "p1", "signal_id": 1, "reason": "turned_23"},
            {"action": "signal_destroyed", "actor": user, "youth_pseudonym": "p2", "signal_id": 2, "reason": "died"},
        ]
    )
    log_event(action="after")
    assert list(LogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "before",
        "signal_destroyed",
        "signal_destroyed",
        "after",
    ]
    second = LogEntry.objects.get(signal_id=2)
    assert (second.actor_id, second.details) == (user.pk, {"reason": "died"})
    logbook_seal()  # after the commit, in production; this test's transaction never commits
    report = logbook_chain_check()
    assert report.intact and report.checked == 4


def test_altered_bulk_entry_breaks_the_chain(organisation):
    from django.db import connection

    log_events([{"action": "signal_expired", "signal_id": n} for n in range(3)])
    logbook_seal()
    with connection.cursor() as cursor:
        # the append-only trigger refuses UPDATE; a tamperer with table rights disables it first
        cursor.execute("ALTER TABLE audit_logentry DISABLE TRIGGER USER")
        cursor.execute("UPDATE audit_logentry SET signal_id = 99 WHERE signal_id = 1")
        cursor.execute("ALTER TABLE audit_logentry ENABLE TRIGGER USER")
    assert not logbook_chain_check().intact
