"""The OpenAPI document and its readable page (no JavaScript, fit for the strict CSP)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_schema_is_served_as_openapi_3_json():
    response = Client(HTTP_HOST="api.localhost").get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/signals/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["apiClient"]["scheme"] == "bearer"
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "message_nl", "message_en", "field"}


def test_schema_mentions_no_bsn_in_any_response():
    schema = Client(HTTP_HOST="api.localhost").get("/api/v1/schema/?format=json").json()
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("Request"):
            assert "bsn" not in component.get("properties", {}), name


def test_docs_page_renders_the_operations_without_inline_script_or_style():
    response = Client(HTTP_HOST="api.localhost").get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "POST /api/v1/signals/" in page
    assert "message_en" in page
    assert "<script" not in page and "<style" not in page and "style=" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
