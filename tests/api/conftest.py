"""Fixtures of the API tests: two organisations in two regions, each with a client and a professional."""

import pytest
from django.test import Client

from tests.accounts.factories import professional
from tests.regions.factories import OrganisationFactory

from .factories import api_client_with_token


class ApiCaller:
    """A test client that calls the API with a client's token (on a host that serves no region)."""

    def __init__(self, authorization: str, host: str = "api.localhost"):
        self.http = Client(HTTP_HOST=host)
        self.authorization = authorization

    def _headers(self, headers):
        return {"HTTP_AUTHORIZATION": self.authorization, **(headers or {})}

    def get(self, path, params=None, headers=None):
        return self.http.get(path, params or {}, **self._headers(headers))

    def post(self, path, body=None, headers=None):
        return self.http.post(path, body or {}, content_type="application/json", **self._headers(headers))


@pytest.fixture
def org_a(organisation):
    return organisation


@pytest.fixture
def org_b(other_region):
    return OrganisationFactory(region=other_region)


@pytest.fixture
def prof_a(org_a):
    return professional(org_a)


@pytest.fixture
def prof_b(org_b):
    return professional(org_b)


@pytest.fixture
def client_a(org_a):
    return api_client_with_token(org_a)


@pytest.fixture
def client_b(org_b):
    return api_client_with_token(org_b)


@pytest.fixture
def api_a(client_a):
    return ApiCaller(client_a[1])


@pytest.fixture
def api_b(client_b):
    return ApiCaller(client_b[1])
