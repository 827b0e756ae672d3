"""A regional deployment's side of the federation: national keys through the hub's OPRF, the outbox of calls to the
hub, and the matches with other deployments' signals (contact details received, e-mails sent).

The BSNs and the BAG id are blinded here before they leave (RFC 9497): the hub evaluates without seeing them, and
this deployment never holds the hub's key. What is sent: OPRF outputs, a random reference, state and date.
"""

import base64
import datetime
import logging
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import events as audit_events
from matching.emails import MATCH_TEMPLATE, contact
from matching.models import MatchKind
from notifications.links import region_absolute_url
from notifications.models import NotificationKind
from notifications.services import notifications_enqueue
from persons.brp import get_client
from persons.bsn import bag_pseudonym, bsn_decrypt
from regions.models import InstitutionalAddress
from signals.models import ARCHIVING_REASONS, Signal, SignalStatus

from . import oprf, protocol, trust
from .models import FederatedSignal, NationalHandover, OutboxMessage, OutboxState, RemoteParticipant, SignalState

logger = logging.getLogger(__name__)

RETRY_AFTER = (30, 60, 300, 900, 3600)  # seconds, then every hour
KIND_LABELS = {"youth": MatchKind.SAME_YOUTH, "parent": MatchKind.FAMILY, "address": MatchKind.ADDRESS}


def linked() -> bool:
    return bool(settings.FEDERATION_HUB_URL and settings.FEDERATION_DEPLOYMENT_ID)


def _hub_call(path: str, data: dict, idempotency_key: str) -> dict:
    return protocol.call(
        base_url=settings.FEDERATION_HUB_URL,
        path=path,
        data=data,
        idempotency_key=idempotency_key,
        peer="hub",
        peer_certificate=trust.hub_certificate(),
    )


def hub_call(path: str, data: dict, idempotency_key: str) -> dict:
    """A signed call to the hub, for the federation's other regional modules (rights requests, key rotation)."""
    return _hub_call(path, data, idempotency_key)


# --- national keys --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalKeys:
    key_id: str
    keys: list[dict]


def national_key_inputs(signal: Signal) -> list[tuple[str, bytes]]:
    """What is blinded: the youth's BSN, each parent's BSN and the BAG id of the dwelling (not an institution's).

    Parents' BSNs and the BAG id are kept here only as keyed pseudonyms, so they are read from the BRP again."""
    bsn = bsn_decrypt(signal.youth.bsn_encrypted)
    inputs = [("youth", bsn)]
    person = get_client().person(bsn)
    if person is not None:
        inputs += [("parent", parent) for parent in sorted(set(person.parent_bsns)) if parent]
        institutional = InstitutionalAddress.objects.filter(bag_pseudonym=bag_pseudonym(person.bag_id or "-"))
        if person.bag_id and not institutional.exists():
            inputs.append(("address", person.bag_id))
    # the kind is part of the input: a youth's BSN and the same person's BSN as a parent give different keys
    return [(kind, f"verwijsindex:{kind}:{value}".encode()) for kind, value in inputs]


def national_keys(signal: Signal, *, idempotency_key: str) -> NationalKeys:
    """One OPRF round trip with the hub for all of the signal's inputs."""
    inputs = national_key_inputs(signal)
    blinds = [oprf.blind(value) for _, value in inputs]
    answer = _hub_call(
        "/federation/v1/oprf/evaluate/",
        {"blinded": [base64.b64encode(blinded).decode() for _, blinded in blinds]},
        f"oprf-{idempotency_key}"[:64],
    )
    evaluated = answer.get("evaluated") or []
    if len(evaluated) != len(inputs):
        raise protocol.ProtocolError("OPRF answer of the wrong length")
    keys = [
        {"kind": kind, "value": oprf.finalize(value, blind, base64.b64decode(element)).hex()}
        for (kind, value), (blind, _), element in zip(inputs, blinds, evaluated, strict=True)
    ]
    return NationalKeys(key_id=answer["key_id"], keys=keys)


# --- the outbox -----------------------------------------------------------------------------------------------


def _enqueue(*, operation: str, signal_id: int, body: dict | None = None, key: str | None = None) -> OutboxMessage:
    message, _created = OutboxMessage.objects.get_or_create(
        idempotency_key=key or uuid.uuid4().hex,
        defaults={"operation": operation, "signal_id": signal_id, "body": body or {}},
    )
    return message


def signal_federate(*, signal: Signal) -> FederatedSignal | None:
    """Inside the placing transaction: give the signal its reference at the hub and queue its registration."""
    if not linked():
        return None
    federated, created = FederatedSignal.objects.get_or_create(
        signal_id=signal.pk, defaults={"reference": secrets.token_hex(16)}
    )
    if created:
        _enqueue(operation="register", signal_id=signal.pk)
    return federated


def signals_unfederate(*, signals, reason) -> None:
    """Inside the ending transaction: an archived signal is registered again as archived; a destroyed one is
    withdrawn from the hub and its remote partners are forgotten here."""
    if not linked():
        return
    federated = {f.signal_id: f for f in FederatedSignal.objects.filter(signal_id__in=[s.pk for s in signals])}
    for signal in signals:
        entry = federated.get(signal.pk)
        if entry is None:
            continue
        # a pending hand-over of the coordinator role lapses with the signal (the hub's lapses at its next answer)
        NationalHandover.objects.filter(signal_id=signal.pk).delete()
        if reason in ARCHIVING_REASONS:
            _enqueue(operation="archive", signal_id=signal.pk)
        else:
            _enqueue(operation="withdraw", signal_id=signal.pk, body={"reference": entry.reference})
            RemoteParticipant.objects.filter(signal_id=signal.pk).delete()


def _send(message: OutboxMessage) -> None:
    """One outbox call; raises ProtocolError when the hub (or, for an exchange, the other deployment) fails."""
    key = message.idempotency_key
    if message.operation == "withdraw":
        try:
            _hub_call("/federation/v1/signals/withdraw/", message.body, key)
        except protocol.ProtocolError as error:
            if error.status != 404:  # never registered (the hub was down all along): nothing to withdraw
                raise
        FederatedSignal.objects.filter(signal_id=message.signal_id).update(withdrawn_at=timezone.now())
        return
    signal = Signal.objects.select_related("youth", "organisation", "professional").filter(pk=message.signal_id).first()
    federated = FederatedSignal.objects.filter(signal_id=message.signal_id).first()
    if signal is None or federated is None:
        return  # destroyed before it was sent: its withdrawal follows in the outbox
    if message.operation in ("register", "archive"):
        if "keys" not in message.body:
            keys = national_keys(signal, idempotency_key=key)
            message.body = {"key_id": keys.key_id, "keys": keys.keys}
            # kept, so a resend registers the very same keys under the same idempotency key
            message.save(update_fields=["body"])
        answer = _hub_call(
            "/federation/v1/signals/register/",
            {
                "reference": federated.reference,
                "key_id": message.body["key_id"],
                "keys": message.body["keys"],
                "state": SignalState.ACTIVE if signal.status == SignalStatus.ACTIVE else SignalState.ARCHIVED,
                "placed_on": timezone.localdate(signal.placed_at).isoformat(),
            },
            key,
        )
        _match_state_store(federated, answer)
        # the key id it is now registered under (key rotation: federation/rekey.py)
        FederatedSignal.objects.filter(pk=federated.pk).update(key_id=message.body["key_id"])
        if signal.status == SignalStatus.ACTIVE:
            for partner in answer.get("partners", []):
                _enqueue(
                    operation="exchange",
                    signal_id=signal.pk,
                    body={"to_deployment": partner["deployment"], "to_reference": partner["reference"]},
                    key=f"x-{federated.reference}-{partner['deployment']}-{partner['reference']}"[:64],
                )
    elif message.operation == "follow_up":
        from .followup import follow_up_send

        follow_up_send(message, federated, _hub_call)
    elif message.operation in ("handover_propose", "handover_answer"):
        from . import handover

        handover.send(message, federated, _hub_call)
    elif message.operation == "exchange":
        if signal.status != SignalStatus.ACTIVE:
            return  # archived meanwhile: an archived signal is told of nothing
        answer = _hub_call(
            "/federation/v1/exchange/",
            {
                "from_reference": federated.reference,
                "to_deployment": message.body["to_deployment"],
                "to_reference": message.body["to_reference"],
                "contact": contact(signal),
            },
            key,
        )
        _match_state_store(federated, answer)
        remote_participant_record(
            signal=signal,
            deployment=answer["to_deployment"],
            reference=answer["to_reference"],
            state=answer.get("to_state", SignalState.ACTIVE),
            placed_on=answer.get("to_placed_on"),
            kinds=answer.get("kinds", []),
            contact_details=answer.get("contact") or {},
        )


def _match_state_store(federated: FederatedSignal, answer: dict) -> None:
    coordinator = answer.get("coordinator") or {}
    federated.national_match = answer.get("national_match", "") or ""
    federated.coordinator_deployment = coordinator.get("deployment", "")
    federated.coordinator_reference = coordinator.get("reference", "")
    federated.registered_at = federated.registered_at or timezone.now()
    federated.save(update_fields=["national_match", "coordinator_deployment", "coordinator_reference", "registered_at"])


def outbox_send(*, now: datetime.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due, oldest first; a failure leaves the message for later (with a growing pause).

    Each message is sent in its own transaction with its row locked (SKIP LOCKED: two senders never send one
    message at the same time); the idempotency key makes a resend after a lost answer change nothing at the hub.
    """
    counts = {"sent": 0, "failed": 0, "waiting": 0}
    for _attempt in range(limit):
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(state=OutboxState.PENDING, next_attempt_at__lte=now or timezone.now())
                .order_by("id")
                .first()
            )
            if message is None:
                break
            try:
                with transaction.atomic():
                    _send(message)
            except protocol.ProtocolError as error:
                attempts = message.attempts + 1
                message.attempts = attempts
                message.last_error = str(error)[:300]
                if error.status in (400, 403, 404, 409, 410) and error.code != "not_trusted":
                    # refused for good (the hub checked and said no): kept as failed, visible to the operators
                    message.state = OutboxState.FAILED
                    counts["failed"] += 1
                else:
                    pause = RETRY_AFTER[min(attempts, len(RETRY_AFTER)) - 1]
                    message.next_attempt_at = (now or timezone.now()) + datetime.timedelta(seconds=pause)
                    counts["waiting"] += 1
                message.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
                if error.status == 0 and message.operation != "exchange":
                    break  # the hub is down: the rest waits too
                continue
            message.state = OutboxState.SENT
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["state", "sent_at", "attempts"])
            counts["sent"] += 1
    if linked():
        try:
            counts["notices"] = notices_receive()
        except protocol.ProtocolError as error:
            logger.warning("federation notices not fetched: %s", error)
    return counts


def notices_receive(*, rounds: int = 20) -> int:
    """Fetch what the hub has to tell about our signals' partners, apply it, and acknowledge it with the next
    fetch (a notice applied twice changes nothing, so a lost acknowledgement is harmless)."""
    acknowledged: list[int] = []
    handled = 0
    for _round in range(rounds):
        answer = _hub_call("/federation/v1/notices/", {"ack": acknowledged}, f"notices-{uuid.uuid4().hex}")
        notices = answer.get("notices") or []
        if not notices:
            break
        acknowledged = []
        for notice in notices:
            with transaction.atomic():
                notice_apply(notice)
            acknowledged.append(notice["id"])
            handled += 1
    return handled


def notice_apply(notice: dict) -> None:
    """A partner withdrawn (destroyed) or archived, or a new coordinator of the national match."""
    federated = FederatedSignal.objects.filter(reference=notice.get("reference")).first()
    if federated is None:
        return
    partner = RemoteParticipant.objects.filter(
        signal_id=federated.signal_id, deployment=notice.get("from_deployment"), reference=notice.get("from_reference")
    )
    if notice.get("event") == "withdrawn":
        partner.delete()
    elif notice.get("event") == "archived":
        partner.update(state=SignalState.ARCHIVED)
    elif notice.get("event") == "coordinator":
        coordinator = notice.get("coordinator") or {}
        federated.coordinator_deployment = coordinator.get("deployment", "")
        federated.coordinator_reference = coordinator.get("reference", "")
        federated.save(update_fields=["coordinator_deployment", "coordinator_reference"])
    elif str(notice.get("event", "")).startswith("handover_"):
        from . import handover

        handover.notice_apply(notice, federated)


# --- matches with other deployments' signals ------------------------------------------------------------------


def remote_participant_record(
    *, signal: Signal, deployment: str, reference: str, state: str, placed_on, kinds, contact_details: dict
) -> RemoteParticipant:
    """Keep the other deployment's contact details for our signal and, for a new active pair, e-mail our
    professional (the outbox's dedupe key makes a repeated exchange send nothing twice)."""
    remote, created = RemoteParticipant.objects.update_or_create(
        signal_id=signal.pk,
        deployment=deployment,
        reference=reference,
        defaults={
            "kinds": sorted(kinds),
            "contact_name": str(contact_details.get("name", ""))[:200],
            "organisation": str(contact_details.get("organisation", ""))[:200],
            "contact_email": str(contact_details.get("email", ""))[:254],
            "contact_phone": str(contact_details.get("phone", ""))[:32],
            "state": state if state in SignalState.values else SignalState.ACTIVE,
            "placed_on": datetime.date.fromisoformat(placed_on) if placed_on else timezone.localdate(),
        },
    )
    if created and signal.status == SignalStatus.ACTIVE and remote.state == SignalState.ACTIVE:
        match_remote_notify(signal=signal, remote=remote)
    if created:
        audit_events.federation_partner_received(signal_id=signal.pk, deployment=deployment, reference=reference)
    return remote


def coordinator_contact(federated: FederatedSignal) -> dict | None:
    """The national match's one coordinator, as the hub decided it: one of ours, or a remote participant."""
    if not federated.coordinator_reference:
        return None
    if federated.coordinator_deployment == settings.FEDERATION_DEPLOYMENT_ID:
        own = FederatedSignal.objects.filter(reference=federated.coordinator_reference).first()
        signal = Signal.objects.select_related("organisation").filter(pk=own.signal_id).first() if own else None
        return contact(signal)
    remote = RemoteParticipant.objects.filter(
        deployment=federated.coordinator_deployment, reference=federated.coordinator_reference
    ).first()
    if remote is None:
        return None
    return {
        "name": remote.contact_name,
        "organisation": remote.organisation,
        "email": remote.contact_email,
        "phone": remote.contact_phone,
    }


def match_remote_notify(*, signal: Signal, remote: RemoteParticipant) -> None:
    """The match e-mail of matching (its template), for a partner in another deployment."""
    federated = FederatedSignal.objects.get(signal_id=signal.pk)
    coordinator = coordinator_contact(federated)
    own_is_coordinator = (
        federated.coordinator_deployment == settings.FEDERATION_DEPLOYMENT_ID
        and federated.coordinator_reference == federated.reference
    )
    with translation.override("nl"):
        kinds = [KIND_LABELS[k] for k in remote.kinds if k in KIND_LABELS]
        youth = signal.youth
        entry = {
            "reference": signal.reference,
            "youth_initials": youth.initials,
            "youth_birth_year": youth.birth_date.year,
            "match_reference": federated.national_match,
            "coordinator": coordinator,
            "you_are_coordinator": own_is_coordinator,
            "url": region_absolute_url(
                region=signal.organisation.region,
                path=reverse("federation:national_match", kwargs={"signal_id": signal.pk}),
            ),
            "others": [
                {
                    "name": remote.contact_name,
                    "organisation": remote.organisation,
                    "email": remote.contact_email,
                    "phone": remote.contact_phone,
                    "kinds": [str(kind.label) for kind in kinds],
                    "kind_codes": [kind.value for kind in kinds],
                    "deployment": remote.deployment,
                }
            ],
        }
        notifications_enqueue(
            [
                {
                    "recipient": signal.professional,
                    "kind": NotificationKind.MATCH,
                    "subject": _("Verwijsindex: nieuwe landelijke match %(match)s bij uw signaal %(ref)s")
                    % {"match": federated.national_match, "ref": signal.reference},
                    "template": MATCH_TEMPLATE,
                    "context": {
                        "matches": [entry],
                        "match_reference": federated.national_match,
                        "coordinator": coordinator,
                        "federated": True,
                    },
                    "dedupe_key": f"federation:{federated.reference}:{remote.deployment}:{remote.reference}",
                }
            ]
        )


def exchange_receive(*, data: dict) -> dict:
    """A call relayed by the hub: another deployment's matched signal and its contact details for one of ours.
    Answers with our signal's contact details (the hub checked that the two share a key)."""
    federated = FederatedSignal.objects.filter(reference=data.get("to_reference"), withdrawn_at=None).first()
    signal = (
        Signal.objects.select_related("youth", "organisation", "professional").filter(pk=federated.signal_id).first()
        if federated
        else None
    )
    if signal is None:
        raise protocol.Refused(410, "signal_gone")
    _match_state_store(federated, data)
    remote_participant_record(
        signal=signal,
        deployment=data.get("from_deployment", ""),
        reference=data.get("from_reference", ""),
        state=data.get("from_state", SignalState.ACTIVE),
        placed_on=data.get("from_placed_on"),
        kinds=data.get("kinds", []),
        contact_details=data.get("contact") or {},
    )
    return {"contact": contact(signal), "state": signal.status}
