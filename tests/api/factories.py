import datetime

import factory
from django.utils import timezone

from api.services import api_client_create
from signals.models import Signal
from tests.persons.factories import YouthFactory


def api_client_with_token(organisation, **kwargs):
    """An API client of the organisation and its `Authorization` header value."""
    client, token = api_client_create(organisation=organisation, name=kwargs.pop("name", "CRS"), **kwargs)
    return client, f"Bearer {token}"


class SignalFactory(factory.django.DjangoModelFactory):
    """A signal as signal_place stores it, without the services (for reads of the API)."""

    class Meta:
        model = Signal

    youth = factory.SubFactory(YouthFactory)
    professional = None
    organisation = None
    contact_name = factory.LazyAttribute(lambda o: o.professional.full_name)
    contact_email = factory.LazyAttribute(lambda o: o.professional.email)
    contact_phone = "06 1234 5678"
    placed_at = factory.LazyFunction(timezone.now)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=730))
    informing_status = "informed"
    informed_whom = "parents"
    informed_on = factory.LazyFunction(timezone.localdate)
    informed_how = "gesprek"
