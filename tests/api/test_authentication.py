"""Who may call the API: a client's token, not revoked, with its pinned certificate, on a fitting host."""

import pytest
from django.test import override_settings

from api.services import api_client_revoke
from audit.models import LogEntry
from tests.conftest import host_of

from .conftest import ApiCaller
from .factories import api_client_with_token

SIGNALS = "/api/v1/signals/"
FINGERPRINT = "ab" * 32

pytestmark = pytest.mark.django_db


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message_nl", "message_en", "field"}
    assert body["code"] == code
    assert body["field"] == field
    assert body["message_nl"] and body["message_en"]
    assert body["message_nl"] != body["message_en"]
    return body


def test_call_without_credentials_is_refused_with_401_and_a_bearer_challenge(client_a):
    response = ApiCaller("").get(SIGNALS)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer nonsense", "Bearer vi-0000.secret", "Bearer a.b.c", "Bearer", "Bearer x y", "Basic dXNlcjpwdw=="],
)
def test_wrong_credentials_are_refused(client_a, authorization):
    response = ApiCaller(authorization).get(SIGNALS)
    assert response.status_code == 401
    assert response.json()["code"] in ("authentication_failed", "not_authenticated")


def test_right_client_id_with_wrong_secret_is_refused(client_a):
    client, _ = client_a
    response = ApiCaller(f"Bearer {client.client_id}.{'x' * 43}").get(SIGNALS)
    assert_error(response, 401, "authentication_failed")


def test_valid_token_is_accepted(api_a):
    assert api_a.get(SIGNALS).status_code == 200


def test_revoked_secret_stops_working_at_once(client_a, api_a, org_a):
    assert api_a.get(SIGNALS).status_code == 200
    api_client_revoke(client=client_a[0], actor=None)
    assert_error(api_a.get(SIGNALS), 401, "authentication_failed")


def test_deactivated_client_is_refused(client_a, api_a):
    client_a[0].active = False
    client_a[0].save()
    assert_error(api_a.get(SIGNALS), 401, "authentication_failed")


def test_only_a_hash_of_the_secret_is_stored(client_a):
    client, authorization = client_a
    secret = authorization.split(".", 1)[1]
    assert secret not in client.secret_sha256
    assert len(secret) >= 43  # 256 bits, url-safe base64


def test_pinned_certificate_is_required_when_configured(org_a):
    _, authorization = api_client_with_token(org_a, certificate_fingerprint=FINGERPRINT.upper())
    caller = ApiCaller(authorization)
    assert_error(caller.get(SIGNALS), 403, "client_certificate_mismatch")
    assert_error(
        caller.get(SIGNALS, headers={"HTTP_X_SSL_CLIENT_FINGERPRINT": "cd" * 32}), 403, "client_certificate_mismatch"
    )
    colons = ":".join(["AB"] * 32)
    assert caller.get(SIGNALS, headers={"HTTP_X_SSL_CLIENT_FINGERPRINT": colons}).status_code == 200


@override_settings(API_CLIENT_CERT_HEADER="X-Client-Cert-Sha256")
def test_certificate_header_name_is_configurable(org_a):
    _, authorization = api_client_with_token(org_a, certificate_fingerprint=FINGERPRINT)
    caller = ApiCaller(authorization)
    assert caller.get(SIGNALS, headers={"HTTP_X_SSL_CLIENT_FINGERPRINT": FINGERPRINT}).status_code == 403
    assert caller.get(SIGNALS, headers={"HTTP_X_CLIENT_CERT_SHA256": FINGERPRINT}).status_code == 200


def test_client_without_pin_ignores_the_certificate_header(api_a):
    assert api_a.get(SIGNALS, headers={"HTTP_X_SSL_CLIENT_FINGERPRINT": "cd" * 32}).status_code == 200


def test_api_answers_on_the_clients_own_region_host_but_not_on_another_regions(client_a, org_a, other_region):
    _, authorization = client_a
    assert ApiCaller(authorization, host=host_of(org_a.region)).get(SIGNALS).status_code == 200
    assert_error(ApiCaller(authorization, host=host_of(other_region)).get(SIGNALS), 403, "wrong_host")


def test_every_call_is_logged_with_the_client(client_a, api_a, org_a):
    api_a.get(SIGNALS)
    entry = LogEntry.objects.get(action="api_call")
    assert entry.details["api_client_id"] == client_a[0].pk
    assert entry.details["endpoint"] == "signals_list"
    assert entry.details["status"] == 200
    assert entry.region_id == org_a.region_id
    assert client_a[0].client_id in entry.actor_label


def test_last_use_is_recorded(client_a, api_a):
    api_a.get(SIGNALS)
    client_a[0].refresh_from_db()
    assert client_a[0].last_used_at is not None
