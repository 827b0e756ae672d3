"""Reads of signals, always scoped to the acting user."""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from regions.models import Organisation

from . import hooks
from .models import Cover, InformingStatus, Signal, SignalStatus


def signals_of_professional(*, user, organisation: Organisation | None = None) -> QuerySet[Signal]:
    """The user's own signals (active first, then archived), newest first; no one else's."""
    signals = Signal.objects.filter(professional=user).select_related("youth", "organisation")
    if organisation is not None:
        signals = signals.filter(organisation=organisation)
    return signals.order_by("status", "-placed_at", "-id")


def signal_of_professional(*, user, signal_id: int, region=None) -> Signal | None:
    """One of the user's own signals (None for anyone else's, so the view can 404 without a hint)."""
    signals = Signal.objects.filter(pk=signal_id, professional=user).select_related("youth", "organisation")
    if region is not None:
        signals = signals.filter(organisation__region=region)
    return signals.first()


def signal_of_organisation(*, organisation: Organisation, signal_id: int) -> Signal | None:
    return Signal.objects.filter(pk=signal_id, organisation=organisation).select_related("professional").first()


def is_professional_of(*, user, organisation: Organisation) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(
            user=user, organisation=organisation, role=Role.PROFESSIONAL, active=True
        ).exists()
    )


def professionals_of_organisation(*, organisation: Organisation, active: bool | None = True) -> QuerySet[Membership]:
    """The organisation's professionals with their number of active signals in that organisation."""
    memberships = Membership.objects.filter(organisation=organisation, role=Role.PROFESSIONAL)
    if active is not None:
        memberships = memberships.filter(active=active)
    return (
        memberships.select_related("user")
        .annotate(
            active_signal_count=Count(
                "user__signals",
                filter=Q(user__signals__organisation=organisation, user__signals__status=SignalStatus.ACTIVE),
            )
        )
        .order_by("user__full_name", "user__email")
    )


def membership_of_organisation(*, organisation: Organisation, membership_id: int) -> Membership | None:
    return (
        Membership.objects.filter(pk=membership_id, organisation=organisation, role=Role.PROFESSIONAL)
        .select_related("user")
        .first()
    )


def colleague_of_organisation(*, organisation: Organisation, user_id: int):
    """An active professional of the organisation (a transfer target), or None."""
    membership = (
        Membership.objects.filter(organisation=organisation, role=Role.PROFESSIONAL, active=True, user_id=user_id)
        .select_related("user")
        .first()
    )
    return membership.user if membership is not None and membership.user.is_active else None


def archive_for_new_signal(*, signal: Signal) -> QuerySet[Signal]:
    """Archived signals of other professionals on the same youth: the history shown once after placing."""
    return (
        Signal.objects.filter(youth_id=signal.youth_id, status=SignalStatus.ARCHIVED)
        .exclude(professional_id=signal.professional_id)
        .select_related("organisation")
        .order_by("placed_at")
    )


def signals_shown_with(*, signal: Signal, signal_ids) -> list[Signal]:
    """The archived signals that were shown once with `signal` (ids kept in the placer's session), still there."""
    return list(archive_for_new_signal(signal=signal).filter(pk__in=list(signal_ids)))


def match_counts(signal_ids) -> dict[int, int]:
    """Number of matches per signal, from matching (hooks.match_counts_asked); empty when nothing answers."""
    counts: dict[int, int] = {}
    for answer in hooks.match_counts_asked.send(list(signal_ids)):
        counts.update(answer)
    return counts


def match_counts_known() -> bool:
    """Whether an app answers match counts (the signal list shows the column only then)."""
    return bool(hooks.match_counts_asked.handlers())


def is_coordinator_of(*, user, organisation: Organisation) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(
            user=user, organisation=organisation, role=Role.ORGANISATION_COORDINATOR, active=True
        ).exists()
    )


# Cover (waarneming)


def covers_current(*, as_of: datetime.date | None = None) -> QuerySet[Cover]:
    """Covers running on `as_of` (today): started, not past their last day, not withdrawn. They end by themselves."""
    today = as_of or timezone.localdate()
    return Cover.objects.filter(starts_on__lte=today, ends_on__gte=today, withdrawn_at__isnull=True)


def may_act_on_signal(*, user, signal: Signal, as_of: datetime.date | None = None) -> bool:
    """The signal's professional, or a colleague covering for them in the signal's organisation today."""
    if user is None or not user.is_active:
        return False
    if user.pk == signal.professional_id:
        return True
    return covers_current(as_of=as_of).filter(
        absent_id=signal.professional_id, organisation_id=signal.organisation_id, covering=user
    ).exists() and is_professional_of(user=user, organisation=signal.organisation)


def signal_actable_by(*, user, signal_id: int, region=None, as_of: datetime.date | None = None) -> Signal | None:
    """One signal the user may act on (own, or covered today); None otherwise, so the view can 404 without a hint."""
    signal = signal_of_professional(user=user, signal_id=signal_id, region=region)
    if signal is not None:
        return signal
    signals = Signal.objects.filter(pk=signal_id).select_related("youth", "organisation", "professional")
    if region is not None:
        signals = signals.filter(organisation__region=region)
    signal = signals.first()
    return signal if signal is not None and may_act_on_signal(user=user, signal=signal, as_of=as_of) else None


def signals_covered_by(*, user, as_of: datetime.date | None = None) -> QuerySet[Signal]:
    """The active signals of colleagues the user covers for today (in the covered organisation only)."""
    covers = covers_current(as_of=as_of).filter(covering=user)
    pairs = Q(pk__in=[])
    for absent_id, organisation_id in covers.values_list("absent_id", "organisation_id"):
        pairs |= Q(professional_id=absent_id, organisation_id=organisation_id)
    return (
        Signal.objects.filter(pairs, status=SignalStatus.ACTIVE)
        .select_related("youth", "organisation", "professional")
        .order_by("-placed_at", "-id")
    )


def mail_recipients_for_signal(*, signal: Signal, as_of: datetime.date | None = None) -> list:
    """Who receives the e-mail about this signal (a match, a coordinator change): its professional and, while a
    cover runs, the colleague covering for them. Matching calls this instead of `signal.professional`."""
    recipients = [signal.professional]
    covering = (
        covers_current(as_of=as_of)
        .filter(absent_id=signal.professional_id, organisation_id=signal.organisation_id, covering__is_active=True)
        .select_related("covering")
        .order_by("pk")
    )
    for cover in covering:
        if cover.covering not in recipients:
            recipients.append(cover.covering)
    return recipients


def cover_names_for_signals(signal_ids, *, as_of: datetime.date | None = None) -> dict[int, list[str]]:
    """Per signal id, the names of colleagues covering for its professional today: matched colleagues see them
    beside the professional's own name (pages and e-mails of matching). Two queries whatever the number."""
    signals = list(
        Signal.objects.filter(pk__in=list(signal_ids)).values_list("pk", "professional_id", "organisation_id")
    )
    covering: dict[tuple[int, int], list[str]] = {}
    for absent_id, organisation_id, name, email in (
        covers_current(as_of=as_of)
        .filter(absent_id__in={professional_id for _pk, professional_id, _org in signals})
        .order_by("pk")
        .values_list("absent_id", "organisation_id", "covering__full_name", "covering__email")
    ):
        covering.setdefault((absent_id, organisation_id), []).append(name or email)
    return {
        pk: covering[(professional_id, organisation_id)]
        for pk, professional_id, organisation_id in signals
        if (professional_id, organisation_id) in covering
    }


def covering_colleagues(signals, *, as_of: datetime.date | None = None) -> dict[int, list]:
    """Per signal id, the active colleagues covering today for its professional in its organisation: what
    `mail_recipients_for_signal` adds, for many signals in one query (matching's e-mails, the expiry reminder)."""
    signals = list(signals)
    if not signals:
        return {}
    covering: dict[tuple[int, int], list] = {}
    for cover in (
        covers_current(as_of=as_of)
        .filter(absent_id__in={s.professional_id for s in signals}, covering__is_active=True)
        .select_related("covering")
        .order_by("pk")
    ):
        users = covering.setdefault((cover.absent_id, cover.organisation_id), [])
        if cover.covering not in users:
            users.append(cover.covering)
    return {
        s.pk: covering[(s.professional_id, s.organisation_id)]
        for s in signals
        if (s.professional_id, s.organisation_id) in covering
    }


def cover_names_subquery(*, as_of: datetime.date | None = None) -> ArraySubquery:
    """An annotation for a Signal query: the names of the colleagues covering today for its professional in its
    organisation, so pages that list matched colleagues show both names without another query."""
    return ArraySubquery(
        covers_current(as_of=as_of)
        .filter(absent_id=OuterRef("professional_id"), organisation_id=OuterRef("organisation_id"))
        .order_by("pk")
        .values(name=Coalesce(NullIf("covering__full_name", Value("")), "covering__email", output_field=CharField()))
    )


def covered_professionals(*, user, as_of: datetime.date | None = None) -> set[tuple[int, int]]:
    """The (absent professional, organisation) pairs the user covers for today, as an active colleague there."""
    if user is None or not user.is_active:
        return set()
    pairs = set(covers_current(as_of=as_of).filter(covering=user).values_list("absent_id", "organisation_id"))
    if not pairs:
        return set()
    member_of = set(
        Membership.objects.filter(
            user=user, organisation_id__in={org for _a, org in pairs}, role=Role.PROFESSIONAL, active=True
        ).values_list("organisation_id", flat=True)
    )
    return {(absent, org) for absent, org in pairs if org in member_of}


def covers_of_organisation(*, organisation: Organisation, as_of: datetime.date | None = None) -> QuerySet[Cover]:
    """Covers of the organisation that run today or later (not withdrawn), earliest first."""
    today = as_of or timezone.localdate()
    return (
        Cover.objects.filter(organisation=organisation, ends_on__gte=today, withdrawn_at__isnull=True)
        .select_related("absent", "covering")
        .order_by("starts_on", "pk")
    )


def covers_of_user(*, user, as_of: datetime.date | None = None) -> QuerySet[Cover]:
    """Covers for or by the user that run today or later."""
    today = as_of or timezone.localdate()
    return (
        Cover.objects.filter(Q(absent=user) | Q(covering=user), ends_on__gte=today, withdrawn_at__isnull=True)
        .select_related("absent", "covering", "organisation")
        .order_by("starts_on", "pk")
    )


# The professional's task list (the browser engineer's start page calls tasks_of_professional)


@dataclass(frozen=True)
class Task:
    kind: str
    title: str
    url: str
    reference: str
    due_on: datetime.date


def tasks_of_professional(*, user, region=None, as_of: datetime.date | None = None) -> list[Task]:
    """What the professional should do now about their signals: postponed informing that is due, and signals that
    end within the region's reminder weeks (extend or let go). No youth identity in a task, only the reference."""
    today = as_of or timezone.localdate()
    signals = Signal.objects.filter(professional=user, status=SignalStatus.ACTIVE).select_related(
        "organisation__region"
    )
    if region is not None:
        signals = signals.filter(organisation__region=region)
    tasks = []
    for signal in signals.order_by("ends_on", "pk"):
        region_of_signal = signal.organisation.region
        if signal.informing_status == InformingStatus.POSTPONED:
            recorded = signal.informing_recorded_on or timezone.localdate(signal.placed_at)
            due_on = recorded + datetime.timedelta(weeks=region_of_signal.informing_postponed_weeks)
            if due_on <= today:
                tasks.append(
                    Task(
                        kind="informing_due",
                        title=_(
                            "Informeren bij signaal %(reference)s is uitgesteld: informeer nu of leg de reden "
                            "opnieuw vast"
                        )
                        % {"reference": signal.reference},
                        url=reverse("signals:informing", args=[signal.pk]),
                        reference=signal.reference,
                        due_on=due_on,
                    )
                )
        if signal.unborn_overdue_notified_on is not None:
            tasks.append(
                Task(
                    kind="unborn_overdue",
                    title=_(
                        "Signaal %(reference)s op een ongeboren kind: nog geen geboorte gevonden. Geef een nieuwe "
                        "verwachte datum of beëindig het signaal"
                    )
                    % {"reference": signal.reference},
                    url=reverse("signals:expected_date", args=[signal.pk]),
                    reference=signal.reference,
                    due_on=signal.unborn_overdue_notified_on,
                )
            )
        if signal.ends_on <= today + datetime.timedelta(weeks=region_of_signal.reminder_weeks):
            tasks.append(
                Task(
                    kind="ending_soon",
                    title=_("Signaal %(reference)s is actief tot en met %(day)s: verlengen of laten aflopen")
                    % {"reference": signal.reference, "day": signal.ends_on.strftime("%d-%m-%Y")},
                    url=reverse("signals:extend", args=[signal.pk]),
                    reference=signal.reference,
                    due_on=signal.ends_on,
                )
            )
    return sorted(tasks, key=lambda task: (task.due_on, task.reference))


def cover_visible_to(*, user, cover_id: int, region=None) -> Cover | None:
    """A cover the user is part of (absent or covering), or of an organisation the user coordinates."""
    coordinated = Membership.objects.filter(user=user, role=Role.ORGANISATION_COORDINATOR, active=True).values(
        "organisation_id"
    )
    covers = Cover.objects.filter(pk=cover_id).filter(
        Q(absent=user) | Q(covering=user) | Q(organisation_id__in=coordinated)
    )
    if region is not None:
        covers = covers.filter(organisation__region=region)
    return covers.select_related("organisation").first()
