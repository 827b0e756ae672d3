"""Fixtures shared by every test: regions on their hosts and clients logged in with two factors."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import professional
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory


def host_of(region) -> str:
    return f"{region.slug}.localhost"


def client_for(user, region) -> Client:
    """A test client on the region's host, logged in and verified with a confirmed TOTP device."""
    client = Client(HTTP_HOST=host_of(region))
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def _clear_cache():
    """The cache is a real Redis shared across tests; start each test with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def region(db):
    return RegionFactory(name="Verwijsindex Midden-Nederland", slug="midden-nederland")


@pytest.fixture
def other_region(db):
    return RegionFactory(name="Verwijsindex Haaglanden", slug="haaglanden")


@pytest.fixture
def municipality(region):
    return MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)


@pytest.fixture
def organisation(region):
    return OrganisationFactory(region=region)


@pytest.fixture
def professional_user(organisation):
    return professional(organisation)


@pytest.fixture
def anonymous_client(region):
    return Client(HTTP_HOST=host_of(region))
