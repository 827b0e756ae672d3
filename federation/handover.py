"""Hand-over of a national match's coordinator role to a professional in another deployment (docs/federation.md).

The coordinator proposes (outbox → hub, which checks and keeps the proposal by references only); the other
deployment hears it by a notice and e-mails its professional a link to the accept/decline page (matching's
hand-over e-mail); the answer goes back through the hub, which names the new coordinator and tells every member
by its notices; the proposer hears the answer by a notice too (a refusal by matching's "declined" e-mail).
"""

import uuid
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import events as audit_events
from matching.emails import (
    HANDOVER_DECLINED_KIND,
    HANDOVER_DECLINED_TEMPLATE,
    HANDOVER_PROPOSED_KIND,
    HANDOVER_PROPOSED_TEMPLATE,
)
from matching.exceptions import NoProposalForYou, NotAParticipant, NotCoordinator
from notifications.links import region_absolute_url
from notifications.services import notifications_enqueue
from signals.models import Signal, SignalStatus
from signals.selectors import may_act_on_signal
from signals.services import on_behalf_of

from .followup import is_national_coordinator, remote_participants_of
from .models import FederatedSignal, NationalHandover, OutboxMessage, OutboxState, RemoteParticipant

OPERATIONS = ("handover_propose", "handover_answer")
EVENTS = ("handover_proposed", "handover_accepted", "handover_declined")


def _queue(*, operation: str, signal_id: int, body: dict) -> None:
    OutboxMessage.objects.create(
        idempotency_key=f"ho-{uuid.uuid4().hex}", operation=operation, signal_id=signal_id, body=body
    )
    from .handlers import _dispatch

    transaction.on_commit(partial(_dispatch), robust=True)


def pending(signal: Signal, direction: str) -> NationalHandover | None:
    return NationalHandover.objects.filter(signal_id=signal.pk, direction=direction).first()


def unsent(signal: Signal, operation: str) -> bool:
    """A call about this signal still waits in the outbox: the hub has not received it yet (down, or not tried)."""
    return OutboxMessage.objects.filter(signal_id=signal.pk, operation=operation, state=OutboxState.PENDING).exists()


def candidates(federated: FederatedSignal | None) -> list[RemoteParticipant]:
    """Whom the national coordinator may propose: the other deployments' active signals in the match, once each."""
    if not is_national_coordinator(federated):
        return []
    assert federated is not None
    return remote_participants_of(federated.national_match)


def remote_contact(signal: Signal, deployment: str, reference: str) -> dict | None:
    remote = RemoteParticipant.objects.filter(signal_id=signal.pk, deployment=deployment, reference=reference).first()
    if remote is None:
        return None
    return {
        "name": remote.contact_name,
        "organisation": remote.organisation,
        "email": remote.contact_email,
        "phone": remote.contact_phone,
    }


def national_handover_propose(*, signal: Signal, actor, to: tuple[str, str]) -> NationalHandover:
    """The national coordinator proposes a professional of another deployment (by its signal's reference)."""
    with transaction.atomic():
        federated = FederatedSignal.objects.select_for_update().filter(signal_id=signal.pk).first()
        signal = Signal.objects.select_related("organisation").get(pk=signal.pk)
        if (
            not is_national_coordinator(federated)
            or signal.status != SignalStatus.ACTIVE
            or not may_act_on_signal(user=actor, signal=signal)
        ):
            raise NotCoordinator()
        assert federated is not None
        if to not in {(r.deployment, r.reference) for r in candidates(federated)}:
            raise NotAParticipant()
        proposal, _created = NationalHandover.objects.update_or_create(
            signal_id=signal.pk,
            direction="out",
            defaults={"other_deployment": to[0], "other_reference": to[1], "proposed_at": timezone.now()},
        )
        _queue(
            operation="handover_propose",
            signal_id=signal.pk,
            body={"to_deployment": to[0], "to_reference": to[1]},
        )
        audit_events.federation_handover_proposed(
            actor=actor,
            signal_id=signal.pk,
            national_match=federated.national_match,
            deployment=to[0],
            reference=to[1],
            **on_behalf_of(signal, actor),
        )
    return proposal


def national_handover_answer(*, signal: Signal, actor, accept: bool) -> None:
    """The proposed professional accepts or declines; the hub decides and tells everyone (notices)."""
    with transaction.atomic():
        proposal = NationalHandover.objects.select_for_update().filter(signal_id=signal.pk, direction="in").first()
        signal = Signal.objects.select_related("organisation").get(pk=signal.pk)
        if proposal is None or signal.status != SignalStatus.ACTIVE or not may_act_on_signal(user=actor, signal=signal):
            raise NoProposalForYou()
        federated = FederatedSignal.objects.get(signal_id=signal.pk)
        proposal.delete()
        _queue(operation="handover_answer", signal_id=signal.pk, body={"accept": accept})
        audit_events.federation_handover_answered(
            actor=actor,
            signal_id=signal.pk,
            national_match=federated.national_match,
            accepted=accept,
            **on_behalf_of(signal, actor),
        )


def send(message: OutboxMessage, federated: FederatedSignal, hub_call) -> None:
    """The outbox's calls to the hub (raise ProtocolError on failure)."""
    if message.operation == "handover_propose":
        hub_call(
            "/federation/v1/handover/propose/",
            {"from_reference": federated.reference, **message.body},
            message.idempotency_key,
        )
        return
    # the new coordinator reaches every member, ours included, by the hub's `coordinator` notices (fetched in the
    # same outbox run): one way in for every change of coordinator, whatever caused it
    hub_call(
        "/federation/v1/handover/answer/",
        {"reference": federated.reference, "accept": bool(message.body.get("accept"))},
        message.idempotency_key,
    )


def _page_url(signal: Signal, name: str) -> str:
    return region_absolute_url(region=signal.organisation.region, path=reverse(name, kwargs={"signal_id": signal.pk}))


def notice_apply(notice: dict, federated: FederatedSignal) -> None:
    """A proposal to one of our signals, or the answer to one of ours (from the hub's notices)."""
    signal = (
        Signal.objects.select_related("youth", "organisation__region", "professional")
        .filter(pk=federated.signal_id)
        .first()
    )
    if signal is None:
        return
    other = (notice.get("from_deployment", ""), notice.get("from_reference", ""))
    event = notice.get("event")
    if event == "handover_proposed":
        NationalHandover.objects.update_or_create(
            signal_id=signal.pk,
            direction="in",
            defaults={"other_deployment": other[0], "other_reference": other[1], "proposed_at": timezone.now()},
        )
        if signal.status == SignalStatus.ACTIVE:
            _proposed_notify(signal, federated, other, notice.get("id"))
        return
    proposal = NationalHandover.objects.filter(
        signal_id=signal.pk, direction="out", other_deployment=other[0], other_reference=other[1]
    )
    if not proposal.exists():
        return  # answered before, or replaced by a later proposal
    proposal.delete()
    if event == "handover_declined" and signal.status == SignalStatus.ACTIVE:
        with translation.override("nl"):
            notifications_enqueue(
                [
                    {
                        "recipient": signal.professional,
                        "kind": HANDOVER_DECLINED_KIND,
                        "subject": _("Verwijsindex: overdracht van de matchregie van match %(match)s geweigerd")
                        % {"match": federated.national_match},
                        "template": HANDOVER_DECLINED_TEMPLATE,
                        "context": {
                            "match_reference": federated.national_match,
                            "declined_by": remote_contact(signal, *other),
                            "url": _page_url(signal, "federation:national_match"),
                        },
                        "dedupe_key": f"federation-handover-declined:{federated.reference}:{notice.get('id')}",
                    }
                ]
            )


def _proposed_notify(signal: Signal, federated: FederatedSignal, other: tuple[str, str], notice_id) -> None:
    """matching's hand-over e-mail, its link to the accept/decline page of the national match."""
    coordinator = remote_contact(signal, *other)
    with translation.override("nl"):
        youth = signal.youth
        notifications_enqueue(
            [
                {
                    "recipient": signal.professional,
                    "kind": HANDOVER_PROPOSED_KIND,
                    "subject": _("Verwijsindex: verzoek om matchregisseur te worden van match %(match)s")
                    % {"match": federated.national_match},
                    "template": HANDOVER_PROPOSED_TEMPLATE,
                    "context": {
                        "match_reference": federated.national_match,
                        "signal": {
                            "reference": signal.reference,
                            "youth_initials": youth.initials,
                            "youth_birth_year": youth.birth_date.year,
                            "match_reference": federated.national_match,
                            "coordinator": coordinator,
                            "you_are_coordinator": False,
                            "url": _page_url(signal, "federation:national_match"),
                        },
                        "coordinator": coordinator,
                        "url": _page_url(signal, "federation:national_handover"),
                        "federated": True,
                    },
                    "dedupe_key": f"federation-handover:{federated.reference}:{other[1]}:{notice_id}",
                }
            ]
        )
