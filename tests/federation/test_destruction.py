"""Issue #22: every way a signal is destroyed reaches the hub (a withdrawal queued in the same transaction) and the
deployment forgets the other deployments' participants of that signal; archiving registers it again instead.
With the real processes: test_federation_processes.py (the 23rd birthday)."""

import datetime

import pytest

from federation.models import FederatedSignal, OutboxMessage, RemoteParticipant
from signals.lifecycle import signals_destroy_died, signals_destroy_turned_23
from signals.models import EndReason, Signal
from signals.rules import turns_23_on
from signals.services import signal_end
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(settings):
    settings.FEDERATION_DEPLOYMENT_ID = "region-a"
    settings.FEDERATION_HUB_URL = "https://hub.invalid"
    return settings


def _federated(signal) -> FederatedSignal:
    federated = FederatedSignal.objects.create(signal_id=signal.pk, reference=f"{signal.pk:032d}")
    RemoteParticipant.objects.create(
        signal_id=signal.pk,
        deployment="region-b",
        reference="b" * 32,
        contact_name="Carla Claassen",
        organisation="Jeugdteam B",
        contact_email="carla@example.nl",
        placed_on=datetime.date(2026, 11, 1),
    )
    return federated


def _operations(signal_id: int) -> list[str]:
    return list(OutboxMessage.objects.filter(signal_id=signal_id).order_by("id").values_list("operation", flat=True))


@pytest.mark.parametrize("reason", [EndReason.PLACED_WRONGLY, EndReason.OBJECTION_UPHELD, EndReason.CORRECTION])
def test_a_signal_destroyed_by_its_professional_or_a_rights_decision_is_withdrawn(linked, reason):
    signal = SignalFactory()
    federated = _federated(signal)
    signal_id = signal.pk
    signal_end(signal=signal, reason=reason)
    assert _operations(signal_id) == ["withdraw"]
    assert OutboxMessage.objects.get(signal_id=signal_id).body == {"reference": federated.reference}
    assert not RemoteParticipant.objects.filter(signal_id=signal_id).exists()


def test_signals_destroyed_at_the_23rd_birthday_are_withdrawn_and_younger_ones_stay(linked):
    # chosen birth dates and the day of the run: nothing depends on today's date
    older = SignalFactory(youth=YouthFactory(birth_date=datetime.date(2010, 5, 1)))
    younger = SignalFactory(youth=YouthFactory(birth_date=datetime.date(2012, 5, 1)))
    for signal in (older, younger):
        _federated(signal)
    older_id = older.pk
    assert signals_destroy_turned_23(as_of=turns_23_on(datetime.date(2010, 5, 1))) == 1
    assert _operations(older_id) == ["withdraw"] and _operations(younger.pk) == []
    assert not RemoteParticipant.objects.filter(signal_id=older_id).exists()
    assert RemoteParticipant.objects.filter(signal_id=younger.pk).exists()


def test_signals_destroyed_at_death_are_withdrawn(linked):
    signal = SignalFactory(youth=YouthFactory(date_of_death=datetime.date(2026, 10, 1)))
    _federated(signal)
    signal_id = signal.pk
    assert signals_destroy_died(as_of=datetime.date(2026, 10, 2)) == 1
    assert not Signal.objects.filter(pk=signal_id).exists()
    assert _operations(signal_id) == ["withdraw"]
    assert not RemoteParticipant.objects.filter(signal_id=signal_id).exists()


def test_an_archived_signal_is_registered_again_and_keeps_its_history(linked):
    signal = SignalFactory()
    _federated(signal)
    signal_end(signal=signal, reason=EndReason.CONCERN_GONE)
    assert _operations(signal.pk) == ["archive"]
    assert RemoteParticipant.objects.filter(signal_id=signal.pk).exists()
