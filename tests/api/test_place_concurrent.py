"""Two calls with the same Idempotency-Key at the same moment: one signal, the same answer twice."""

import threading

import pytest
from django.db import connections

from signals.models import Signal
from tests.accounts.factories import professional
from tests.regions.factories import OrganisationFactory, RegionFactory

from .conftest import ApiCaller
from .factories import api_client_with_token
from .test_place import place_body


@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_with_one_key_place_one_signal(brp):
    organisation = OrganisationFactory(region=RegionFactory())
    prof = professional(organisation)
    _, authorization = api_client_with_token(organisation)
    barrier = threading.Barrier(4)
    responses = []

    def call():
        try:
            barrier.wait()
            response = ApiCaller(authorization).post(
                "/api/v1/signals/", place_body(prof), headers={"HTTP_IDEMPOTENCY_KEY": "same-moment"}
            )
            responses.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _ in responses] == [201] * 4
    assert len({body["id"] for _, body in responses}) == 1
    assert Signal.objects.count() == 1
