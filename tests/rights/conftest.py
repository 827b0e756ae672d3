"""Fixtures for rights tests: a youth registered in Utrecht with signals of two organisations, and the staff."""

import datetime

import pytest
from django.utils import timezone

from rights import services
from tests.accounts.factories import municipal_staff, process_manager
from tests.persons.factories import YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory

from .factories import SignalFactory, archived

YOUTH_BSN = "111222333"


@pytest.fixture
def other_municipality(region):
    return MunicipalityFactory(cbs_code="0307", name="Amersfoort", region=region)


@pytest.fixture
def other_staff(other_municipality):
    return municipal_staff(other_municipality)


@pytest.fixture
def other_region_manager(other_region):
    return process_manager(other_region)


@pytest.fixture
def youth(db):
    return YouthFactory(bsn=YOUTH_BSN, birth_date=datetime.date(2012, 3, 15), municipality_code="0344")


@pytest.fixture
def school(region):
    return OrganisationFactory(region=region, name="Het Utrechts Lyceum", code="lyceum")


@pytest.fixture
def care(region):
    return OrganisationFactory(region=region, name="Jeugdzorg Midden", code="jeugdzorg-midden")


@pytest.fixture
def active_signal(youth, school):
    return SignalFactory(youth=youth, organisation=school)


@pytest.fixture
def archived_signal(youth, care):
    return archived(SignalFactory(youth=youth, organisation=care))


def register(staff_user, municipality, *, kind="inspection", bsn=YOUTH_BSN, capacity="parent", **extra):
    """A request registered through the service, as the form would."""
    values = {
        "actor": staff_user,
        "municipality": municipality,
        "kind": kind,
        "bsn": bsn,
        "requester_name": "A. de Vries",
        "requester_capacity": capacity,
        "identity_checked": True,
        "identity_check_method": "id_document",
        "received_on": timezone.localdate(),
        "co_requester_name": "K. de Vries" if capacity != "youth" else "",
    }
    values.update(extra)
    return services.rights_request_register(**values)
