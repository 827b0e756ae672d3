import datetime

import factory
from django.utils import timezone

from audit.services import log_event
from signals.models import Signal, SignalStatus
from tests.signals import factories as signal_factories


class SignalFactory(signal_factories.SignalFactory):
    """A signal row as placing stores it, with its placement in the logbook (rights tests read both)."""

    class Meta:
        skip_postgeneration_save = True

    informed_whom = "ouders"

    @factory.post_generation
    def logged(obj, create, extracted, **kwargs):
        if create:
            log_event(
                action="signal_placed",
                actor=obj.professional,
                region_id=obj.organisation.region_id,
                youth_pseudonym=obj.youth.pseudonym,
                signal_id=obj.pk,
            )


def archived(signal: Signal) -> Signal:
    signal.status = SignalStatus.ARCHIVED
    signal.ended_at = timezone.now()
    signal.end_reason = "concern_gone"
    signal.archive_until = timezone.localdate() + datetime.timedelta(days=5 * 365)
    signal.save()
    return signal
