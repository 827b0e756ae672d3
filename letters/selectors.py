"""What fills in a letter: the region's name, rules, look and contacts, the sender, and (for a decision) the
request. Nothing about a youth: an informing letter is written before any signal exists, and a decision letter
names the requester and the request's reference, never the youth or a BSN."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Region
from regions.selectors import region_public_facts
from rights.models import Authority, RequestKind, RequestStatus, RightsRequest
from signals.services import contact_details

# the age groups of the informing letter (Jeugdwet §7.1: whom the professional informs)
UNDER_12 = "onder-12"
FROM_12_TO_16 = "12-tot-16"
FROM_16 = "16-plus"
AGE_GROUPS = {
    UNDER_12: _("jonger dan 12 jaar: aan de ouders of voogd"),
    FROM_12_TO_16: _("12 tot 16 jaar: aan de jongere en de ouders of voogd"),
    FROM_16: _("16 jaar en ouder: aan de jongere"),
}


@dataclass(frozen=True)
class Sender:
    name: str
    organisation: str
    email: str
    phone: str


def letter_facts(*, region: Region):
    """The region's rules and its municipalities' contact details, as the public page shows them."""
    return region_public_facts(region=region)


def region_primary_colour(region: Region) -> str:
    """The region's primary colour (design token) for the letter's heading; a plain dark blue when unset."""
    colour = str(region.theme_tokens.get("vi-color-primary", "")).strip()
    return colour if colour.startswith("#") and len(colour) in (4, 7) and colour[1:].isalnum() else "#154273"


def sender_of_professional(*, user, organisation) -> Sender:
    """The professional as matched colleagues see them (team mailbox and phone where the organisation set one)."""
    details = contact_details(professional=user, organisation=organisation)
    return Sender(
        name=details["contact_name"],
        organisation=organisation.name,
        email=details["contact_email"],
        phone=details["contact_phone"],
    )


GRANTED = "granted"
REFUSED = "refused"
OPEN = "open"


@dataclass(frozen=True)
class Decision:
    outcome: str  # GRANTED, REFUSED, or OPEN (no decision yet: no letter)
    reason: str
    decided_on: datetime.date | None


def decision_of(rights_request: RightsRequest) -> Decision:
    """What the municipality answers: a decided request upheld or rejected (with the process manager's reason); an
    inspection or copy handed over, or refused because the requester may not exercise the right."""
    moment = rights_request.decided_at or rights_request.completed_at
    decided_on = timezone.localdate(moment) if moment else None
    if rights_request.status == RequestStatus.UPHELD:
        return Decision(GRANTED, rights_request.decision_reason, decided_on)
    if rights_request.status == RequestStatus.REJECTED:
        return Decision(REFUSED, rights_request.decision_reason, decided_on)
    if rights_request.kind in (RequestKind.INSPECTION, RequestKind.COPY):
        if rights_request.authority == Authority.NOT_ALLOWED:
            return Decision(REFUSED, str(_refusal_for_authority(rights_request)), decided_on or timezone.localdate())
        if rights_request.status == RequestStatus.COMPLETED:
            return Decision(GRANTED, "", decided_on)
    return Decision(OPEN, "", None)


def _refusal_for_authority(rights_request: RightsRequest) -> str:
    age = rights_request.youth_age
    if age is not None and age >= 16:
        return _("De jongere is 16 jaar of ouder. Vanaf 16 jaar oefent de jongere dit recht zelf uit.")
    return _("U bent volgens onze gegevens niet bevoegd om dit recht namens de jeugdige uit te oefenen.")
