"""The hub's part in citizens' requests: a deployment registers a request, then asks once (for one youth) which
other deployments hold signals on that youth; the hub relays the question to those deployments only and relays
their answers back without keeping them (docs/federation.md, "Rights requests").

This is not a way to search: the hub relays only for a request the deployment registered (signed, logged), binds
the request to the first youth key it is asked about, allows a few inquiries per request and a limited number of
registrations per deployment and day. The answering deployments log each inquiry in their logbooks.
"""

import datetime
import hashlib
import logging
import time
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import protocol
from .hub import hub_keys
from .models import HubRightsRequest, HubSignal, KeyKind
from .protocol import Refused

REQUEST_KINDS = ("inspection", "copy", "correction", "objection")
MAX_INQUIRIES_PER_REQUEST = 3

logger = logging.getLogger(__name__)


def rights_request_register(*, deployment: str, data: dict) -> dict:
    """Register a citizen's request of this deployment (an opaque reference); limited per deployment and day."""
    reference = data.get("reference")
    if not isinstance(reference, str) or not 16 <= len(reference) <= 64:
        raise Refused(400, "bad_reference")
    if data.get("kind") not in REQUEST_KINDS:
        raise Refused(400, "bad_kind")
    if HubRightsRequest.objects.filter(deployment=deployment, reference=reference).exists():
        return {"reference": reference, "registered": True}
    since = timezone.now() - datetime.timedelta(days=1)
    if (
        HubRightsRequest.objects.filter(deployment=deployment, registered_at__gte=since).count()
        >= settings.FEDERATION_RIGHTS_LIMIT_PER_DAY
    ):
        raise Refused(429, "rate_limited")
    # get_or_create: the same request registered twice at the same moment (two keys) is one request
    HubRightsRequest.objects.get_or_create(deployment=deployment, reference=reference, defaults={"kind": data["kind"]})
    return {"reference": reference, "registered": True}


def rights_inquiry_check(*, deployment: str, data: dict) -> tuple[HubRightsRequest, list[HubSignal]]:
    """The registered request this inquiry is for, and the other deployments' signals holding the youth's key."""
    rights_request = (
        HubRightsRequest.objects.select_for_update()
        .filter(deployment=deployment, reference=data.get("reference"))
        .first()
    )
    if rights_request is None:
        raise Refused(403, "rights_request_not_registered")
    if data.get("key_id") not in hub_keys():
        raise Refused(400, "unknown_key_id")
    key = data.get("key") if isinstance(data.get("key"), dict) else {}
    kind, value = key.get("kind"), key.get("value")
    if kind != KeyKind.YOUTH or not isinstance(value, str) or len(value) != 128:
        raise Refused(400, "bad_keys")
    try:
        bytes.fromhex(value)
    except ValueError:
        raise Refused(400, "bad_keys") from None
    digest = hashlib.sha256(f"{data['key_id']}:{value}".encode()).hexdigest()
    if rights_request.key_digest and rights_request.key_digest != digest:
        # one request is about one youth: it cannot be used to ask about another
        raise Refused(403, "rights_request_other_youth")
    if rights_request.inquiries >= MAX_INQUIRIES_PER_REQUEST:
        raise Refused(429, "rate_limited")
    rights_request.key_digest = digest
    rights_request.inquiries += 1
    rights_request.save(update_fields=["key_digest", "inquiries"])
    holders = list(
        HubSignal.objects.filter(keys__kind=kind, keys__value=value, key_id=data["key_id"])
        .exclude(deployment=deployment)
        .order_by("deployment", "pk")
    )
    return rights_request, holders


def rights_inquiry_relay(*, deployment: str, data: dict, peers: dict) -> dict:
    """Ask each deployment that holds a signal with the youth's key about those signals (named by reference) and
    answer what they say; a deployment that cannot be reached is named, so the answer is known to be incomplete."""
    rights_request, holders = rights_inquiry_check(deployment=deployment, data=data)
    by_deployment = defaultdict(list)
    for signal in holders:
        by_deployment[signal.deployment].append(signal.reference)
    answered, unavailable = [], []
    for other, references in sorted(by_deployment.items()):
        peer = peers.get(other)
        if peer is None or not peer.url:
            unavailable.append(other)
            continue
        try:
            answer = protocol.call(
                base_url=peer.url,
                path="/federation/v1/rights/inquiry/",
                data={
                    "from_deployment": deployment,
                    "request_reference": rights_request.reference,
                    "kind": rights_request.kind,
                    "references": references,
                },
                idempotency_key=f"rights-{deployment}-{data.get('_idempotency_key', '')}"[:64],
                peer=other,
                peer_certificate=peer.certificate,
            )
        except protocol.ProtocolError:
            unavailable.append(other)
            continue
        wanted = set(references)
        signals = [s for s in answer.get("signals") or [] if isinstance(s, dict) and s.get("reference") in wanted]
        answered.append({"deployment": other, "signals": signals})
    return {"reference": rights_request.reference, "deployments": answered, "unavailable": unavailable}


# --- retention ------------------------------------------------------------------------------------------------

SWEEP_BATCH = 1000


def hub_rights_requests_sweep(*, now: datetime.datetime | None = None, budget_seconds: float = 45.0) -> int:
    """Delete registered requests older than FEDERATION_RIGHTS_REQUEST_KEEP_DAYS (a request is answered within the
    longest lawful period, three months under the AVG, so a registration is of no use after it). Bounded (core/sweeps,
    docs/adr/0050): batches of SWEEP_BATCH rows, each in its own short transaction, until none is left or the time
    budget is spent (the next run takes the rest). Returns the number deleted; logs it, never a reference."""
    keep_days = settings.FEDERATION_RIGHTS_REQUEST_KEEP_DAYS
    if keep_days < 1:
        # a period of 0 would delete every request before it is answered (Amsterdam Signalen's retention refuses
        # dangerous settings the same way)
        raise ValueError("FEDERATION_RIGHTS_REQUEST_KEEP_DAYS must be at least 1")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days)
    started = time.monotonic()
    deleted = 0
    while time.monotonic() - started <= budget_seconds:
        with transaction.atomic():
            ids = list(
                HubRightsRequest.objects.filter(registered_at__lt=cutoff)
                .order_by("registered_at", "id")
                .values_list("id", flat=True)[:SWEEP_BATCH]
            )
            if not ids:
                break
            deleted += HubRightsRequest.objects.filter(pk__in=ids).delete()[0]
    logger.info("hub rights requests sweep: %s registered before %s deleted", deleted, cutoff.date().isoformat())
    return deleted
