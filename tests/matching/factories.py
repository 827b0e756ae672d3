"""Factories for matching tests: signals, and youths built from the real BRP test persons."""

import datetime
import json
from functools import lru_cache

import factory
from django.conf import settings
from django.utils import timezone

from signals.models import InformingStatus, Signal, SignalStatus
from tests.accounts.factories import professional
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory


@lru_cache(maxsize=1)
def _brp_persons() -> dict[str, dict]:
    with open(settings.BRP_TEST_DATA, encoding="utf-8") as handle:
        return {person["burgerservicenummer"]: person for person in json.load(handle)}


def _brp_date(value: str) -> datetime.date:
    year, month, day = int(value[:4]), int(value[4:6]) or 1, int(value[6:8]) or 1
    return datetime.date(year, month, day)


def brp_youth(bsn: str, **overrides):
    """The Youth that youth_by_bsn stores for this BRP test person: real BSN, parents' BSNs and BAG id."""
    person = _brp_persons()[bsn]
    address = person.get("verblijfplaats") or {}
    name = person.get("naam") or {}
    birth = (person.get("geboorte") or {}).get("datum", "")
    values = {
        "bsn": bsn,
        "bag_id": address.get("adresseerbaarObjectIdentificatie", ""),
        "parent_bsns": tuple(
            parent["burgerservicenummer"] for parent in person.get("ouders", []) if parent.get("burgerservicenummer")
        ),
        "first_names": name.get("voornamen", ""),
        "name_prefix": name.get("voorvoegsel", ""),
        "surname": name.get("geslachtsnaam", ""),
        "birth_date_brp": birth,
        "birth_date": _brp_date(birth),
        "street": address.get("straat", ""),
        "house_number": int(address["huisnummer"]) if address.get("huisnummer") else None,
        "postcode": address.get("postcode", ""),
        "town": address.get("woonplaats", ""),
        "municipality_code": (person.get("gemeenteVanInschrijving") or {}).get("code", ""),
    }
    values.update(overrides)
    return YouthFactory(**values)


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    youth = factory.SubFactory(YouthFactory)
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
