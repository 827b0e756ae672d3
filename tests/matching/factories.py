"""Factories for matching tests (youths come from the BRP test persons through the `brp_youth` fixture).

Signals come from the one SignalFactory (tests/signals/factories.py). A match built here is a row as detection
leaves it: its participations, its coordinator (the successor of the per-youth MatchCoordinator) and its links.
"""

import factory
from django.utils import timezone

from matching.models import Match, MatchKind, MatchLink, MatchParticipation
from tests.signals.factories import SignalFactory

__all__ = ["MatchFactory", "MatchLinkFactory", "MatchParticipationFactory", "SignalFactory", "match_of"]


class MatchFactory(factory.django.DjangoModelFactory):
    """A match with no participants; `coordinator_signal` names the matchregisseur's signal."""

    class Meta:
        model = Match

    coordinator_signal = None
    coordinator_since = factory.LazyAttribute(lambda o: timezone.now() if o.coordinator_signal else None)
    region = factory.LazyAttribute(lambda o: o.coordinator_signal.organisation.region if o.coordinator_signal else None)


class MatchParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchParticipation

    match = factory.SubFactory(MatchFactory)
    signal = factory.SubFactory(SignalFactory)


class MatchLinkFactory(factory.django.DjangoModelFactory):
    """A link between two signals; the lower id is stored as signal_a (the table's check constraint)."""

    class Meta:
        model = MatchLink

    signal_a = factory.SubFactory(SignalFactory)
    signal_b = factory.SubFactory(SignalFactory)
    kind = MatchKind.SAME_YOUTH

    @classmethod
    def _create(cls, model_class, *args, signal_a, signal_b, **kwargs):
        low, high = sorted((signal_a, signal_b), key=lambda signal: signal.pk)
        return super()._create(model_class, *args, signal_a=low, signal_b=high, **kwargs)


def match_of(*signals, kind: str = MatchKind.SAME_YOUTH) -> Match:
    """One match over these signals, linked in a chain, the first signal's professional its coordinator."""
    match = MatchFactory(coordinator_signal=signals[0])
    for signal in signals:
        MatchParticipationFactory(match=match, signal=signal)
    for one, other in zip(signals, signals[1:], strict=False):
        MatchLinkFactory(signal_a=one, signal_b=other, kind=kind)
    return match
