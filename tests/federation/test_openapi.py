"""docs/federation-hub.openapi.yaml describes every endpoint of the hub, and the hub's answers fit it."""

from pathlib import Path

import jsonschema
import pytest
import yaml
from django.urls import URLPattern

from federation import hub_urls
from tests.federation.test_hub import REGISTER, key, ref, registration

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "federation-hub.openapi.yaml").read_text())


def _schema(name: str) -> dict:
    """A component schema with its references resolvable (the whole document as the root)."""
    return {**SPEC, "$ref": f"#/components/schemas/{name}"}


def test_every_protocol_endpoint_of_the_hub_is_described_and_nothing_else():
    protocol_paths = {
        f"/{pattern.pattern}"
        for pattern in hub_urls.urlpatterns
        if isinstance(pattern, URLPattern) and str(pattern.pattern).startswith("federation/")
    }
    assert protocol_paths == set(SPEC["paths"])
    assert all(set(operations) == {"post"} for operations in SPEC["paths"].values())


@pytest.mark.django_db
@pytest.mark.urls("federation.hub_urls")
def test_a_registration_answer_fits_the_description(hub_settings, caller):
    caller("region-a").post(REGISTER, registration(ref("a1"), key("parent", "999999126")))
    body = registration(ref("b1"), key("parent", "999999126"))
    jsonschema.validate(body, _schema("Registration"))
    answer = caller("region-b").post(REGISTER, body).json()
    jsonschema.validate(answer, _schema("MatchAnswer"))
    assert answer["partners"]


@pytest.mark.django_db
@pytest.mark.urls("federation.hub_urls")
def test_a_coordinator_decision_and_its_notices_fit_the_description(hub_settings, caller):
    from tests.federation.test_hub import DECIDE, NOTICES

    a, b = caller("region-a"), caller("region-b")
    a.post(REGISTER, registration(ref("a1"), key("parent", "999999126"), placed_on="2026-11-01"))
    b.post(REGISTER, registration(ref("b1"), key("parent", "999999126"), placed_on="2026-11-02"))
    answer = a.post(
        DECIDE, {"decider_reference": ref("a1"), "coordinator": {"deployment": "region-b", "reference": ref("b1")}}
    ).json()
    jsonschema.validate(answer, _schema("MatchAnswer"))
    assert answer["coordinator"]["reference"] == ref("b1")
    notices_path = SPEC["paths"][NOTICES]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    notices = b.post(NOTICES, {}).json()
    jsonschema.validate(notices, {**SPEC, **notices_path})
    assert any(n["event"] == "coordinator" and n["decider"] for n in notices["notices"])


@pytest.mark.django_db
@pytest.mark.urls("federation.hub_urls")
def test_a_rights_inquiry_and_its_answer_fit_the_description(hub_settings, caller, monkeypatch):
    from federation import hub_rights
    from tests.federation.test_rights import FakeDeployments

    monkeypatch.setattr(hub_rights.protocol, "call", FakeDeployments())
    caller("region-b").post(REGISTER, registration(ref("b1"), key("youth", "999970021")))
    a = caller("region-a")
    request = {"reference": ref("request-1"), "kind": "inspection"}
    jsonschema.validate(request, _schema("RightsRequest"))
    assert a.post("/federation/v1/rights/register/", request).status_code == 200
    answer = a.post(
        "/federation/v1/rights/inquire/",
        {"reference": ref("request-1"), "key_id": "k2", "key": key("youth", "999970021")},
    ).json()
    jsonschema.validate(answer, _schema("RightsInquiryAnswer"))
    assert answer["deployments"][0]["signals"]
