"""Reads of the federation for a professional: the national match of an own signal (scoped to the acting user)."""

from dataclasses import dataclass

from matching.selectors import own_signal
from signals.models import Signal, SignalStatus

from .models import FederatedSignal, RemoteParticipant, SignalState


@dataclass
class NationalMatchView:
    signal: Signal
    reference: str
    coordinator: dict | None
    you_are_coordinator: bool
    others: list[RemoteParticipant]


def national_match_of_own_signal(*, user, region, signal_id: int) -> NationalMatchView | None:
    """The user's own signal with its partners in other deployments; None when it is not the user's (404).

    Like a match inside one deployment: archived partners are shown (labelled) only to a professional whose own
    signal is active; an archived own signal shows nothing that came after it was archived."""
    from .regional import coordinator_contact

    signal = own_signal(user=user, region=region, signal_id=signal_id)
    if signal is None:
        return None
    federated = FederatedSignal.objects.filter(signal_id=signal.pk).first()
    if federated is None or not federated.national_match:
        return NationalMatchView(signal=signal, reference="", coordinator=None, you_are_coordinator=False, others=[])
    others = RemoteParticipant.objects.filter(signal_id=signal.pk).order_by("received_at", "id")
    if signal.status != SignalStatus.ACTIVE:
        others = others.filter(received_at__lte=signal.ended_at or signal.placed_at)
    else:
        others = others.filter(state__in=[SignalState.ACTIVE, SignalState.ARCHIVED])
    return NationalMatchView(
        signal=signal,
        reference=federated.national_match,
        coordinator=coordinator_contact(federated),
        you_are_coordinator=federated.coordinator_reference == federated.reference,
        others=list(others),
    )


def federated_of(signal: Signal) -> FederatedSignal | None:
    """This deployment's reference at the hub for one of its signals (None: not federated)."""
    return FederatedSignal.objects.filter(signal_id=signal.pk).first()
