"""Reads of signals, always scoped to the acting user."""

from django.db.models import Count, Q, QuerySet

from accounts.models import Membership, Role
from regions.models import Organisation

from .models import Signal, SignalStatus


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
    """Number of matches per signal, from matching when it provides them; empty otherwise."""
    try:
        from matching.selectors import match_counts_for_signals
    except ImportError:
        return {}
    return match_counts_for_signals(list(signal_ids))
