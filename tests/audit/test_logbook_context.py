"""Who, from where and in which region: the request's (middleware) or the task's (Celery hooks), read by log_event."""

import pytest
from celery import shared_task
from django.test import RequestFactory
from django.urls import reverse

from audit.context import LogContext, log_context, log_context_set
from audit.models import LogEntry
from audit.services import SYSTEM_ACTOR, log_event
from persons.bsn import bsn_pseudonym
from tests.accounts.factories import professional
from tests.conftest import client_for
from tests.notifications.conftest import celery_eager  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_an_entry_written_without_request_takes_actor_address_and_region_from_the_context(organisation, region):
    user = professional(organisation)
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user, request.region = user, region
    with log_context_set(LogContext(request=request)):
        entry = log_event(action="signal_viewed", signal_id=5)
    assert (entry.actor_id, entry.actor_label, entry.ip_address, entry.region_id) == (
        user.pk,
        user.full_name or user.email,
        "192.0.2.7",
        region.pk,
    )


def test_what_the_caller_names_wins_over_the_context(organisation, region, other_region):
    user, other = professional(organisation), professional(organisation)
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user, request.region = user, region
    with log_context_set(LogContext(request=request)):
        entry = log_event(action="signal_viewed", actor=other, region_id=other_region.pk)
    assert (entry.actor_id, entry.region_id) == (other.pk, other_region.pk)


def test_without_a_context_the_entry_is_the_systems():
    assert log_context() == LogContext()
    entry = log_event(action="signal_expired")
    assert (entry.actor_id, entry.actor_label, entry.ip_address, entry.region_id) == (None, SYSTEM_ACTOR, None, None)


def test_the_middleware_sets_the_context_for_a_view_that_passes_no_request(region, manager):
    """The logbook search records its own use through audit.events, which takes no request."""
    client = client_for(manager, region)
    client.post(reverse("audit:logbook"), {"bsn": "111222333"}, REMOTE_ADDR="198.51.100.4")
    entry = LogEntry.objects.get(action="logbook_searched_by_bsn")
    assert (entry.actor_id, entry.ip_address, entry.region_id) == (manager.pk, "198.51.100.4", region.pk)
    assert entry.youth_pseudonym == bsn_pseudonym("111222333")
    assert log_context() == LogContext()  # and the request's context ends with the request


@shared_task(name="tests.audit.log_from_a_task")
def _log_from_a_task() -> int:
    return log_event(action="signal_expired").pk


def test_a_celery_task_logs_as_the_system_even_when_run_inside_a_request(celery_eager, organisation, region):  # noqa: F811
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user, request.region = professional(organisation), region
    with log_context_set(LogContext(request=request)):
        entry = LogEntry.objects.get(pk=_log_from_a_task.delay().get())
        assert log_context().request is request  # restored after the task
    assert (entry.actor_id, entry.actor_label, entry.ip_address) == (None, SYSTEM_ACTOR, None)
