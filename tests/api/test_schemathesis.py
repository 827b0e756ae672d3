"""Schemathesis against the API's own OpenAPI document: no server error, no response that breaks the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25


@pytest.fixture
def api_schema(db):
    """The schema as the WSGI application serves it; calls go through the same application in this thread."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from verwijsindex.wsgi import application

    # like Django's test client: the request must not close the test's database connection (and transaction)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def _run(operation, authorization, mode, checks):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        # Every call carries the client's own Authorization header, which undoes a negative case's header
        # mutation (e.g. the header left out) and turns it into a valid request; tests/api/test_authentication.py
        # covers the missing and wrong credentials.
        assume(not (case.meta and case.meta.is_negative_at(ParameterLocation.HEADER)))
        case.call_and_validate(headers={"Authorization": authorization}, checks=checks)

    run()


def test_schema_has_every_endpoint(api_schema):
    labels = {f"{op.method.upper()} {op.path}" for op in _operations(api_schema)}
    assert {"GET /api/v1/signals/", "POST /api/v1/signals/", "POST /api/v1/signals/{signal_id}/end/"} <= labels


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(api_schema, brp, client_a, org_a, prof_a, mode):
    for _ in range(3):
        SignalFactory(professional=prof_a, organisation=org_a)
    checks = CHECKS + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])
    for operation in _operations(api_schema):
        _run(operation, client_a[1], mode, checks)
