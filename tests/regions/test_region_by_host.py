"""The region of a request's host: kept per process for a short while, forgotten when a region changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions import selectors
from regions.models import Region
from regions.selectors import region_by_host
from tests.regions.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: now[0])
    return now


def test_a_second_look_up_of_the_same_host_sends_no_query(clock):
    region = RegionFactory(slug="noord", hostnames=["noord.verwijsindex.nl"])
    assert region_by_host("noord.verwijsindex.nl").pk == region.pk
    with CaptureQueriesContext(connection) as queries:
        again = region_by_host("Noord.Verwijsindex.nl.")
    assert again.pk == region.pk
    assert len(queries) == 0


def test_each_caller_gets_its_own_copy(clock):
    RegionFactory(slug="noord", name="Noord")
    first = region_by_host("noord.localhost")
    first.name = "changed by one request"
    assert region_by_host("noord.localhost").name == "Noord"


def test_a_saved_region_is_seen_at_once(clock):
    region = RegionFactory(slug="noord", hostnames=["noord.verwijsindex.nl"])
    assert region_by_host("noord.verwijsindex.nl").reminder_weeks == 4
    region.reminder_weeks = 6
    region.hostnames = ["vi-noord.nl"]
    region.save()
    assert region_by_host("noord.verwijsindex.nl") is None
    assert region_by_host("vi-noord.nl").reminder_weeks == 6


def test_a_change_made_by_another_process_is_seen_within_the_cache_time(clock):
    RegionFactory(slug="noord", name="Noord")
    assert region_by_host("noord.localhost").name == "Noord"
    Region.objects.filter(slug="noord").update(name="Noord-Holland")  # no signal reaches this process
    clock[0] += selectors.HOST_CACHE_SECONDS - 1
    assert region_by_host("noord.localhost").name == "Noord"
    clock[0] += 2
    assert region_by_host("noord.localhost").name == "Noord-Holland"


def test_a_deleted_region_is_gone_at_once(clock):
    region = RegionFactory(slug="noord")
    assert region_by_host("noord.localhost") is not None
    region.delete()
    assert region_by_host("noord.localhost") is None


def test_hosts_that_name_no_region_are_not_kept(clock):
    for number in range(50):
        assert region_by_host(f"unknown-{number}.example.org") is None
    assert selectors._regions_by_host == {}
