"""Every error of the API has one shape: code, Dutch and English message, field."""

import pytest
from django.test import override_settings

from .test_authentication import assert_error

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_a_json_404(api_a):
    assert_error(api_a.get("/api/v1/does-not-exist/"), 404, "not_found")
    assert_error(api_a.post("/api/v1/signals"), 404, "not_found")


@pytest.mark.parametrize("path", ["/api/v1/signals/%C3%9B%0A/follow-up/", "/api/v2/signals/", "/api/"])
def test_api_paths_outside_the_routes_are_a_json_404_too(api_a, path):
    # a newline in the path once slipped past the catch-all route and got the HTML 404 page
    assert_error(api_a.post(path), 404, "not_found")


def test_unknown_path_outside_the_api_is_still_the_html_page(api_a):
    response = api_a.http.get("/bestaat-niet/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_is_a_json_405(api_a):
    assert_error(
        api_a.http.delete("/api/v1/signals/", HTTP_AUTHORIZATION=api_a.authorization), 405, "method_not_allowed"
    )


def test_malformed_json_is_a_400_parse_error(api_a):
    response = api_a.http.post(
        "/api/v1/signals/", "{not json", content_type="application/json", HTTP_AUTHORIZATION=api_a.authorization
    )
    assert_error(response, 400, "parse_error")


def test_form_encoded_body_is_a_415(api_a):
    response = api_a.http.post("/api/v1/signals/", {"bsn": "1"}, HTTP_AUTHORIZATION=api_a.authorization)
    assert_error(response, 415, "unsupported_media_type")


def test_missing_field_names_the_field(api_a):
    body = assert_error(api_a.post("/api/v1/signals/", {"bsn": "111222333"}), 400, "required", "professional_email")
    assert body["message_nl"] == "Dit veld is verplicht."
    assert body["message_en"] == "This field is required."


def test_nested_field_error_names_the_dotted_path(api_a):
    body = {
        "professional_email": "a@example.nl",
        "bsn": "111222333",
        "birth_date": "2015-06-01",
        "informing": {"status": "maybe"},
    }
    assert_error(api_a.post("/api/v1/signals/", body), 400, "invalid_choice", "informing.status")


def test_invalid_date_is_a_400_on_that_field(api_a):
    body = {"professional_email": "a@example.nl", "bsn": "1", "birth_date": "1 juni", "informing": {}}
    assert_error(api_a.post("/api/v1/signals/", body), 400, "invalid", "birth_date")


def test_invalid_status_filter_is_a_400(api_a):
    assert_error(api_a.get("/api/v1/signals/", {"status": "deleted"}), 400, "invalid_choice", "status")


def test_messages_are_in_both_languages_whatever_the_client_asks(api_a):
    response = api_a.get("/api/v1/signals/1/", headers={"HTTP_ACCEPT_LANGUAGE": "en"})
    body = assert_error(response, 404, "not_found")
    assert body["message_nl"] == "Niet gevonden."
    assert body["message_en"] == "Not found."


def test_html_accept_header_still_gets_json(api_a):
    response = api_a.get("/api/v1/signals/", headers={"HTTP_ACCEPT": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_unexpected_error_is_a_generic_500_without_details(api_a, monkeypatch):
    from api import endpoints

    def explode(**kwargs):
        raise RuntimeError("database exploded 123456782")

    monkeypatch.setattr(endpoints, "signals_of_client", explode)
    with override_settings(DEBUG=False):
        response = api_a.get("/api/v1/signals/")
    body = assert_error(response, 500, "server_error")
    assert "123456782" not in response.content.decode()
    assert "exploded" not in body["message_nl"]


def test_unknown_query_parameter_is_refused_not_ignored(api_a):
    assert_error(api_a.get("/api/v1/signals/", {"profesional": "a@example.nl"}), 400, "unknown_field", "profesional")


@pytest.mark.parametrize("query", ["status=", "page=0", "page=x", "page_size=500", "page_size=", "page=1&page=2"])
def test_bad_list_parameters_are_refused(api_a, query):
    response = api_a.http.get(f"/api/v1/signals/?{query}", HTTP_AUTHORIZATION=api_a.authorization)
    assert response.status_code == 400
    assert response.json()["field"] == query.split("=")[0]
