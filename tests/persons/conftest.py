"""Fixtures of the persons tests: the BRP test persons by role."""

import json

import pytest
from django.conf import settings

from persons.brp.embedded import register_records


@pytest.fixture(scope="session")
def brp_records() -> dict[str, dict]:
    return register_records(settings.BRP_TEST_DATA)


def bsns_where(records: dict[str, dict], predicate) -> list[str]:
    return sorted(bsn for bsn, record in records.items() if predicate(record))


def as_json(record) -> str:
    return json.dumps(record, sort_keys=True)
