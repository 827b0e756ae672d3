import pytest

from tests.foundation.environments import production_environment


@pytest.fixture
def production_env():
    return production_environment()
