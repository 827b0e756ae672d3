"""Reads of requests and advice tasks, scoped to the acting user's memberships; the youth's overview."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Role
from audit.models import LogEntry
from audit.selectors import logbook_for_youth
from federation.models import RemoteSignalListing
from federation.regional import linked
from persons.guards import ALERT_ACTION, REFUSED_ACTION, RIGHTS_LOOKUP_ACTION
from persons.models import Youth
from signals.models import Signal

from .models import CLOSED_STATUSES, AdviceTask, RightsRequest


def youth_by_pseudonym(*, pseudonym: str) -> Youth | None:
    """The youth as registered in the verwijsindex (a youth without signals has no row: 'not registered')."""
    return Youth.objects.filter(pseudonym=pseudonym).first()


def has_unborn_child(*, mother_pseudonym: str) -> bool:
    """Whether a signal was placed on the unborn child of the woman with this pseudonym (docs/adr/0030)."""
    return Youth.objects.filter(unborn_mother_pseudonym=mother_pseudonym).exists()


def signals_of_youth(*, youth_pseudonym: str):
    """Every signal on the youth, active and archived, in every region, oldest first.

    A woman's request covers the signals on her unborn child too (docs/adr/0030-unborn-children.md)."""
    return list(
        Signal.objects.filter(Q(youth__pseudonym=youth_pseudonym) | Q(youth__unborn_mother_pseudonym=youth_pseudonym))
        .select_related("youth", "organisation", "professional", "organisation__region")
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


def advice_tasks_for_professional(*, user, region=None) -> QuerySet[AdviceTask]:
    """A professional's own advice tasks, open ones first, whichever region's municipality asks.

    A request of another region is about a signal of this professional (matches are national): it is
    answered on the professional's own host, so the task is not filtered on the host's region.
    """
    return AdviceTask.objects.filter(professional=user).select_related("request").order_by("given_at", "due_on", "id")


def advice_task_for_professional(*, user, region, pk: int) -> AdviceTask:
    return get_object_or_404(advice_tasks_for_professional(user=user, region=region), pk=pk)


def youth_overview(*, rights_request: RightsRequest) -> dict:
    """What inzage and kopie show: the youth (if registered), every signal and every logbook entry about the youth."""
    youth = youth_by_pseudonym(pseudonym=rights_request.youth_pseudonym)
    # without a row of her own, a pregnant woman may still have signals on her unborn child
    signals = signals_of_youth(youth_pseudonym=rights_request.youth_pseudonym)
    entries = list(
        logbook_for_youth(
            youth_pseudonym=rights_request.youth_pseudonym,
            signal_ids=[s.pk for s in signals] + list(rights_request.signal_ids),
        )
    )
    # who registered requests about the youth (a request cannot be deleted: this is the whole list)
    requests = list(
        RightsRequest.objects.filter(youth_pseudonym=rights_request.youth_pseudonym)
        .select_related("registered_by", "municipality")
        .order_by("registered_at", "pk")
    )
    return {
        "youth": youth,
        "signals": signals,
        "entries": entries,
        "requests": requests,
        **remote_signals_of_request(rights_request=rights_request),
    }


def remote_signals_of_request(*, rights_request: RightsRequest) -> dict:
    """What other deployments answered, through the hub, about their signals on the youth (docs/federation.md)."""
    rows = list(RemoteSignalListing.objects.filter(rights_request_id=rights_request.pk))
    fetched = LogEntry.objects.filter(
        action="federation_rights_inquiry_sent", details__rights_request=rights_request.pk
    ).exists()
    return {"federation_linked": linked(), "remote_signals": rows, "remote_fetched": fetched}


# a staff member's week is an outlier above this many look-ups, or above this many times the region's median week
OUTLIER_MINIMUM = 5
OUTLIER_FACTOR = 3


@dataclass
class StaffActivity:
    """One staff member's look-ups for requests, per week (oldest first), and whether they stand out."""

    actor_id: int
    name: str
    weeks: list[int]
    requests: int
    refused: int
    alerted: bool
    outlier_weeks: list[bool]

    @property
    def flagged(self) -> bool:
        return self.alerted or any(self.outlier_weeks)


def staff_activity_for_region(*, region, as_of: datetime.date, weeks: int = 12) -> tuple[list, list[StaffActivity]]:
    """Per municipal staff member of the region: look-ups for requests per week over `weeks` weeks up to `as_of`.

    Counted from the logbook (every look-up, also those that did not become a request) and the requests
    themselves (which cannot be deleted). A week is flagged above OUTLIER_MINIMUM look-ups and above
    OUTLIER_FACTOR times the median week of the region's staff; an alert or refusal flags the person.
    """
    monday = as_of - datetime.timedelta(days=as_of.weekday())
    starts = [monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    staff = {
        m.user_id: m.user
        for m in Membership.objects.filter(role=Role.MUNICIPAL_STAFF, municipality__region=region).select_related(
            "user"
        )
    }
    since = starts[0]
    counts = (
        LogEntry.objects.filter(
            action=RIGHTS_LOOKUP_ACTION, region_id=region.pk, actor_id__in=list(staff), created_at__date__gte=since
        )
        .annotate(week=TruncWeek("created_at"))
        .values("actor_id", "week")
        .annotate(n=Count("id"))
    )
    per_week: dict[int, dict[datetime.date, int]] = {}
    for row in counts:
        per_week.setdefault(row["actor_id"], {})[row["week"].date()] = row["n"]
    # the typical week of the region's staff, quiet weeks included
    all_weeks = [per_week.get(actor_id, {}).get(start, 0) for actor_id in staff for start in starts]
    threshold = max(OUTLIER_MINIMUM, OUTLIER_FACTOR * statistics.median(all_weeks)) if all_weeks else OUTLIER_MINIMUM
    requests = dict(
        RightsRequest.objects.filter(region=region, registered_at__date__gte=since)
        .values_list("registered_by_id")
        .annotate(n=Count("id"))
    )
    flagged_actions = LogEntry.objects.filter(
        actor_id__in=list(staff), action__in=(ALERT_ACTION, REFUSED_ACTION), created_at__date__gte=since
    )
    refused = dict(flagged_actions.filter(action=REFUSED_ACTION).values_list("actor_id").annotate(n=Count("id")))
    alerted = set(flagged_actions.filter(action=ALERT_ACTION).values_list("actor_id", flat=True))
    rows = []
    for actor_id, user in staff.items():
        weekly = [per_week.get(actor_id, {}).get(start, 0) for start in starts]
        rows.append(
            StaffActivity(
                actor_id=actor_id,
                name=user.full_name or user.email,
                weeks=weekly,
                requests=requests.get(actor_id, 0),
                refused=refused.get(actor_id, 0),
                alerted=actor_id in alerted,
                outlier_weeks=[n > threshold for n in weekly],
            )
        )
    rows.sort(key=lambda row: (not row.flagged, -sum(row.weeks), row.name))
    return starts, rows


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
