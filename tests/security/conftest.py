"""Fixtures the attack tests share with the API tests (an API client of organisation A and its professional)."""

from tests.api.conftest import api_a, client_a, org_a, prof_a  # noqa: F401 (fixtures)
