"""The start page as a task list per role: what waits for this person today, each item a link to where it is done.

Built from each app's own selectors; nothing here decides what a task is beyond picking the rows.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role

# a group lists at most this many; its "Alle ..." link leads to the rest
MAX_TASKS = 20


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
    from signals.selectors import tasks_of_professional

    groups = [_new_matches(user=user, region=region), _handovers(user=user, region=region)]
    groups.append(_follow_ups_due(user=user, region=region))

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

    # the signals app decides what is due (issue 19): informing postponed past the region's weeks, and signals
    # within the region's reminder weeks of their end; each task links to the page where it is done
    expiring = TaskGroup(
        _("Signalen die binnenkort aflopen"),
        _("Geen van uw signalen loopt binnenkort af."),
        more_url=_url("signals:list"),
    )
    postponed = TaskGroup(
        _("Informeren nog uitgesteld"),
        _("Bij geen van uw signalen is het uitgestelde informeren aan de beurt."),
    )
    for task in tasks_of_professional(user=user, region=region, as_of=today):
        if task.kind == "informing_due":
            postponed.tasks.append(Task(task.title, task.url, due=task.due_on, overdue=task.due_on < today))
        else:
            # the title names the last active day already
            expiring.tasks.append(Task(task.title, task.url))
    groups += [postponed, expiring, _covers_of_professional(user=user, region=region, today=today)]
    return groups


def _follow_ups_due(*, user, region) -> TaskGroup:
    """As matchregisseur: matches where a participant's contact is not recorded within the region's days."""
    from matching.selectors import follow_ups_due_of_coordinator

    group = TaskGroup(_("Opvolging als matchregisseur"), _("Er staat geen opvolging open."))
    for item in follow_ups_due_of_coordinator(user=user, region=region):
        if item.url:  # a national match: recorded on its follow-up page
            group.tasks.append(
                Task(
                    ngettext(
                        "Landelijke match %(ref)s: contact met %(count)s betrokkene in een andere regio nog niet "
                        "vastgelegd",
                        "Landelijke match %(ref)s: contact met %(count)s betrokkenen in een andere regio nog niet "
                        "vastgelegd",
                        item.waiting,
                    )
                    % {"ref": item.reference, "count": item.waiting},
                    item.url,
                    due=item.due_on,
                    overdue=True,
                )
            )
            continue
        url = _url("matching:match", item.reference)
        if url:
            group.tasks.append(
                Task(
                    ngettext(
                        "Match %(ref)s: contact met %(count)s betrokkene nog niet vastgelegd",
                        "Match %(ref)s: contact met %(count)s betrokkenen nog niet vastgelegd",
                        item.waiting,
                    )
                    % {"ref": item.reference, "count": item.waiting},
                    url,
                    due=item.due_on,
                    overdue=True,
                )
            )
    return group


def _cover_period(cover) -> str:
    return _("%(start)s tot en met %(end)s") % {
        "start": date_format(cover.starts_on, "j F Y"),
        "end": date_format(cover.ends_on, "j F Y"),
    }


def _covers_of_professional(*, user, region, today) -> TaskGroup:
    """Cover periods (waarneming) by or for this professional that run now or later (issue 19)."""
    from signals.selectors import covers_of_user

    # each task links to the cover page or the covered signals; no "all" link under a group of one or two
    group = TaskGroup(_("Waarneming"), _("Er is geen waarneming door of voor u."))
    for cover in covers_of_user(user=user, as_of=today).filter(organisation__region=region)[:MAX_TASKS]:
        if cover.covering_id == user.pk:
            text = _("U neemt waar voor %(name)s: %(period)s") % {
                "name": cover.absent.full_name or cover.absent.email,
                "period": _cover_period(cover),
            }
            url = _url("signals:list")
        else:
            text = _("%(name)s neemt voor u waar: %(period)s") % {
                "name": cover.covering.full_name or cover.covering.email,
                "period": _cover_period(cover),
            }
            url = _url("signals:cover_own")
        group.tasks.append(Task(text, url or "/"))
    return group


def _new_matches(*, user, region) -> TaskGroup:
    """Matches that arose since the professional last opened "My matches" (the match app's own selector)."""
    from matching import selectors

    group = TaskGroup(_("Nieuwe matches"), _("Er zijn geen nieuwe matches."), more_url=_url("matching:my_matches"))
    visit_model = _model("matching", "MatchOverviewVisit")
    seen_before = None
    if visit_model is not None:
        seen_before = visit_model.objects.filter(user=user).values_list("visited_at", flat=True).first()
    # counted per match (a match is one object, however many professionals joined it), on every page
    count = selectors.my_matches_with_news(user=user, region=region, seen_before=seen_before)
    if count and group.more_url:
        text = ngettext(
            "%(count)s match met nieuwe betrokkenen in Mijn matches",
            "%(count)s matches met nieuwe betrokkenen in Mijn matches",
            count,
        )
        group.tasks.append(Task(text % {"count": count}, group.more_url))
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
    # proposed by a national match's coordinator in another deployment (federation): its accept/decline page
    national, signal_model = _model("federation", "NationalHandover"), _model("signals", "Signal")
    if national is not None and signal_model is not None:
        own = signal_model.objects.filter(professional=user, organisation__region=region, status="active")
        for proposal in national.objects.filter(signal_id__in=own.values("pk"), direction="in").order_by("id"):
            url = _url("federation:national_handover", proposal.signal_id)
            if url:
                group.tasks.append(Task(_("Matchregie aan u voorgesteld: accepteren of weigeren"), url))
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


def organisation_coordinator_tasks(*, memberships, region, today) -> list[TaskGroup]:
    """Signals of professionals who left, to hand over to a colleague; and the cover periods of the organisation."""
    from signals.selectors import covers_of_organisation, professionals_of_organisation

    organisations = [
        m.organisation
        for m in memberships
        if m.role == Role.ORGANISATION_COORDINATOR and m.organisation and m.organisation.region_id == region.pk
    ]
    handovers = TaskGroup(
        _("Signalen over te dragen"),
        _("Geen vertrokken meldingsbevoegde heeft nog actieve signalen."),
        more_url=_url("signals:organisation_professionals"),
    )
    covers = TaskGroup(
        _("Waarnemingen"), _("Er loopt of komt geen waarneming."), more_url=_url("signals:organisation_covers")
    )
    for organisation in organisations:
        departed = professionals_of_organisation(organisation=organisation, active=False).filter(
            active_signal_count__gt=0
        )
        for membership in departed[:MAX_TASKS]:
            handovers.tasks.append(
                Task(
                    ngettext(
                        "%(name)s is vertrokken: %(count)s actief signaal overdragen",
                        "%(name)s is vertrokken: %(count)s actieve signalen overdragen",
                        membership.active_signal_count,
                    )
                    % {
                        "name": membership.user.full_name or membership.user.email,
                        "count": membership.active_signal_count,
                    },
                    reverse("signals:organisation_professional", args=[membership.pk]),
                )
            )
        for cover in covers_of_organisation(organisation=organisation, as_of=today)[:MAX_TASKS]:
            covers.tasks.append(
                Task(
                    _("%(covering)s neemt waar voor %(absent)s: %(period)s")
                    % {
                        "covering": cover.covering.full_name or cover.covering.email,
                        "absent": cover.absent.full_name or cover.absent.email,
                        "period": _cover_period(cover),
                    },
                    covers.more_url or "/",
                )
            )
    return [handovers, covers]


def monitor_tasks(*, region, today) -> list[TaskGroup]:
    """Matches of the region where a participant has no recorded contact after the region's follow-up days."""
    from matching.monitor import matches_overdue

    group = TaskGroup(
        _("Matches zonder contact"),
        _("Bij geen enkele match wacht een betrokkene te lang op contact."),
        more_url=_url("matching:monitor"),
    )
    for match in matches_overdue(region=region)[:MAX_TASKS]:
        waiting = (today - timezone.localdate(match.waiting_since)).days
        group.tasks.append(
            Task(
                ngettext(
                    "Match %(ref)s: %(days)s dag zonder vastgelegd contact",
                    "Match %(ref)s: %(days)s dagen zonder vastgelegd contact",
                    waiting,
                )
                % {"ref": match.reference, "days": waiting},
                group.more_url or "/",
            )
        )
    return [group]


def start_tasks(*, user, memberships, region) -> list[tuple[str, list[TaskGroup]]]:
    """Per role of this person in the region: the role's name and its task groups."""
    today = timezone.localdate()
    roles = {m.role for m in memberships}
    sections = []
    if Role.PROFESSIONAL in roles:
        sections.append((Role.PROFESSIONAL.label, professional_tasks(user=user, region=region, today=today)))
    if Role.ORGANISATION_COORDINATOR in roles:
        sections.append(
            (
                Role.ORGANISATION_COORDINATOR.label,
                organisation_coordinator_tasks(memberships=memberships, region=region, today=today),
            )
        )
    if Role.FOLLOWUP_MONITOR in roles:
        sections.append((Role.FOLLOWUP_MONITOR.label, monitor_tasks(region=region, today=today)))
    if Role.MUNICIPAL_STAFF in roles:
        sections.append(
            (Role.MUNICIPAL_STAFF.label, municipal_staff_tasks(memberships=memberships, region=region, today=today))
        )
    if Role.PROCESS_MANAGER in roles:
        sections.append(
            (Role.PROCESS_MANAGER.label, process_manager_tasks(memberships=memberships, region=region, today=today))
        )
    return sections
