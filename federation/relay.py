"""The hub's relay of a national match's follow-up: from its coordinator to the other deployments in the match.

The hub checks that the caller's signal is the coordinator of its national match and that every participant the
record names is a member of that match, then relays the record to each other deployment with a signal in it. It
keeps nothing of it but the call log (docs/federation.md, "Follow-up across deployments").

Also the hand-over of the coordinator role to a signal in another deployment: the hub keeps the proposal and the
accepted hand-over by references only (HubHandover) and tells the deployments by notices.
"""

import datetime

from django.utils import timezone

from . import protocol
from .hub import coordinator_changes_notify, coordinator_of, coordinators_of_matches
from .models import HubHandover, HubNotice, HubSignal, SignalState, national_reference
from .protocol import Refused

MAX_CONTACTS = 200


def _date(value) -> str | None:
    """An ISO date or None; the hub refuses what cannot be a date of contact (the deployment checks the rules)."""
    if value is None:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Refused(400, "bad_date") from None
    # a day of slack for clocks around midnight; the deployment refuses a date in the future itself
    if day > timezone.localdate() + datetime.timedelta(days=1):
        raise Refused(400, "bad_date")
    return day.isoformat()


def follow_up_check(*, deployment: str, data: dict) -> tuple[HubSignal, list[HubSignal], dict]:
    """The caller's signal must be the coordinator of its national match, and every contact a member of it."""
    own = HubSignal.objects.filter(deployment=deployment, reference=data.get("from_reference")).first()
    if own is None or own.state != SignalState.ACTIVE or not own.national_match:
        raise Refused(403, "not_matched")
    coordinator = coordinator_of(own.national_match)
    if coordinator is None or coordinator.pk != own.pk:
        raise Refused(403, "not_coordinator")
    members = list(HubSignal.objects.filter(national_match=own.national_match).order_by("pk"))
    known = {(m.deployment, m.reference) for m in members}
    contacts = data.get("contacts")
    if not isinstance(contacts, list) or len(contacts) > MAX_CONTACTS:
        raise Refused(400, "bad_contacts")
    clean = []
    for entry in contacts:
        if not isinstance(entry, dict):
            raise Refused(400, "bad_contacts")
        member = (entry.get("deployment"), entry.get("reference"))
        if member not in known:
            raise Refused(403, "not_matched")
        clean.append(
            {"deployment": member[0], "reference": member[1], "contact_made_on": _date(entry.get("contact_made_on"))}
        )
    try:
        recorded_at = datetime.datetime.fromisoformat(data.get("recorded_at", ""))
    except (TypeError, ValueError):
        raise Refused(400, "bad_date") from None
    record = {
        "national_match": national_reference(own.national_match),
        "coordinator": {"deployment": own.deployment, "reference": own.reference},
        "coordination_agreed_on": _date(data.get("coordination_agreed_on")),
        "contacts": clean,
        "recorded_at": recorded_at.isoformat(),
    }
    return own, members, record


def follow_up_relay(*, deployment: str, data: dict, peers: dict) -> dict:
    """Relay the coordinator's follow-up record to every other deployment in the national match.

    A deployment that is down makes the call fail (502) and the coordinator's outbox sends again; the receivers keep
    the newest record by `recorded_at`, so a record relayed twice changes nothing."""
    _own, members, record = follow_up_check(deployment=deployment, data=data)
    by_deployment: dict[str, list[str]] = {}
    for member in members:
        if member.deployment != deployment:
            by_deployment.setdefault(member.deployment, []).append(member.reference)
    delivered, unavailable = [], []
    for other, references in sorted(by_deployment.items()):
        peer = peers.get(other)
        if peer is None or not peer.url:
            unavailable.append(other)
            continue
        try:
            protocol.call(
                base_url=peer.url,
                path="/federation/v1/follow-up/",
                data={**record, "to_references": references},
                idempotency_key=f"fu-{other}-{data.get('_idempotency_key', '')}"[:64],
                peer=other,
                peer_certificate=peer.certificate,
            )
        except protocol.ProtocolError as error:
            if error.status == 410:  # every signal of it there is gone: nothing to tell
                continue
            unavailable.append(other)
            continue
        delivered.append(other)
    if unavailable:
        raise Refused(502, "peer_unavailable")
    return {"national_match": record["national_match"], "delivered": delivered}


# --- hand-over of the coordinator role across deployments -----------------------------------------------------


def _ref(signal: HubSignal) -> dict:
    return {"deployment": signal.deployment, "reference": signal.reference}


def handover_propose(*, deployment: str, data: dict) -> dict:
    """The coordinator proposes another active signal of its national match (of another deployment, or of its own);
    that signal's deployment hears it by a notice (and e-mails its professional a link to accept or decline)."""
    own = HubSignal.objects.filter(deployment=deployment, reference=data.get("from_reference")).first()
    if own is None or own.state != SignalState.ACTIVE or not own.national_match:
        raise Refused(403, "not_matched")
    if coordinator_of(own.national_match) != own:
        raise Refused(403, "not_coordinator")
    target = HubSignal.objects.filter(deployment=data.get("to_deployment"), reference=data.get("to_reference")).first()
    # the target may be in the caller's own deployment: a hand-over between two of its professionals in a national
    # match is recorded here too, or the next decision by the rules would undo it
    if (
        target is None
        or target.pk == own.pk
        or target.national_match != own.national_match
        or target.state != SignalState.ACTIVE
    ):
        raise Refused(403, "not_matched")
    # one proposal at a time per national match: a new one replaces what was pending
    HubHandover.objects.filter(from_signal__national_match=own.national_match, accepted_at=None).delete()
    HubHandover.objects.create(from_signal=own, to_signal=target)
    HubNotice.objects.create(
        deployment=target.deployment,
        reference=target.reference,
        event="handover_proposed",
        from_deployment=own.deployment,
        from_reference=own.reference,
    )
    return {"national_match": national_reference(own.national_match), "proposed": _ref(target)}


def handover_answer(*, deployment: str, data: dict) -> dict:
    """The proposed signal's deployment accepts or declines. Accepted: the hub names it the coordinator (while it
    is active) and every member whose coordinator changed hears it by a notice; the proposer hears the answer."""
    accept = data.get("accept")
    if not isinstance(accept, bool):
        raise Refused(400, "bad_request")
    target = HubSignal.objects.filter(deployment=deployment, reference=data.get("reference")).first()
    proposal = (
        HubHandover.objects.select_for_update().filter(to_signal=target, accepted_at=None).first() if target else None
    )
    if target is None or proposal is None:
        raise Refused(403, "no_proposal")
    proposer = HubSignal.objects.get(pk=proposal.from_signal_id)
    number = target.national_match
    if (
        target.state != SignalState.ACTIVE
        or not number
        or proposer.national_match != number
        or coordinator_of(number) != proposer
    ):
        # the proposer is no longer the coordinator (or either signal left the match): nothing changes
        raise Refused(409, "proposal_lapsed")
    if accept:
        before = coordinators_of_matches([number])
        HubHandover.objects.filter(accepted_at__isnull=False, to_signal__national_match=number).delete()
        proposal.accepted_at = timezone.now()
        proposal.save(update_fields=["accepted_at"])
        coordinator_changes_notify(before, [number])
    else:
        proposal.delete()
    HubNotice.objects.create(
        deployment=proposer.deployment,
        reference=proposer.reference,
        event="handover_accepted" if accept else "handover_declined",
        from_deployment=target.deployment,
        from_reference=target.reference,
    )
    coordinator = coordinator_of(number)
    return {
        "national_match": national_reference(number),
        "coordinator": _ref(coordinator) if coordinator else None,
    }
