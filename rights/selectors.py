"""Reads of requests and advice tasks, scoped to the acting user's memberships; the youth's overview."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role
from audit.selectors import logbook_for_youth
from persons.models import Youth

from .models import CLOSED_STATUSES, AdviceTask, RightsRequest


def youth_by_pseudonym(*, pseudonym: str) -> Youth | None:
    """The youth as registered in the verwijsindex (a youth without signals has no row: 'not registered')."""
    return Youth.objects.filter(pseudonym=pseudonym).first()


def signals_of_youth(*, youth_pseudonym: str):
    """Every signal on the youth, active and archived, in every region, oldest first."""
    from signals.models import Signal

    return list(
        Signal.objects.filter(youth__pseudonym=youth_pseudonym)
        .select_related("organisation", "professional", "organisation__region")
        .order_by("placed_at", "pk")
    )


def requests_for_user(*, memberships, region) -> QuerySet[RightsRequest]:
    """Municipal staff see their municipality's requests; process managers their region's. Nobody else any."""
    municipalities = [
        m.municipality_id
        for m in memberships
        if m.role == Role.MUNICIPAL_STAFF and m.municipality.region_id == region.pk
    ]
    regions = [m.region_id for m in memberships if m.role == Role.PROCESS_MANAGER and m.region_id == region.pk]
    if not municipalities and not regions:
        return RightsRequest.objects.none()
    return (
        RightsRequest.objects.filter(Q(municipality_id__in=municipalities) | Q(region_id__in=regions))
        .select_related("municipality", "region", "registered_by", "decided_by")
        .order_by("deadline", "id")
    )


def request_for_user(*, memberships, region, pk: int) -> RightsRequest:
    """One request the user may see, or 404 (requests of other municipalities/regions do not exist for them)."""
    return get_object_or_404(requests_for_user(memberships=memberships, region=region), pk=pk)


def is_staff_for(*, memberships, rights_request: RightsRequest) -> bool:
    return any(
        m.role == Role.MUNICIPAL_STAFF and m.municipality_id == rights_request.municipality_id for m in memberships
    )


def is_process_manager_for(*, memberships, rights_request: RightsRequest) -> bool:
    return any(m.role == Role.PROCESS_MANAGER and m.region_id == rights_request.region_id for m in memberships)


def advice_tasks_for_professional(*, user, region) -> QuerySet[AdviceTask]:
    """A professional's own advice tasks in this region, open ones first."""
    return (
        AdviceTask.objects.filter(professional=user, request__region=region)
        .select_related("request")
        .order_by("given_at", "due_on", "id")
    )


def advice_task_for_professional(*, user, region, pk: int) -> AdviceTask:
    return get_object_or_404(advice_tasks_for_professional(user=user, region=region), pk=pk)


def youth_overview(*, rights_request: RightsRequest) -> dict:
    """What inzage and kopie show: the youth (if registered), every signal and every logbook entry about the youth."""
    youth = youth_by_pseudonym(pseudonym=rights_request.youth_pseudonym)
    signals = signals_of_youth(youth_pseudonym=rights_request.youth_pseudonym) if youth else []
    entries = list(
        logbook_for_youth(
            youth_pseudonym=rights_request.youth_pseudonym,
            signal_ids=[s.pk for s in signals] + list(rights_request.signal_ids),
        )
    )
    return {"youth": youth, "signals": signals, "entries": entries}


def open_requests_for_same_youth(*, rights_request: RightsRequest) -> list[RightsRequest]:
    """Other open requests about the same youth in the same municipality: a possible duplicate to flag."""
    return list(
        RightsRequest.objects.filter(
            municipality_id=rights_request.municipality_id, youth_pseudonym=rights_request.youth_pseudonym
        )
        .exclude(pk=rights_request.pk)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by("received_on", "pk")
    )
