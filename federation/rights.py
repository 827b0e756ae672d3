"""A regional deployment's part in citizens' requests across deployments (docs/federation.md, "Rights requests").

Asking: for a request registered here, municipal staff fetch the signals other deployments hold on the youth: the
youth's national key is computed through the hub's OPRF, the request is registered at the hub under an opaque
reference, and the hub relays the inquiry to the deployments that hold a signal with that key. What they answer is
kept with the request (RemoteSignalListing) and shown in the overview; the inquiry is logged here.
Answering: the hub names our signals (by reference) that hold the key; we answer what the overview would show of
them and log, per signal, which deployment asked for which request.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from audit import events as audit_events
from persons.bsn import bsn_decrypt
from signals.models import Signal, SignalStatus

from . import protocol, regional
from .models import FederatedSignal, RemoteSignalListing, SignalState


def rights_reference(rights_request_id: int) -> str:
    """The request's reference at the hub: keyed, so it says nothing (not even how many requests there were), and
    this deployment can always tell which of its requests a reference in another deployment's logbook is."""
    return salted_hmac("federation.rights.reference", str(rights_request_id)).hexdigest()[:32]


def youth_key(bsn: str, *, idempotency_key: str) -> tuple[str, str]:
    """(hub key id, the youth's national key) through one OPRF round trip: the hub never sees the BSN."""
    national = regional.keys_evaluate([regional.key_input("youth", bsn)], idempotency_key=idempotency_key)
    return national.key_id, national.keys[0]["value"]


def remote_signals_fetch(*, rights_request, actor, request=None) -> list[RemoteSignalListing]:
    """Ask the other deployments, through the hub, which signals they hold on the youth of this request; keep and
    return their answer. Raises ValidationError when the hub cannot be reached or refuses (nothing is kept then)."""
    if not regional.linked():
        raise ValidationError(_("Deze verwijsindex is niet gekoppeld aan de landelijke hub."))
    if not rights_request.is_open:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    reference = rights_reference(rights_request.pk)
    try:
        regional.hub_call(
            "/federation/v1/rights/register/", {"reference": reference, "kind": rights_request.kind}, reference
        )
        key_id, key = youth_key(
            bsn_decrypt(rights_request.bsn_encrypted), idempotency_key=f"rights-oprf-{uuid.uuid4().hex}"
        )
        answer = regional.hub_call(
            "/federation/v1/rights/inquire/",
            {"reference": reference, "key_id": key_id, "key": {"kind": "youth", "value": key}},
            f"rights-{uuid.uuid4().hex}",
        )
    except protocol.ProtocolError as error:
        if error.status == 429:
            raise ValidationError(
                _("De landelijke hub weigert meer verzoeken van deze verwijsindex voor vandaag; probeer het later.")
            ) from None
        raise ValidationError(
            _("De andere verwijsindexen konden nu niet worden gevraagd (de landelijke hub is niet bereikbaar).")
        ) from None
    rows = []
    for entry in answer.get("deployments") or []:
        for item in entry.get("signals") or []:
            rows.append(_listing(rights_request.pk, entry, item))
    with transaction.atomic():
        RemoteSignalListing.objects.filter(rights_request_id=rights_request.pk).delete()
        RemoteSignalListing.objects.bulk_create(rows)
        audit_events.federation_rights_inquiry_sent(
            actor=actor,
            request=request,
            region_id=rights_request.region_id,
            youth_pseudonym=rights_request.youth_pseudonym,
            rights_request=rights_request.pk,
            deployments=sorted(entry.get("deployment", "") for entry in answer.get("deployments") or []),
            signals=len(rows),
            unavailable=sorted(answer.get("unavailable") or []),
        )
    if answer.get("unavailable"):
        raise IncompleteAnswer(rows, answer["unavailable"])
    return rows


class IncompleteAnswer(Exception):
    """Some deployments that hold signals on the youth could not be reached: what the others said is kept."""

    def __init__(self, rows, unavailable):
        super().__init__(", ".join(unavailable))
        self.rows, self.unavailable = rows, unavailable


def _listing(rights_request_id: int, entry: dict, item: dict) -> RemoteSignalListing:
    def day(value):
        try:
            return datetime.date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    return RemoteSignalListing(
        rights_request_id=rights_request_id,
        deployment=str(entry.get("deployment", ""))[:64],
        region_name=str(item.get("region", ""))[:200],
        organisation=str(item.get("organisation", ""))[:200],
        contact_name=str(item.get("professional", ""))[:200],
        placed_on=day(item.get("placed_on")) or timezone.localdate(),
        ended_on=day(item.get("ended_on")),
        end_reason=str(item.get("end_reason", ""))[:200],
        state=item.get("state") if item.get("state") in SignalState.values else SignalState.ACTIVE,
    )


def rights_inquiry_answer(*, data: dict) -> dict:
    """A request of another deployment relayed by the hub: what the overview shows of our signals it names (the hub
    found them by the youth's key). Each signal answered is logged in the youth's logbook here."""
    references = [r for r in data.get("references") or [] if isinstance(r, str)][:50]
    federated = dict(
        FederatedSignal.objects.filter(reference__in=references, withdrawn_at=None).values_list(
            "signal_id", "reference"
        )
    )
    signals = (
        Signal.objects.filter(pk__in=list(federated))
        .select_related("organisation__region", "youth")
        .order_by("placed_at", "pk")
    )
    answered = []
    for signal in signals:
        answered.append(
            {
                "reference": federated[signal.pk],
                "region": signal.organisation.region.name,
                "organisation": signal.organisation.name,
                "professional": signal.contact_name,
                "placed_on": timezone.localdate(signal.placed_at).isoformat(),
                "ended_on": timezone.localdate(signal.ended_at).isoformat() if signal.ended_at else None,
                "end_reason": signal.get_end_reason_display() if signal.end_reason else "",
                "state": SignalState.ACTIVE if signal.status == SignalStatus.ACTIVE else SignalState.ARCHIVED,
            }
        )
        audit_events.federation_rights_inquiry_answered(
            region_id=signal.organisation.region_id,
            youth_pseudonym=signal.youth.pseudonym,
            signal_id=signal.pk,
            from_deployment=str(data.get("from_deployment", ""))[:64],
            request_reference=str(data.get("request_reference", ""))[:64],
            kind=str(data.get("kind", ""))[:16],
        )
    return {"signals": answered}
