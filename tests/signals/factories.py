import datetime

import factory
from django.utils import timezone

from signals.models import InformingStatus, Signal, SignalStatus
from tests.accounts.factories import professional
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory


class SignalFactory(factory.django.DjangoModelFactory):
    """An active signal as signal_place would store it (hooks and logbook not run)."""

    class Meta:
        model = Signal

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
    informed_whom = "parents"
    informed_on = factory.LazyAttribute(lambda o: o.placed_at.date())
    informed_how = "in een gesprek"


def informed(on: datetime.date, whom=("youth", "parents")) -> dict:
    return {"status": "informed", "whom": list(whom), "on": on, "how": "in een gesprek"}
