import pytest

from tests.accounts.factories import organisation_coordinator, professional


@pytest.fixture
def colleague(organisation):
    return professional(organisation)


@pytest.fixture
def coordinator(organisation):
    return organisation_coordinator(organisation)
