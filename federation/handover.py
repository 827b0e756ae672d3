"""Hand-over of a national match's coordinator role to a professional in another deployment (docs/federation.md).

The coordinator proposes (outbox → hub, which checks and keeps the proposal by references only); the other
deployment hears it by a notice and e-mails its professional a link to the accept/decline page (matching's
hand-over e-mail); the answer goes back through the hub, which names the new coordinator and tells every member
by its notices; the proposer hears the answer by a notice too (a refusal by matching's "declined" e-mail).
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
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
    contact,
)
from matching.exceptions import MatchActionRefused, NoProposalForYou, NotAParticipant, NotCoordinator
from matching.models import Match
from notifications.links import region_absolute_url
from notifications.services import notifications_enqueue
from signals.models import Signal, SignalStatus
from signals.selectors import may_act_on_signal
from signals.services import on_behalf_of

from .followup import is_national_coordinator, remote_participants_of
from .models import FederatedSignal, NationalHandover, OutboxMessage, OutboxState, RemoteParticipant
from .tasks import outbox_send_soon

OPERATIONS = ("handover_propose", "handover_answer")
EVENTS = ("handover_proposed", "handover_accepted", "handover_declined")


def _queue(*, operation: str, signal_id: int, body: dict) -> None:
    OutboxMessage.objects.create(
        idempotency_key=f"ho-{uuid.uuid4().hex}", operation=operation, signal_id=signal_id, body=body
    )
    outbox_send_soon()


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


def local_members(federated: FederatedSignal | None) -> list[FederatedSignal]:
    """This deployment's other active signals in the national match (a hand-over to a colleague here goes through the
    national index too, so that the hub names the coordinator and no national decision undoes it)."""
    if not is_national_coordinator(federated):
        return []
    assert federated is not None
    members = FederatedSignal.objects.filter(
        national_match=federated.national_match, withdrawn_at=None, registered_at__isnull=False
    ).exclude(pk=federated.pk)
    active = set(
        Signal.objects.filter(pk__in=[m.signal_id for m in members], status=SignalStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    return [m for m in members if m.signal_id in active]


@dataclass(frozen=True)
class Colleague:
    """A professional of this deployment in the national match, shaped as a remote participant for the form."""

    deployment: str
    reference: str
    contact_name: str
    organisation: str


def handover_choices(federated: FederatedSignal | None, signal: Signal) -> list:
    """Whom the national coordinator may propose on the national match page: the other deployments' active
    signals and, through the hub as well, colleagues here in the national match (not the coordinator themself)."""
    here = local_members(federated)
    signals = {
        s.pk: s
        for s in Signal.objects.filter(pk__in=[m.signal_id for m in here])
        .exclude(professional_id=signal.professional_id)
        .select_related("organisation")
    }
    colleagues = [
        Colleague(
            settings.FEDERATION_DEPLOYMENT_ID,
            m.reference,
            signals[m.signal_id].contact_name,
            signals[m.signal_id].organisation.name,
        )
        for m in here
        if m.signal_id in signals
    ]
    return [*candidates(federated), *colleagues]


def remote_contact(signal: Signal, deployment: str, reference: str) -> dict | None:
    """The contact details of the other side of a hand-over: a remote participant, or a signal of ours."""
    if deployment == settings.FEDERATION_DEPLOYMENT_ID:
        own = FederatedSignal.objects.filter(reference=reference).first()
        return contact(Signal.objects.select_related("organisation").filter(pk=own.signal_id).first() if own else None)
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
        return _propose(signal=signal, federated=federated, actor=actor, to=to)


def _propose(*, signal: Signal, federated: FederatedSignal | None, actor, to: tuple[str, str]) -> NationalHandover:
    """Inside the caller's transaction: kept here (`out`), queued for the hub, logged."""
    assert federated is not None
    allowed = {(r.deployment, r.reference) for r in candidates(federated)}
    allowed |= {(settings.FEDERATION_DEPLOYMENT_ID, m.reference) for m in local_members(federated)}
    if to not in allowed:
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
        # proposed on a local match's page (a colleague here): that page shows the proposal no longer
        Match.objects.filter(proposed_signal_id=signal.pk).update(proposed_signal=None, proposed_at=None)
        _queue(operation="handover_answer", signal_id=signal.pk, body={"accept": accept})
        audit_events.federation_handover_answered(
            actor=actor,
            signal_id=signal.pk,
            national_match=federated.national_match,
            accepted=accept,
            **on_behalf_of(signal, actor),
        )


# --- matching's hooks: the ordinary hand-over of a local match that takes the national coordinator --------------


def on_local_handover_propose(*, match, coordinator: Signal, target: Signal, actor) -> bool:
    """matching's hook: the coordinator of a local match in a national match proposes a colleague of that match. The
    national index takes it (the hub names the coordinator once accepted, so no national decision undoes it); the
    proposed professional is e-mailed by the hub's notice, as for a proposal from another deployment."""
    if not (settings.FEDERATION_HUB_URL and settings.FEDERATION_DEPLOYMENT_ID):
        return False
    federated = FederatedSignal.objects.filter(signal_id=coordinator.pk).first()
    theirs = FederatedSignal.objects.filter(signal_id=target.pk, withdrawn_at=None).first()
    if not is_national_coordinator(federated):
        raise NotCoordinator()
    assert federated is not None
    if theirs is None or theirs.registered_at is None or theirs.national_match != federated.national_match:
        raise MatchActionRefused(
            _(
                "%(name)s is nog niet aangemeld bij de landelijke match %(national)s. Probeer het over enkele minuten "
                "opnieuw."
            )
            % {"name": target.contact_name, "national": federated.national_match}
        )
    _propose(
        signal=coordinator, federated=federated, actor=actor, to=(settings.FEDERATION_DEPLOYMENT_ID, theirs.reference)
    )
    return True


def on_local_handover_answer(*, match, signal: Signal, actor, accept: bool) -> bool:
    """matching's hook: the proposed professional answers on the local match's page; the national index takes it.
    False for a local proposal made before the match became part of the national match (it lapses)."""
    if pending(signal, "in") is not None:
        national_handover_answer(signal=signal, actor=actor, accept=accept)
        return True
    theirs = FederatedSignal.objects.filter(signal_id=signal.pk).first()
    on_its_way = theirs is not None and NationalHandover.objects.filter(
        direction="out",
        other_deployment=settings.FEDERATION_DEPLOYMENT_ID,
        other_reference=theirs.reference,
        signal_id=match.coordinator_signal_id,
    )
    if on_its_way and on_its_way.exists():
        raise MatchActionRefused(
            _("Het voorstel is nog onderweg via de landelijke verwijsindex. Probeer het over een minuut opnieuw.")
        )
    return False


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
