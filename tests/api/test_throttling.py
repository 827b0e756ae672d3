"""Rate limits per client: over the limit a 429 in the error shape; other clients are not affected."""

import pytest
from django.test import override_settings

from audit.models import LogEntry

from .test_authentication import assert_error

pytestmark = pytest.mark.django_db


@override_settings(API_THROTTLE_RATE="3/minute")
def test_client_over_its_rate_gets_429_with_retry_after(api_a, api_b):
    for _ in range(3):
        assert api_a.get("/api/v1/signals/").status_code == 200
    response = api_a.get("/api/v1/signals/")
    body = assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert response["Retry-After"] in body["message_nl"]
    assert api_b.get("/api/v1/signals/").status_code == 200
    refused = LogEntry.objects.get(action="api_call", details__status=429)
    assert refused.details["endpoint"] == "signals_list" and refused.details["error"] == "throttled"


@override_settings(API_PLACE_THROTTLE_RATE="2/minute")
def test_placing_has_its_own_lower_limit(api_a):
    for _ in range(2):
        assert api_a.post("/api/v1/signals/", {}).status_code == 400
    assert_error(api_a.post("/api/v1/signals/", {}), 429, "throttled")
    assert api_a.get("/api/v1/signals/").status_code == 200


def test_rate_limit_fails_open_when_redis_is_down(api_a):
    dead_redis = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    with override_settings(CACHES=dead_redis, API_THROTTLE_RATE="1/minute"):
        for _ in range(3):
            assert api_a.get("/api/v1/signals/").status_code == 200
