"""The database or Redis away: every page and API call answers 503 with Retry-After (JSON on the API, the retry
page in the browser), in development (DEBUG) as in production, never a 500 or a traceback; the error pages
themselves run no query."""

import sys

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from persons.redaction import RedactBsnExceptionReporter
from signals.models import Signal
from tests.api.conftest import ApiCaller
from tests.api.factories import api_client_with_token
from tests.api.test_authentication import assert_error
from tests.conftest import client_for
from tests.matching.test_reliability import RedisServer, _free_port
from tests.notifications.conftest import _reset_broker_pools
from tests.reliability.servers import postgres_stopped
from tests.reliability.test_database_restart import restartable_postgres  # noqa: F401 - shared fixture
from tests.signals.factories import SignalFactory
from verwijsindex import views
from verwijsindex.celery import app as celery_app

MAYA = "999970021"  # born 2015-02-01 (persons/brp_testset)


def _place_body(professional):
    informing = {"status": "informed", "whom": ["parents"], "on": timezone.localdate().isoformat(), "how": "gesprek"}
    return {"professional_email": professional.email, "bsn": MAYA, "birth_date": "2015-02-01", "informing": informing}


def assert_retry_page(response):
    assert response.status_code == 503, (response.status_code, response.content[:300])
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert "even niet beschikbaar" in content
    assert "Traceback" not in content and "OperationalError" not in content


def assert_api_retry(response):
    assert_error(response, 503, "service_unavailable")
    assert response["Retry-After"] == "30"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restartable_postgres")
@pytest.mark.parametrize("debug", [False, True], ids=["production", "development"])
def test_database_stopped_answers_503_with_retry_after_never_500(
    debug,
    settings,
    professional_user,
    organisation,
    region,  # noqa: F811
):
    settings.DEBUG = debug
    signal = SignalFactory(professional=professional_user, organisation=organisation)
    browser = client_for(professional_user, region)
    browser.raise_request_exception = False
    api = ApiCaller(api_client_with_token(organisation)[1])
    api.http.raise_request_exception = False
    stranger = Client(HTTP_HOST="nowhere.localhost", raise_request_exception=False)
    signals_url = "/api/v1/signals/"

    with postgres_stopped():
        for url in (reverse("home"), reverse("signals:list"), reverse("matching:my_matches"), "/bestaat-niet/"):
            assert_retry_page(browser.get(url))
        assert_retry_page(browser.post(reverse("signals:place"), {"bsn": MAYA, "birth_date": "2015-02-01"}))
        assert_retry_page(stranger.get("/"))
        assert_api_retry(api.get(signals_url))
        assert_api_retry(api.get(f"{signals_url}{signal.pk}/matches/"))
        assert_api_retry(api.post(signals_url, _place_body(professional_user), headers={"HTTP_IDEMPOTENCY_KEY": "k1"}))
        assert_api_retry(api.post(f"{signals_url}{signal.pk}/end/", {"reason": "concern_gone"}))
        health = Client(raise_request_exception=False).get("/health/")
        assert health.status_code == 503 and health.json()["code"] == "service_unavailable"
    connection.close()

    assert browser.get(reverse("signals:list")).status_code == 200
    assert api.get(signals_url).status_code == 200


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_redis_stopped_places_reads_and_ends_through_the_api_without_a_500(
    tmp_path, settings, brp, professional_user, organisation, region
):
    redis = RedisServer(tmp_path, _free_port())
    redis.start()
    location = f"redis://127.0.0.1:{redis.port}/0"
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": location}}
    old_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = location
    _reset_broker_pools()
    api = ApiCaller(api_client_with_token(organisation)[1])
    api.http.raise_request_exception = False
    browser = client_for(professional_user, region)
    browser.raise_request_exception = False
    try:
        redis.stop()
        placed = api.post("/api/v1/signals/", _place_body(professional_user), headers={"HTTP_IDEMPOTENCY_KEY": "r1"})
        assert placed.status_code == 201, placed.content
        signal_id = placed.json()["id"]
        assert api.get(f"/api/v1/signals/{signal_id}/matches/").status_code == 200
        assert browser.get(reverse("signals:list")).status_code == 200
        ended = api.post(f"/api/v1/signals/{signal_id}/end/", {"reason": "concern_gone"})
        assert ended.status_code == 200, ended.content
        # detection waits for the sweep (the broker was away): the signal is kept, not matched yet
        assert Signal.objects.get(pk=signal_id).matched_at is None
    finally:
        redis.stop()
        celery_app.conf.broker_url = old_broker
        _reset_broker_pools()


@pytest.mark.django_db
def test_error_pages_run_no_query(rf: RequestFactory, professional_user, region, django_assert_num_queries):
    request = rf.get("/ergens/")
    request.region = region
    request.user = professional_user
    with django_assert_num_queries(0):
        for response in (
            views.page_not_found(request, Exception()),
            views.permission_denied(request, Exception()),
            views.server_error(request),
        ):
            assert response.status_code in (404, 403, 500)
            assert region.name in response.content.decode() or response.status_code == 500


@pytest.mark.django_db
def test_debug_page_of_an_error_shows_querysets_and_lazy_objects_without_querying(rf, django_assert_num_queries):
    def failing_view(signals):
        raise ValueError("boom")

    request = rf.get("/ergens/")
    try:
        failing_view(Signal.objects.filter(status="active"))
    except ValueError:
        reporter = RedactBsnExceptionReporter(request, *sys.exc_info())
        with django_assert_num_queries(0):
            html = reporter.get_traceback_html()
    assert "not evaluated" in html and "ValueError" in html
