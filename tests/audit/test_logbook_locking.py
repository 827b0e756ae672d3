"""Logging cannot deadlock with the row locks of the caller's transaction.

Found under the HTTP benchmark while every write took the country-wide logbook lock: placing a signal on a youth
(its foreign key to the youth checked at COMMIT, after the logbook lock) while another professional looked the
same youth up (row lock on the youth, then the logbook lock) deadlocked, and one of them got an error page.
Writers take no logbook lock any more (docs/adr/0002-logbook.md); the case stays tested.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from audit.models import LogEntry
from audit.services import log_event
from persons.models import Youth
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_placing_and_looking_up_the_same_youth_at_once_do_not_deadlock():
    youth = YouthFactory()
    errors = []
    lookup_waiting = threading.Event()

    def look_up():  # what persons.services.youth_by_bsn does for a youth already known
        try:
            lookup_waiting.set()
            with transaction.atomic():
                Youth.objects.select_for_update().get(pk=youth.pk)
                log_event(action="brp_lookup", youth_pseudonym=youth.pseudonym, outcome="refreshed")
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong in the thread
            errors.append(error)
        finally:
            connection.close()

    try:
        with transaction.atomic():  # what signals.services.signal_place does
            signal = SignalFactory(youth=youth)
            log_event(action="signal_placed", youth_pseudonym=youth.pseudonym, signal_id=signal.pk)
            other = threading.Thread(target=look_up)
            other.start()
            lookup_waiting.wait(5)
            time.sleep(0.5)  # the look-up now waits for a lock this transaction holds
    except Exception as error:  # noqa: BLE001
        errors.append(error)
    other.join(20)

    assert not other.is_alive()
    assert errors == []
    assert LogEntry.objects.filter(youth_pseudonym=youth.pseudonym).count() == 2
