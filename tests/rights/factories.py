import datetime

import factory
from django.utils import timezone

from audit.services import log_event
from signals.models import InformingStatus, Signal, SignalStatus
from tests.accounts.factories import professional
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory


class SignalFactory(factory.django.DjangoModelFactory):
    """A signal row as placing stores it, with its placement in the logbook (rights tests read both)."""

    class Meta:
        model = Signal
        skip_postgeneration_save = True

    youth = factory.SubFactory(YouthFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    professional = factory.LazyAttribute(lambda o: professional(o.organisation))
    contact_name = factory.LazyAttribute(lambda o: o.professional.full_name)
    contact_email = factory.LazyAttribute(lambda o: o.professional.email)
    contact_phone = "06 1234 5678"
    placed_at = factory.LazyFunction(timezone.now)
    ends_on = factory.LazyAttribute(lambda o: o.placed_at.date() + datetime.timedelta(days=730))
    status = SignalStatus.ACTIVE
    informing_status = InformingStatus.INFORMED
    informed_whom = "ouders"
    informed_on = factory.LazyAttribute(lambda o: o.placed_at.date())
    informed_how = "in een gesprek"

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
