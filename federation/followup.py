"""Follow-up of a national match across deployments (docs/federation.md, "Follow-up across deployments").

The coordinator of the national match (the hub's decision, kept on each FederatedSignal) records, per participating
professional, the date contact was made and, for the match, the date coordination was agreed. Its deployment
keeps the record (NationalFollowUp) and sends it through the hub to every other deployment in the national match,
which keeps it beside its RemoteParticipants and shows it on the national match page. Only the coordinator's
deployment's monitor lists the match (a match is followed up in one region only).
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit_events
from matching.exceptions import MatchActionRefused, NotAParticipant, NotCoordinator
from matching.models import MatchParticipation
from matching.selectors import FollowUpDue
from signals.models import Signal, SignalStatus
from signals.selectors import may_act_on_signal
from signals.services import on_behalf_of

from . import protocol
from .models import FederatedSignal, NationalFollowUp, OutboxMessage, RemoteParticipant, SignalState
from .tasks import outbox_send_soon

FOLLOW_UP_PATH = "/federation/v1/follow-up/"


def _own_id() -> str:
    return settings.FEDERATION_DEPLOYMENT_ID


def is_national_coordinator(federated: FederatedSignal | None) -> bool:
    return bool(
        federated is not None
        and federated.national_match
        and federated.coordinator_deployment == _own_id()
        and federated.coordinator_reference == federated.reference
    )


def record_of(federated: FederatedSignal | None) -> NationalFollowUp | None:
    """The follow-up of this signal's national match as its coordinator last recorded it (None: nothing yet).

    Kept per national match, not per coordinator: after a hand-over the new coordinator goes on from it, as the
    follow-up of a match inside one deployment stays with the match."""
    if federated is None or not federated.national_match:
        return None
    return NationalFollowUp.objects.filter(national_match=federated.national_match).first()


def _members_here(national_match: str) -> list[FederatedSignal]:
    return list(FederatedSignal.objects.filter(national_match=national_match, withdrawn_at=None).order_by("signal_id"))


def remote_participants_of(national_match: str) -> list[RemoteParticipant]:
    """The other deployments' active signals in the national match known here, once each (earliest received)."""
    signal_ids = [f.signal_id for f in _members_here(national_match)]
    seen: dict[tuple[str, str], RemoteParticipant] = {}
    for remote in RemoteParticipant.objects.filter(signal_id__in=signal_ids, state=SignalState.ACTIVE).order_by(
        "received_at", "id"
    ):
        seen.setdefault((remote.deployment, remote.reference), remote)
    return list(seen.values())


def arose_on(national_match: str) -> datetime.date | None:
    """The day this deployment learnt of the national match: the first contact details received for it."""
    first = (
        RemoteParticipant.objects.filter(signal_id__in=[f.signal_id for f in _members_here(national_match)])
        .order_by("received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def date_error(value: datetime.date | None, *, arose: datetime.date | None) -> str | None:
    """The same rules as inside one deployment: not in the future, not before the match arose."""
    if value is None:
        return None
    if value > timezone.localdate():
        return _("Deze datum ligt in de toekomst.")
    if arose is not None and value < arose:
        return _("Deze datum ligt vóór het ontstaan van de match (%(date)s).") % {"date": arose.strftime("%d-%m-%Y")}
    return None


def local_contacts_of(coordinator: FederatedSignal) -> list[dict]:
    """This deployment's other active signals in the national match, with contact as the local follow-up holds it."""
    members = [f for f in _members_here(coordinator.national_match) if f.signal_id != coordinator.signal_id]
    participations = {
        p.signal_id: p.contact_made_on
        for p in MatchParticipation.objects.filter(
            signal_id__in=[f.signal_id for f in members], signal__status=SignalStatus.ACTIVE
        )
    }
    active = set(
        Signal.objects.filter(pk__in=[f.signal_id for f in members], status=SignalStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    return [
        {
            "deployment": _own_id(),
            "reference": f.reference,
            "contact_made_on": participations[f.signal_id].isoformat() if participations.get(f.signal_id) else None,
        }
        for f in members
        if f.signal_id in active
    ]


def _store_and_send(
    *, coordinator: FederatedSignal, remote: dict[tuple[str, str], datetime.date | None], agreed
) -> NationalFollowUp:
    """Keep the record here and queue it for the hub (in the caller's transaction)."""
    now = timezone.now()
    contacts = local_contacts_of(coordinator) + [
        {"deployment": d, "reference": r, "contact_made_on": value.isoformat() if value else None}
        for (d, r), value in sorted(remote.items())
    ]
    record, _created = NationalFollowUp.objects.update_or_create(
        national_match=coordinator.national_match,
        defaults={
            "coordinator_deployment": _own_id(),
            "coordinator_reference": coordinator.reference,
            "coordination_agreed_on": agreed,
            "contacts": contacts,
            "recorded_at": now,
            "received_at": now,
        },
    )
    OutboxMessage.objects.create(
        idempotency_key=f"fu-{uuid.uuid4().hex}",
        operation="follow_up",
        signal_id=coordinator.signal_id,
        body={
            "coordination_agreed_on": agreed.isoformat() if agreed else None,
            "contacts": contacts,
            "recorded_at": now.isoformat(),
        },
    )
    outbox_send_soon()
    return record


def national_follow_up_record(
    *,
    signal: Signal,
    actor,
    contacts: dict[tuple[str, str], datetime.date | None],
    coordination_agreed_on: datetime.date | None,
) -> NationalFollowUp:
    """The national coordinator records contact with the professionals in other deployments and the agreement.

    `contacts` maps (deployment, reference) of the national match's active remote participants to a date (or None);
    contact with this deployment's own participants is recorded on the local match (its follow-up page)."""
    with transaction.atomic():
        federated = FederatedSignal.objects.select_for_update().filter(signal_id=signal.pk).first()
        signal = Signal.objects.select_related("organisation").get(pk=signal.pk)
        if (
            not is_national_coordinator(federated)
            or signal.status != SignalStatus.ACTIVE
            or not may_act_on_signal(user=actor, signal=signal)
        ):
            raise NotCoordinator()
        assert federated is not None  # is_national_coordinator says so
        known = {(r.deployment, r.reference) for r in remote_participants_of(federated.national_match)}
        if set(contacts) - known:
            raise NotAParticipant()
        arose = arose_on(federated.national_match)
        for value in (*contacts.values(), coordination_agreed_on):
            error = date_error(value, arose=arose)
            if error:
                raise MatchActionRefused(error)
        previous = record_of(federated)
        remote = {key: (previous.contact_of(*key) if previous else None) for key in known}
        remote.update(contacts)
        record = _store_and_send(coordinator=federated, remote=remote, agreed=coordination_agreed_on)
        audit_events.federation_follow_up_recorded(
            actor=actor,
            signal_id=signal.pk,
            national_match=federated.national_match,
            contacts={f"{d}/{r}": value.isoformat() if value else None for (d, r), value in sorted(contacts.items())},
            coordination_agreed_on=coordination_agreed_on.isoformat() if coordination_agreed_on else None,
            **on_behalf_of(signal, actor),
        )
    return record


def on_local_follow_up_recorded(match, participations, first_time) -> None:
    """matching's hook: contact recorded on the local match of a national coordinator travels with the record."""
    if not (settings.FEDERATION_HUB_URL and _own_id()) or match.coordinator_signal_id is None:
        return
    federated = FederatedSignal.objects.filter(signal_id=match.coordinator_signal_id).first()
    if not is_national_coordinator(federated):
        return
    assert federated is not None
    previous = record_of(federated)
    remote = {
        (r.deployment, r.reference): previous.contact_of(r.deployment, r.reference) if previous else None
        for r in remote_participants_of(federated.national_match)
    }
    _store_and_send(coordinator=federated, remote=remote, agreed=previous.coordination_agreed_on if previous else None)


# --- over the wire --------------------------------------------------------------------------------------------


def follow_up_send(message: OutboxMessage, federated: FederatedSignal, hub_call) -> None:
    """The outbox's call: the record to the hub, which checks and relays it (raises ProtocolError on failure)."""
    hub_call(FOLLOW_UP_PATH, {**message.body, "from_reference": federated.reference}, message.idempotency_key)


def follow_up_receive(*, data: dict) -> dict:
    """A record relayed by the hub (it checked that the sender coordinates the national match): kept unless an
    equally new or newer one is kept already; our signals in the match learn who their coordinator is."""
    references = [r for r in data.get("to_references") or [] if isinstance(r, str)]
    ours = list(FederatedSignal.objects.filter(reference__in=references, withdrawn_at=None))
    if not ours:
        raise protocol.Refused(410, "signal_gone")
    coordinator = data.get("coordinator") or {}
    try:
        recorded_at = datetime.datetime.fromisoformat(data.get("recorded_at", ""))
        agreed = data.get("coordination_agreed_on")
        agreed = datetime.date.fromisoformat(agreed) if agreed else None
    except (TypeError, ValueError):
        raise protocol.Refused(400, "bad_date") from None
    national_match = str(data.get("national_match", ""))[:16]
    kept = NationalFollowUp.objects.select_for_update().filter(national_match=national_match).first()
    stored = kept is None or kept.recorded_at < recorded_at
    if stored:
        NationalFollowUp.objects.update_or_create(
            national_match=national_match,
            defaults={
                "coordinator_deployment": str(coordinator.get("deployment", ""))[:64],
                "coordinator_reference": str(coordinator.get("reference", ""))[:64],
                "coordination_agreed_on": agreed,
                "contacts": [
                    {
                        "deployment": str(c.get("deployment", ""))[:64],
                        "reference": str(c.get("reference", ""))[:64],
                        "contact_made_on": c.get("contact_made_on"),
                    }
                    for c in data.get("contacts") or []
                    if isinstance(c, dict)
                ],
                "recorded_at": recorded_at,
                "received_at": timezone.now(),
            },
        )
        # the hub checked that the sender coordinates the match: our signals in it learn that (matching's local
        # matches and e-mails follow, as for a coordinator notice)
        from .regional import national_coordinator_learn

        FederatedSignal.objects.filter(pk__in=[f.pk for f in ours]).update(national_match=national_match)
        ours[0].national_match = national_match
        national_coordinator_learn(
            federated=ours[0],
            coordinator={
                "deployment": str(coordinator.get("deployment", ""))[:64],
                "reference": str(coordinator.get("reference", ""))[:64],
            },
        )
        audit_events.federation_follow_up_received(
            signal_id=ours[0].signal_id,
            national_match=national_match,
            deployment=str(coordinator.get("deployment", ""))[:64],
        )
    return {"stored": stored}


# --- what a professional sees ---------------------------------------------------------------------------------


@dataclass
class FollowUpRow:
    name: str
    organisation: str
    contact_made_on: datetime.date | None
    is_viewer: bool = False


@dataclass
class FollowUpShown:
    national_match: str
    you_record: bool
    recorded_elsewhere: bool
    coordination_agreed_on: datetime.date | None
    recorded_at: datetime.datetime | None
    rows: list[FollowUpRow] = field(default_factory=list)


def follow_up_shown(*, signal: Signal) -> FollowUpShown | None:
    """The national match's follow-up as the professional of this (active) signal sees it: contact per participant
    (the viewer, the other deployments' professionals) and the agreement, as the coordinator recorded them."""
    if signal.status != SignalStatus.ACTIVE:
        return None
    federated = FederatedSignal.objects.filter(signal_id=signal.pk).first()
    if federated is None or not federated.national_match:
        return None
    record = record_of(federated)
    you_record = is_national_coordinator(federated)
    rows = []
    if not you_record:
        rows.append(
            FollowUpRow(
                name=signal.contact_name,
                organisation=signal.organisation.name,
                contact_made_on=record.contact_of(_own_id(), federated.reference) if record else None,
                is_viewer=True,
            )
        )
    for remote in RemoteParticipant.objects.filter(signal_id=signal.pk, state=SignalState.ACTIVE).order_by(
        "received_at", "id"
    ):
        if (remote.deployment, remote.reference) == (federated.coordinator_deployment, federated.coordinator_reference):
            continue
        rows.append(
            FollowUpRow(
                name=remote.contact_name,
                organisation=remote.organisation,
                contact_made_on=record.contact_of(remote.deployment, remote.reference) if record else None,
            )
        )
    return FollowUpShown(
        national_match=federated.national_match,
        you_record=you_record,
        recorded_elsewhere=federated.coordinator_deployment != _own_id(),
        coordination_agreed_on=record.coordination_agreed_on if record else None,
        recorded_at=record.recorded_at if record else None,
        rows=rows,
    )


# --- the monitor (matching's hooks) ---------------------------------------------------------------------------


@dataclass
class Named:
    name: str


@dataclass
class WaitingElsewhere:
    """A professional of another deployment without recorded contact, shaped like a signal for the monitor's page."""

    contact_name: str
    organisation: Named
    contact_email: str
    contact_phone: str
    pk: None = None  # no signal here


def _remote_waiting(match_ids=None, region=None) -> dict[int, tuple[datetime.datetime, list[WaitingElsewhere]]]:
    """Per local match whose signal coordinates a national match here: the remote participants without contact."""
    coordinators = list(
        FederatedSignal.objects.filter(
            coordinator_deployment=_own_id(),
            coordinator_reference=F("reference"),
            withdrawn_at=None,
            national_match__gt="",
        )
    )
    participations = MatchParticipation.objects.filter(
        signal_id__in=[f.signal_id for f in coordinators], signal__status=SignalStatus.ACTIVE
    )
    if match_ids is not None:
        participations = participations.filter(match_id__in=list(match_ids))
    if region is not None:
        participations = participations.filter(match__region=region)
    match_of = dict(participations.values_list("signal_id", "match_id"))
    result: dict[int, tuple[datetime.datetime, list[WaitingElsewhere]]] = {}
    for federated in coordinators:
        if federated.signal_id not in match_of:
            continue
        record = record_of(federated)
        for remote in remote_participants_of(federated.national_match):
            if record and record.contact_of(remote.deployment, remote.reference):
                continue
            since, people = result.get(match_of[federated.signal_id], (remote.received_at, []))
            people.append(
                WaitingElsewhere(
                    contact_name=remote.contact_name,
                    organisation=Named(remote.organisation),
                    contact_email=remote.contact_email,
                    contact_phone=remote.contact_phone,
                )
            )
            result[match_of[federated.signal_id]] = (min(since, remote.received_at), people)
    return result


def monitor_overdue_linked(*, region, cutoff) -> tuple[set[int], dict[int, datetime.datetime]]:
    """matching's monitor hook: the region's matches followed up by another deployment (their national coordinator
    is there), and those coordinated here with a remote participant waiting for contact since before `cutoff`."""
    if not (settings.FEDERATION_HUB_URL and _own_id()):
        return set(), {}
    elsewhere_signals = (
        FederatedSignal.objects.filter(national_match__gt="", withdrawn_at=None)
        .exclude(coordinator_deployment__in=["", _own_id()])
        .values_list("signal_id", flat=True)
    )
    elsewhere = set(
        MatchParticipation.objects.filter(signal_id__in=list(elsewhere_signals), match__region=region).values_list(
            "match_id", flat=True
        )
    )
    waiting = {
        match_id: since
        for match_id, (since, _people) in _remote_waiting(region=region).items()
        if since <= cutoff and match_id not in elsewhere
    }
    return elsewhere, waiting


def monitor_waiting_elsewhere(match_ids) -> dict[int, list[WaitingElsewhere]]:
    """matching's monitor hook: per listed match, the other deployments' professionals without recorded contact."""
    if not (settings.FEDERATION_HUB_URL and _own_id()):
        return {}
    return {match_id: people for match_id, (_since, people) in _remote_waiting(match_ids=match_ids).items()}


@dataclass
class UnmatchedOverdue:
    """A national match coordinated here by a signal in no local match, for the monitor's list (shaped like a match)."""

    reference: str
    pk: str
    waiting_since: datetime.datetime
    coordinator_signal: Signal
    participants: list[WaitingElsewhere]


def monitor_unmatched_overdue(*, region, cutoff) -> list[UnmatchedOverdue]:
    """matching's monitor hook: national matches coordinated by a signal of this region (its organisation's) that is
    in no local match, with a professional of another deployment waiting for contact since before `cutoff`."""
    if not (settings.FEDERATION_HUB_URL and _own_id()):
        return []
    coordinators = {
        f.signal_id: f
        for f in FederatedSignal.objects.filter(
            coordinator_deployment=_own_id(),
            coordinator_reference=F("reference"),
            withdrawn_at=None,
            national_match__gt="",
        )
    }
    signals = Signal.objects.filter(
        pk__in=list(coordinators), status=SignalStatus.ACTIVE, organisation__region=region, match_participation=None
    ).select_related("organisation")
    rows = []
    for signal in signals:
        federated = coordinators[signal.pk]
        record = record_of(federated)
        waiting = [
            remote
            for remote in remote_participants_of(federated.national_match)
            if not (record and record.contact_of(remote.deployment, remote.reference))
        ]
        if not waiting or min(r.received_at for r in waiting) > cutoff:
            continue
        rows.append(
            UnmatchedOverdue(
                reference=federated.national_match,
                pk=federated.national_match,
                waiting_since=min(r.received_at for r in waiting),
                coordinator_signal=signal,
                participants=[
                    WaitingElsewhere(
                        contact_name=r.contact_name,
                        organisation=Named(r.organisation),
                        contact_email=r.contact_email,
                        contact_phone=r.contact_phone,
                    )
                    for r in waiting
                ],
            )
        )
    return rows


# --- the coordinator's reminder on the start page (matching's hook) -------------------------------------------


def follow_ups_due_elsewhere(*, user, region, now) -> list:
    """National matches this professional coordinates (a signal of theirs through this region is the national
    coordinator) where contact with a professional of another deployment is not recorded within the follow-up days:
    those of the local match's region, or of the coordinator's region when the signal is in no local match. Each item
    links to the national follow-up page."""
    if not (settings.FEDERATION_HUB_URL and _own_id()):
        return []
    coordinators = {
        f.signal_id: f
        for f in FederatedSignal.objects.filter(
            coordinator_deployment=_own_id(),
            coordinator_reference=F("reference"),
            withdrawn_at=None,
            national_match__gt="",
        )
    }
    signals = Signal.objects.filter(
        pk__in=list(coordinators), professional=user, status=SignalStatus.ACTIVE, organisation__region=region
    ).order_by("placed_at", "id")
    days_of_match = dict(
        MatchParticipation.objects.filter(signal__in=signals).values_list("signal_id", "match__region__followup_days")
    )
    today = timezone.localdate(now)
    due = []
    for signal in signals:
        federated = coordinators[signal.pk]
        days = days_of_match.get(signal.pk) or region.followup_days
        record = record_of(federated)
        waiting = [
            timezone.localdate(remote.received_at + datetime.timedelta(days=days))
            for remote in remote_participants_of(federated.national_match)
            if not (record and record.contact_of(remote.deployment, remote.reference))
        ]
        waiting = [day for day in waiting if day <= today]
        if waiting:
            due.append(
                FollowUpDue(
                    federated.national_match,
                    min(waiting),
                    len(waiting),
                    url=reverse("federation:national_follow_up", kwargs={"signal_id": signal.pk}),
                )
            )
    return due
