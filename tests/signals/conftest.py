import pytest

from tests.accounts.factories import professional


@pytest.fixture
def colleague(organisation):
    return professional(organisation)
