"""Factories for matching tests (youths come from the BRP test persons through the `brp_youth` fixture)."""

import datetime

import factory
from django.utils import timezone

from signals.models import InformingStatus, Signal, SignalStatus
from tests.accounts.factories import professional
from tests.regions.factories import OrganisationFactory


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    youth = factory.SubFactory("tests.persons.factories.YouthFactory")
    organisation = factory.SubFactory(OrganisationFactory)
    professional = factory.LazyAttribute(lambda o: professional(o.organisation))
    contact_name = factory.LazyAttribute(lambda o: o.professional.full_name)
    contact_email = factory.LazyAttribute(lambda o: o.professional.email)
    contact_phone = "06 1111 2222"
    placed_at = factory.LazyFunction(timezone.now)
    ends_on = factory.LazyAttribute(lambda o: (o.placed_at + datetime.timedelta(days=730)).date())
    status = SignalStatus.ACTIVE
    informing_status = InformingStatus.INFORMED
    informed_whom = "ouders"
    informed_on = factory.LazyFunction(timezone.localdate)
    informed_how = "gesprek"
