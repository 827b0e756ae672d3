"""Reads of the federation for a professional: the national match of an own signal (scoped to the acting user)."""

from dataclasses import dataclass

from django.urls import reverse

from matching.selectors import match_counts_for_signals, own_signal
from signals.models import Signal, SignalStatus

from .models import FederatedSignal, RemoteParticipant, SignalState
from .regional import coordinator_contact, linked


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


def national_page_of_signal(signal: Signal) -> str | None:
    """matching's national_page hook: the national match page of a signal that is part of a national match."""
    if not linked():
        return None
    if not FederatedSignal.objects.filter(signal_id=signal.pk, withdrawn_at=None).exclude(national_match="").exists():
        return None
    return reverse("federation:national_match", kwargs={"signal_id": signal.pk})


def match_counts_with_other_deployments(signal_ids) -> dict[int, int]:
    """signals' match_counts_asked hook, after matching's: a signal's partners here plus those in other deployments
    (answered only for signals with partners elsewhere, so a signal matched only elsewhere is not shown as 0)."""
    if not linked():
        return {}
    # as the national match page shows them: an archived signal's only up to its archiving
    until = {
        pk: None if status == SignalStatus.ACTIVE else (ended_at or placed_at)
        for pk, status, ended_at, placed_at in Signal.objects.filter(pk__in=list(signal_ids)).values_list(
            "pk", "status", "ended_at", "placed_at"
        )
    }
    remote: dict[int, set[tuple[str, str]]] = {}
    for signal_id, deployment, reference, received_at in RemoteParticipant.objects.filter(
        signal_id__in=list(until), state__in=[SignalState.ACTIVE, SignalState.ARCHIVED]
    ).values_list("signal_id", "deployment", "reference", "received_at"):
        if until[signal_id] is None or received_at <= until[signal_id]:
            remote.setdefault(signal_id, set()).add((deployment, reference))
    if not remote:
        return {}
    local = match_counts_for_signals(list(remote))
    return {pk: local.get(pk, 0) + len(partners) for pk, partners in remote.items()}
