"""PostgreSQL restarted in the middle of placing a signal: the user gets a retry page, no half-written
signal remains, and placing it again works."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from signals import hooks
from signals.models import Signal
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.reliability.servers import local_postgres_dir, postgres_restart_immediately


@pytest.fixture
def restartable_postgres():
    if local_postgres_dir() is None:
        pytest.skip("the tests run against a PostgreSQL this project did not start, so it may not restart it")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_database_restart_while_placing_gives_a_retry_page_and_no_half_signal(
    restartable_postgres, professional_user, organisation, region, monkeypatch
):
    youth = YouthFactory()
    client = client_for(professional_user, region)
    session = client.session
    session["signal_place"] = {"youth_id": youth.pk, "organisation_id": organisation.pk, "step": 4}
    session.save()
    answers = {"status": "informed", "whom": ["parents"], "on": timezone.localdate().isoformat(), "how": "gesprek"}

    crashed = []

    def crash_once(signal):
        if not crashed:
            crashed.append(signal.pk)
            postgres_restart_immediately()

    monkeypatch.setattr(hooks.placed, "_handlers", [*hooks.placed.handlers("first"), crash_once])
    client.raise_request_exception = False
    response = client.post(reverse("signals:place_informing"), answers)

    assert crashed, "the restart happened inside the placing transaction"
    assert response.status_code == 503
    assert "niet opgeslagen" in response.content.decode()
    connection.close()
    assert not Signal.objects.filter(youth=youth).exists()

    response = client.post(reverse("signals:place_informing"), answers)
    assert response.status_code == 302
    assert Signal.objects.filter(youth=youth, professional=professional_user).count() == 1
