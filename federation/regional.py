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
from matching.coordination import coordinator_by_rules, matches_coordinator_national_refresh, youth_rules_of
from matching.emails import MATCH_TEMPLATE, contact
from matching.hooks import NationalPart, RemoteMember
from matching.models import MatchKind, MatchParticipation
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
    return [key_input(kind, value) for kind, value in inputs]


def key_input(kind: str, value: str) -> tuple[str, bytes]:
    """What is blinded for one key; the kind is part of it: a youth's BSN and the same person's BSN as a parent give
    different keys."""
    return kind, f"verwijsindex:{kind}:{value}".encode()


def national_keys(signal: Signal, *, idempotency_key: str) -> NationalKeys:
    """One OPRF round trip with the hub for all of the signal's inputs."""
    return keys_evaluate(national_key_inputs(signal), idempotency_key=f"oprf-{idempotency_key}"[:64])


def keys_evaluate(inputs: list[tuple[str, bytes]], *, idempotency_key: str) -> NationalKeys:
    """The national keys of these inputs, blinded here and evaluated by the hub in one round trip (RFC 9497)."""
    blinds = [oprf.blind(value) for _, value in inputs]
    answer = hub_call(
        "/federation/v1/oprf/evaluate/",
        {"blinded": [base64.b64encode(blinded).decode() for _, blinded in blinds]},
        idempotency_key,
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
        # after the exchanges are queued: a decision queued now is made after them, knowing their participants
        _match_state_store(federated, answer)
    elif message.operation == "coordinator":
        national_coordinator_send(federated=federated, signal=signal, idempotency_key=key)
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
                "contact": exchange_contact(signal),
            },
            key,
        )
        _match_state_store(federated, answer, decide=False)
        remote_participant_record(
            signal=signal,
            deployment=answer["to_deployment"],
            reference=answer["to_reference"],
            state=answer.get("to_state", SignalState.ACTIVE),
            placed_on=answer.get("to_placed_on"),
            kinds=answer.get("kinds", []),
            contact_details=answer.get("contact") or {},
        )
        national_coordinator_decide(decider=answer.get("decider"))


def _match_state_store(federated: FederatedSignal, answer: dict, *, decide: bool = True) -> None:
    """The national match and its coordinator as the hub answered them; the deciding deployment decides (a caller
    that records a partner afterwards decides after that, so the partner's kind of organisation counts)."""
    federated.national_match = answer.get("national_match", "") or ""
    federated.registered_at = federated.registered_at or timezone.now()
    federated.save(update_fields=["national_match", "registered_at"])
    national_coordinator_learn(federated=federated, coordinator=answer.get("coordinator"))
    if decide:
        national_coordinator_decide(decider=answer.get("decider"))


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
        if "national_match" in notice:
            federated.national_match = notice.get("national_match") or ""
            federated.save(update_fields=["national_match"])
        national_coordinator_learn(federated=federated, coordinator=notice.get("coordinator"))
        national_coordinator_decide(decider=notice.get("decider"))
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
            "sector": str(contact_details.get("sector", ""))[:32],
            "subtype": str(contact_details.get("subtype", ""))[:32],
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
    _match_state_store(federated, data, decide=False)
    remote_participant_record(
        signal=signal,
        deployment=data.get("from_deployment", ""),
        reference=data.get("from_reference", ""),
        state=data.get("from_state", SignalState.ACTIVE),
        placed_on=data.get("from_placed_on"),
        kinds=data.get("kinds", []),
        contact_details=data.get("contact") or {},
    )
    national_coordinator_decide(decider=data.get("decider"))
    return {"contact": exchange_contact(signal), "state": signal.status}


# --- one national match, one coordinator by the rules (docs/federation.md "One match, one coordinator") ---------


def exchange_contact(signal: Signal) -> dict:
    """What an exchange carries of our professional: the contact details of the signal and the kind of organisation
    (sector, subtype), which the deciding deployment's coordinator rules look at. Relayed by the hub, never kept."""
    return {**(contact(signal) or {}), "sector": signal.organisation.sector, "subtype": signal.organisation.subtype}


def national_coordinator_learn(*, federated: FederatedSignal, coordinator: dict | None) -> None:
    """The national match's coordinator as the hub says it now, for this signal and for our other signals in the same
    national match (one match, one coordinator); where it changed, the local matches take it and their active
    professionals get matching's "coordinator changed" e-mail (once per change: the match's version)."""
    key = ((coordinator or {}).get("deployment", ""), (coordinator or {}).get("reference", ""))
    ids = {federated.pk}
    if federated.national_match:
        ids |= set(FederatedSignal.objects.filter(national_match=federated.national_match).values_list("pk", flat=True))
    stale = FederatedSignal.objects.filter(pk__in=ids).exclude(
        coordinator_deployment=key[0], coordinator_reference=key[1]
    )
    signal_ids = list(stale.values_list("signal_id", flat=True))
    federated.coordinator_deployment, federated.coordinator_reference = key
    if not signal_ids:
        return
    FederatedSignal.objects.filter(signal_id__in=signal_ids).update(
        coordinator_deployment=key[0], coordinator_reference=key[1]
    )
    match_ids = set(MatchParticipation.objects.filter(signal_id__in=signal_ids).values_list("match_id", flat=True))
    if match_ids:
        matches_coordinator_national_refresh(match_ids=match_ids, reason="national")


@dataclass(frozen=True)
class _Kind:
    sector: str
    subtype: str


@dataclass(frozen=True)
class _Candidate:
    """A participant of the national match as the region's rules see it: where it is and its kind of organisation."""

    deployment: str
    reference: str
    organisation: _Kind
    placed_on: datetime.date
    local: bool


def national_coordinator_choice(federated: FederatedSignal) -> tuple[str, str] | None:
    """The coordinator of our signal's national match by the rules of the region where its youth lives (matching's
    own choice, coordinator_by_rules), over our active signals in the national match and the other deployments'
    active participants we know (from the exchanges); None when the signal cannot decide (not active, no match).

    The deciding signal comes first: when no rule fits anyone, it is the coordinator (as the hub's stand-in)."""
    if not federated.national_match or federated.withdrawn_at:
        return None
    ours = dict(
        FederatedSignal.objects.filter(national_match=federated.national_match, withdrawn_at=None).values_list(
            "signal_id", "reference"
        )
    )
    own_id = settings.FEDERATION_DEPLOYMENT_ID
    local = [
        _Candidate(
            deployment=own_id,
            reference=ours[s.pk],
            organisation=_Kind(s.organisation.sector, s.organisation.subtype),
            placed_on=timezone.localdate(s.placed_at),
            local=True,
        )
        for s in Signal.objects.filter(pk__in=list(ours), status=SignalStatus.ACTIVE)
        .select_related("organisation")
        .order_by("placed_at", "id")
    ]
    decider = next((c for c in local if c.reference == federated.reference), None)
    if decider is None:
        return None
    remote: dict[tuple[str, str], _Candidate] = {}
    for r in RemoteParticipant.objects.filter(signal_id__in=list(ours), state=SignalState.ACTIVE).order_by("id"):
        remote.setdefault(
            (r.deployment, r.reference),
            _Candidate(r.deployment, r.reference, _Kind(r.sector, r.subtype), r.placed_on, False),
        )
    others = [c for c in local if c is not decider] + list(remote.values())
    # earliest first, ours before another's on the same day (we know only the day of theirs)
    others.sort(key=lambda c: (c.placed_on, not c.local))
    rules = youth_rules_of([federated.signal_id]).get(federated.signal_id)
    chosen = coordinator_by_rules(rules, [decider, *others])
    return (chosen.deployment, chosen.reference)


def national_coordinator_decide(*, decider: dict | None) -> None:
    """When one of our signals is the deciding signal of its national match and the rules choose another coordinator
    than the hub names, queue the decision (made again when sent, with what is known then)."""
    if not decider or decider.get("deployment") != settings.FEDERATION_DEPLOYMENT_ID:
        return
    federated = FederatedSignal.objects.filter(reference=decider.get("reference"), withdrawn_at=None).first()
    if federated is None:
        return
    chosen = national_coordinator_choice(federated)
    if chosen is None or chosen == (federated.coordinator_deployment, federated.coordinator_reference):
        return
    waiting = OutboxMessage.objects.filter(
        operation="coordinator", signal_id=federated.signal_id, state=OutboxState.PENDING
    )
    if not waiting.exists():
        _enqueue(operation="coordinator", signal_id=federated.signal_id, key=f"c-{uuid.uuid4().hex}")


def national_coordinator_send(*, federated: FederatedSignal, signal: Signal, idempotency_key: str) -> None:
    """The outbox's "coordinator": the decision of the deciding signal, reported to the hub, which accepts it only
    from the deployment that holds that signal, and spreads it (notices; registration and exchange answers)."""
    if signal.status != SignalStatus.ACTIVE:
        return
    chosen = national_coordinator_choice(federated)
    if chosen is None or chosen == (federated.coordinator_deployment, federated.coordinator_reference):
        return
    answer = _hub_call(
        "/federation/v1/matches/coordinator/",
        {"decider_reference": federated.reference, "coordinator": {"deployment": chosen[0], "reference": chosen[1]}},
        idempotency_key,
    )
    # not deciding again on our own decision's answer: should the hub name another (a rule of its own, such as an
    # accepted hand-over), this row must not queue the next one, and the next one the next (a loop in one run)
    _match_state_store(federated, answer, decide=False)


def national_parts_of_matches(match_ids) -> dict[int, NationalPart]:
    """matching's national_part hook: for local matches in a national match, its reference, its one coordinator
    (a signal of that match, or the contact details of one elsewhere) and the other deployments' participants."""
    if not linked():
        return {}
    participations = dict(
        MatchParticipation.objects.filter(match_id__in=list(match_ids)).values_list("signal_id", "match_id")
    )
    federated: dict[int, FederatedSignal] = {}
    for entry in (
        FederatedSignal.objects.filter(
            signal_id__in=list(participations), withdrawn_at=None, registered_at__isnull=False
        )
        .exclude(national_match="")
        .order_by("signal_id")
    ):
        match_id = participations[entry.signal_id]
        if match_id not in federated or (entry.coordinator_reference and not federated[match_id].coordinator_reference):
            federated[match_id] = entry
    if not federated:
        return {}
    coordinators = {(f.coordinator_deployment, f.coordinator_reference) for f in federated.values()}
    remote_rows = list(
        RemoteParticipant.objects.filter(
            signal_id__in=[pk for pk, match_id in participations.items() if match_id in federated]
        ).order_by("received_at", "id")
    )
    own_id = settings.FEDERATION_DEPLOYMENT_ID
    local_coordinators = dict(
        FederatedSignal.objects.filter(reference__in=[r for d, r in coordinators if d == own_id]).values_list(
            "reference", "signal_id"
        )
    )
    remote_coordinators = {
        (r.deployment, r.reference): r
        for r in RemoteParticipant.objects.filter(
            reference__in=[r for d, r in coordinators if d and d != own_id]
        ).order_by("-state", "id")  # "active" sorts last, so an active row's details win
    }
    result = {}
    for match_id, entry in federated.items():
        key = (entry.coordinator_deployment, entry.coordinator_reference)
        members: dict[tuple[str, str], list[RemoteParticipant]] = {}
        for row in remote_rows:
            if participations.get(row.signal_id) == match_id:
                members.setdefault((row.deployment, row.reference), []).append(row)
        remote = tuple(
            RemoteMember(
                name=rows[0].contact_name,
                organisation=rows[0].organisation,
                email=rows[0].contact_email,
                phone=rows[0].contact_phone,
                deployment=rows[0].deployment,
                archived=all(row.state == SignalState.ARCHIVED for row in rows),
                since=min(row.received_at for row in rows),
                kinds=tuple(sorted({kind for row in rows for kind in row.kinds})),
                is_coordinator=ref == key,
            )
            for ref, rows in members.items()
        )
        signal_id, shown = None, None
        if key[0] == own_id:
            coordinator_signal = local_coordinators.get(key[1])
            if participations.get(coordinator_signal) == match_id:
                signal_id = coordinator_signal
            elif coordinator_signal is not None:
                shown = contact(Signal.objects.select_related("organisation").filter(pk=coordinator_signal).first())
        elif key[0] and key in remote_coordinators:
            row = remote_coordinators[key]
            shown = {
                "name": row.contact_name,
                "organisation": row.organisation,
                "email": row.contact_email,
                "phone": row.contact_phone,
            }
        decided = bool(key[1]) and (signal_id is not None or shown is not None)
        result[match_id] = NationalPart(
            reference=entry.national_match,
            key=f"{key[0]}/{key[1]}" if decided else "",
            signal_id=signal_id,
            contact=shown,
            remote=remote,
        )
    return result
