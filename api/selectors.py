"""Reads for the API, always scoped to the calling client's organisation."""

from django.db.models import QuerySet

from accounts.models import Membership, Role
from matching.selectors import match_of_signal_seen
from signals.models import Signal

from .models import ApiClient

_MAX_ID = 2**63 - 1


def api_client_by_client_id(client_id: str) -> ApiClient | None:
    return ApiClient.objects.select_related("organisation", "organisation__region").filter(client_id=client_id).first()


def api_clients_of_organisations(*, organisations) -> QuerySet[ApiClient]:
    return ApiClient.objects.filter(organisation__in=organisations).select_related("organisation", "created_by")


def api_client_of_organisations(*, organisations, pk: int) -> ApiClient | None:
    return api_clients_of_organisations(organisations=organisations).filter(pk=pk).first()


def professional_of_client(*, client: ApiClient, email: str):
    """The user with an active professional role in the client's organisation, or None (also for other orgs)."""
    membership = (
        Membership.objects.filter(
            role=Role.PROFESSIONAL,
            active=True,
            organisation=client.organisation,
            user__email__iexact=email.strip(),
            user__is_active=True,
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def signals_of_client(*, client: ApiClient, professional_email: str = "", status: str = "") -> QuerySet[Signal]:
    signals = Signal.objects.filter(organisation_id=client.organisation_id).select_related("professional", "youth")
    if professional_email:
        signals = signals.filter(professional__email__iexact=professional_email.strip())
    if status:
        signals = signals.filter(status=status)
    return signals.order_by("-placed_at", "-id")


def signal_of_client(*, client: ApiClient, pk: int) -> Signal | None:
    """A signal of the client's organisation; another organisation's signal is simply not found."""
    if not 0 < pk <= _MAX_ID:
        return None
    return signals_of_client(client=client).filter(pk=pk).first()


def matches_of_client_signal(*, signal: Signal) -> dict:
    """The match of a signal of the client's organisation, as its professional sees it (never another youth)."""
    return {"id": signal.pk, "reference": signal.reference, "match": match_of_signal_seen(signal)}
