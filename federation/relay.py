"""The hub's relay of a national match's follow-up: from its coordinator to the other deployments in the match.

The hub checks that the caller's signal is the coordinator of its national match and that every participant the
record names is a member of that match, then relays the record to each other deployment with a signal in it. It
keeps nothing of it but the call log (docs/federation.md, "Follow-up across deployments").
"""

import datetime

from django.utils import timezone

from . import protocol
from .hub import coordinator_of
from .models import HubSignal, SignalState, national_reference
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
