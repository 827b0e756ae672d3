"""Issue #22: the overview of a citizen's request lists the signals other deployments hold on the youth, fetched
through the hub for this request (a fake hub here; tests/federation/test_federation_processes.py runs the real one).
"""

import base64

import pytest
from django.urls import reverse

from audit.models import LogEntry
from federation import oprf, regional
from federation.models import RemoteSignalListing
from tests.conftest import client_for

from .conftest import YOUTH_BSN, register

pytestmark = pytest.mark.django_db

HUB_KEY = oprf.derive_key_pair(b"\x05" * 32, b"verwijsindex-hub-k1")


class FakeHub:
    """Answers as the hub would: evaluates the OPRF, registers the request, relays B's answer; records the calls."""

    def __init__(self, *, unavailable=()):
        self.calls, self.unavailable = [], list(unavailable)

    def __call__(self, path, data, idempotency_key):
        self.calls.append((path, data))
        if path.endswith("/oprf/evaluate/"):
            element = base64.b64decode(data["blinded"][0])
            return {"key_id": "k1", "evaluated": [base64.b64encode(oprf.blind_evaluate(HUB_KEY, element)).decode()]}
        if path.endswith("/rights/register/"):
            return {"reference": data["reference"], "registered": True}
        signal = {
            "reference": "b" * 32,
            "region": "Verwijsindex Zuid",
            "organisation": "Jeugdteam Zuid",
            "professional": "Carla Claassen",
            "placed_on": "2026-10-01",
            "ended_on": None,
            "end_reason": "",
            "state": "archived",
        }
        return {
            "reference": data["reference"],
            "deployments": [{"deployment": "region-b", "signals": [signal]}],
            "unavailable": self.unavailable,
        }


@pytest.fixture
def linked(settings, monkeypatch):
    settings.FEDERATION_DEPLOYMENT_ID = "region-a"
    settings.FEDERATION_HUB_URL = "https://hub.invalid"
    hub = FakeHub()
    monkeypatch.setattr(regional, "hub_call", hub)
    return hub


def test_staff_fetch_the_other_deployments_signals_and_the_overview_lists_them(
    linked, region, municipality, staff, youth, active_signal
):
    rights_request = register(staff, municipality, kind="inspection")
    client = client_for(staff, region)
    response = client.post(reverse("rights:request_remote_signals", args=[rights_request.pk]))
    assert response.status_code == 302
    # register the request first, then the youth's key through the OPRF, then the inquiry for that request only
    paths = [path.rsplit("/v1/", 1)[1] for path, _ in linked.calls]
    assert paths == ["rights/register/", "oprf/evaluate/", "rights/inquire/"]
    inquiry = linked.calls[-1][1]
    assert inquiry["reference"] == linked.calls[0][1]["reference"] != rights_request.reference
    assert inquiry["key"] == {
        "kind": "youth",
        "value": oprf.evaluate(HUB_KEY, f"verwijsindex:youth:{YOUTH_BSN}".encode()).hex(),
    }
    assert YOUTH_BSN not in str(linked.calls)  # the hub never sees the BSN
    [listed] = RemoteSignalListing.objects.filter(rights_request_id=rights_request.pk)
    assert (listed.region_name, listed.organisation, listed.state) == (
        "Verwijsindex Zuid",
        "Jeugdteam Zuid",
        "archived",
    )
    logged = LogEntry.objects.get(action="federation_rights_inquiry_sent")
    assert logged.actor_id == staff.pk and logged.youth_pseudonym == rights_request.youth_pseudonym
    assert logged.details["deployments"] == ["region-b"] and logged.details["signals"] == 1
    for page in ("rights:request_overview", "rights:request_detail"):
        html = client.get(reverse(page, args=[rights_request.pk])).content.decode()
        assert "Verwijsindex Zuid" in html and "Jeugdteam Zuid" in html and "Carla Claassen" in html
    # the overview names the other region to address for a correction or objection
    assert "richt de burger tot de verwijsindex van die regio" in html


def test_a_deployment_that_did_not_answer_is_named_and_what_the_others_said_is_kept(
    linked, region, municipality, staff, youth
):
    linked.unavailable = ["region-c"]
    rights_request = register(staff, municipality, kind="copy")
    response = client_for(staff, region).post(
        reverse("rights:request_remote_signals", args=[rights_request.pk]), follow=True
    )
    assert "region-c" in response.content.decode()
    assert RemoteSignalListing.objects.filter(rights_request_id=rights_request.pk).count() == 1
    assert LogEntry.objects.get(action="federation_rights_inquiry_sent").details["unavailable"] == ["region-c"]


def test_nothing_is_asked_for_a_requester_who_may_not_exercise_the_right_or_a_closed_request(
    linked, region, municipality, staff, youth
):
    from rights.models import Authority, RequestStatus, RightsRequest

    not_allowed = register(staff, municipality, kind="inspection")
    RightsRequest.objects.filter(pk=not_allowed.pk).update(authority=Authority.NOT_ALLOWED)
    closed = register(staff, municipality, kind="inspection")
    RightsRequest.objects.filter(pk=closed.pk).update(status=RequestStatus.COMPLETED)
    client = client_for(staff, region)
    for rights_request in (not_allowed, closed):
        assert client.post(reverse("rights:request_remote_signals", args=[rights_request.pk])).status_code == 302
    assert linked.calls == []
    assert not RemoteSignalListing.objects.exists()
    assert not LogEntry.objects.filter(action="federation_rights_inquiry_sent").exists()


def test_a_deployment_not_linked_to_a_hub_asks_nobody(settings, region, municipality, staff, youth):
    settings.FEDERATION_HUB_URL = ""
    rights_request = register(staff, municipality, kind="inspection")
    client = client_for(staff, region)
    response = client.post(reverse("rights:request_remote_signals", args=[rights_request.pk]), follow=True)
    assert "niet gekoppeld" in response.content.decode()
    assert (
        "Signalen in andere verwijsindexen"
        not in client.get(reverse("rights:request_detail", args=[rights_request.pk])).content.decode()
    )


def test_a_professional_and_staff_of_another_municipality_cannot_ask(
    linked, region, municipality, staff, other_staff, youth, active_signal
):
    rights_request = register(staff, municipality, kind="inspection")
    path = reverse("rights:request_remote_signals", args=[rights_request.pk])
    assert client_for(active_signal.professional, region).post(path).status_code == 403
    assert client_for(other_staff, region).post(path).status_code == 404
    assert client_for(staff, region).get(path).status_code == 405
    assert linked.calls == []
