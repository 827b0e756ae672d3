"""The start page as a task list per role: what waits for this person today, each item a link to where it is done.

Built from each app's own selectors; nothing here decides what a task is beyond picking the rows.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role


@dataclass
class Task:
    text: str
    url: str
    due: datetime.date | None = None
    overdue: bool = False


@dataclass
class TaskGroup:
    title: str
    empty: str
    tasks: list[Task] = field(default_factory=list)
    more_url: str | None = None


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def professional_tasks(*, user, region, today: datetime.date) -> list[TaskGroup]:
    from rights.selectors import advice_tasks_for_professional
    from signals.models import InformingStatus, SignalStatus
    from signals.selectors import signals_of_professional

    groups = [_new_matches(user=user, region=region), _handovers(user=user, region=region)]

    advice = TaskGroup(
        _("Adviesvragen over verzoeken"), _("Er wacht geen adviesvraag op u."), more_url=_url("rights:advice_list")
    )
    for task in advice_tasks_for_professional(user=user, region=region).filter(given_at__isnull=True):
        advice.tasks.append(
            Task(
                _("Advies over signaal %(ref)s") % {"ref": task.signal_reference},
                reverse("rights:advice_detail", args=[task.pk]),
                due=task.due_on,
                overdue=task.is_overdue(today),
            )
        )
    groups.append(advice)

    horizon = today + datetime.timedelta(weeks=region.reminder_weeks)
    expiring = TaskGroup(
        _("Signalen die binnenkort aflopen"),
        _("Geen van uw signalen loopt binnenkort af."),
        more_url=_url("signals:list"),
    )
    postponed = TaskGroup(
        _("Informeren nog uitgesteld"), _("Bij geen van uw signalen is het informeren nog uitgesteld.")
    )
    # one read for both groups
    signals = (
        signals_of_professional(user=user)
        .filter(status=SignalStatus.ACTIVE, organisation__region=region)
        .filter(Q(ends_on__lte=horizon) | Q(informing_status=InformingStatus.POSTPONED))
        .select_related(None)
        .only("pk", "ends_on", "informing_status", "placed_at")
        .order_by("ends_on", "pk")
    )
    for signal in signals:
        task = Task(_signal_text(signal), reverse("signals:detail", args=[signal.pk]))
        if signal.ends_on <= horizon:
            expiring.tasks.append(Task(task.text, task.url, due=signal.ends_on))
        if signal.informing_status == InformingStatus.POSTPONED:
            postponed.tasks.append(task)
    groups += [expiring, postponed]
    return groups


def _signal_text(signal) -> str:
    # the reference only: a youth's name on the start page would be a view of youth data without a logbook line
    return _("Signaal %(ref)s") % {"ref": signal.reference}


def _new_matches(*, user, region) -> TaskGroup:
    """Matches that arose since the professional last opened "My matches" (the match app's own selector)."""
    from matching import selectors

    group = TaskGroup(_("Nieuwe matches"), _("Er zijn geen nieuwe matches."), more_url=_url("matching:my_matches"))
    visit_model = _model("matching", "MatchOverviewVisit")
    seen_before = None
    if visit_model is not None:
        seen_before = visit_model.objects.filter(user=user).values_list("visited_at", flat=True).first()
    count = selectors.my_matches(user=user, region=region, seen_before=seen_before).new_count
    if count and group.more_url:
        group.tasks.append(Task(_("%(count)s nieuwe match(es) in Mijn matches") % {"count": count}, group.more_url))
    return group


def _handovers(*, user, region) -> TaskGroup:
    """Matchregisseur roles proposed to one of the professional's signals, waiting to be accepted or declined.

    The proposal sits on the match (or, before the match object, on the youth's coordinator row); either way
    it is a `proposed_signal` pointing at one of this user's signals.
    """
    group = TaskGroup(_("Overdracht van matchregie om te accepteren"), _("Er wacht geen overdracht op u."))
    for model_name in ("Match", "MatchCoordinator"):
        model = _model("matching", model_name)
        if model is None:
            continue
        try:
            proposals = list(
                model.objects.filter(
                    proposed_signal__professional=user, proposed_signal__organisation__region=region
                ).only("pk", "proposed_signal_id")
            )
        except FieldError:
            continue
        for proposal in proposals:
            # the match's own hand-over page where there is one, else the proposed signal's match page
            reference = getattr(proposal, "reference", None)
            url = (
                (_url("matching:handover", reference) if reference else None)
                or _url("matching:signal_matches", proposal.proposed_signal_id)
                or _url("matching:my_matches")
                or "/"
            )
            group.tasks.append(Task(_("Matchregie aan u voorgesteld: accepteren of weigeren"), url))
        break
    return group


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _request_task(rights_request, today) -> Task:
    return Task(
        f"{rights_request.reference} — {rights_request.get_kind_display()} — {rights_request.get_status_display()}",
        reverse("rights:request_detail", args=[rights_request.pk]),
        due=rights_request.deadline,
        overdue=rights_request.is_overdue(today),
    )


def municipal_staff_tasks(*, memberships, region, today) -> list[TaskGroup]:
    from rights.models import CLOSED_STATUSES
    from rights.selectors import requests_for_user

    staff = [m for m in memberships if m.role == Role.MUNICIPAL_STAFF]
    group = TaskGroup(_("Open verzoeken van burgers"), _("Er zijn geen open verzoeken."), more_url=_url("rights:queue"))
    for rights_request in requests_for_user(memberships=staff, region=region).exclude(status__in=CLOSED_STATUSES):
        group.tasks.append(_request_task(rights_request, today))
    return [group]


def process_manager_tasks(*, memberships, region, today) -> list[TaskGroup]:
    from rights.models import CLOSED_STATUSES, RequestStatus
    from rights.selectors import requests_for_user

    managers = [m for m in memberships if m.role == Role.PROCESS_MANAGER]
    requests = requests_for_user(memberships=managers, region=region).exclude(status__in=CLOSED_STATUSES)
    decisions = TaskGroup(
        _("Besluiten die op u wachten"), _("Er wacht geen besluit op u."), more_url=_url("rights:queue")
    )
    for rights_request in requests.filter(status=RequestStatus.ADVICE_REQUESTED):
        decisions.tasks.append(_request_task(rights_request, today))
    overdue = TaskGroup(_("Verzoeken over de termijn"), _("Geen verzoek is over de termijn."))
    for rights_request in requests.filter(deadline__lt=today):
        overdue.tasks.append(_request_task(rights_request, today))
    alerts = TaskGroup(_("Meldingen"), _("Er zijn geen open meldingen."), more_url=_url("regions:move_notice_list"))
    from regions.selectors import move_notices_of_region

    open_notices = move_notices_of_region(region=region).filter(handled_at__isnull=True).count()
    if open_notices and alerts.more_url:
        alerts.tasks.append(
            Task(_("%(count)s verhuismelding(en) nog af te handelen") % {"count": open_notices}, alerts.more_url)
        )
    return [decisions, overdue, alerts]


def start_tasks(*, user, memberships, region) -> list[tuple[str, list[TaskGroup]]]:
    """Per role of this person in the region: the role's name and its task groups."""
    today = timezone.localdate()
    roles = {m.role for m in memberships}
    sections = []
    if Role.PROFESSIONAL in roles:
        sections.append((Role.PROFESSIONAL.label, professional_tasks(user=user, region=region, today=today)))
    if Role.MUNICIPAL_STAFF in roles:
        sections.append(
            (Role.MUNICIPAL_STAFF.label, municipal_staff_tasks(memberships=memberships, region=region, today=today))
        )
    if Role.PROCESS_MANAGER in roles:
        sections.append(
            (Role.PROCESS_MANAGER.label, process_manager_tasks(memberships=memberships, region=region, today=today))
        )
    return sections
