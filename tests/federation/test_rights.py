"""Citizens' requests across deployments, in-process: the hub relays an inquiry only for a registered request, for
one youth, to the deployments holding that youth's key, a limited number of times; a deployment answers only the
hub, only for the signals the hub names, and logs each. Key rotation: the status figure and re-registration."""

import base64

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import LogEntry
from federation import hub, hub_rights, protocol
from federation.models import FederatedSignal, FederationCall, HubRightsRequest
from tests.conftest import client_for
from tests.federation.conftest import Caller
from tests.federation.test_hub import EVALUATE, LOOKUP, REGISTER, key, ref, registration
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

RIGHTS_REGISTER = "/federation/v1/rights/register/"
INQUIRE = "/federation/v1/rights/inquire/"
hub_urls = pytest.mark.urls("federation.hub_urls")


class FakeDeployments:
    """Stands in for the deployments the hub relays to: records who was asked about what, answers per reference."""

    def __init__(self, down=()):
        self.asked, self.down = [], set(down)

    def __call__(self, *, base_url, path, data, idempotency_key, peer, peer_certificate, **kwargs):
        self.asked.append((peer, path, sorted(data["references"]), data["from_deployment"], data["request_reference"]))
        if peer in self.down:
            raise protocol.ProtocolError(f"{peer} not reached")
        return {
            "signals": [
                {"reference": r, "region": f"Regio {peer}", "organisation": "Jeugdteam", "placed_on": "2026-11-01"}
                for r in data["references"]
            ]
            # a deployment that answers about a signal it was not asked about: the hub drops it
            + [{"reference": ref("not-asked"), "organisation": "X", "placed_on": "2026-11-01"}]
        }


@pytest.fixture
def deployments(monkeypatch):
    fake = FakeDeployments()
    monkeypatch.setattr(hub_rights.protocol, "call", fake)
    return fake


def _family(a, b, c):
    """Youth 999970021 has signals in A and B; C has a signal on a sibling (the parent's key only)."""
    a.post(REGISTER, registration(ref("a1"), key("youth", "999970021"), key("parent", "999999126")))
    b.post(REGISTER, registration(ref("b1"), key("youth", "999970021"), key("parent", "999999126")))
    b.post(REGISTER, registration(ref("b2"), key("youth", "999970021")))
    c.post(REGISTER, registration(ref("c1"), key("youth", "999970033"), key("parent", "999999126")))


def _inquiry(reference: str, bsn: str = "999970021") -> dict:
    return {"reference": reference, "key_id": "k2", "key": key("youth", bsn)}


@hub_urls
def test_an_inquiry_without_a_registered_request_is_refused(hub_settings, caller, deployments):
    a, b, c = caller("region-a"), caller("region-b"), caller("region-b")
    _family(a, b, c)
    refused = a.post(INQUIRE, _inquiry(ref("request-1")))
    assert refused.status_code == 403 and refused.json() == {"code": "rights_request_not_registered"}
    # another deployment's registered request does not count either
    assert b.post(RIGHTS_REGISTER, {"reference": ref("request-1"), "kind": "inspection"}).status_code == 200
    assert a.post(INQUIRE, _inquiry(ref("request-1"))).status_code == 403
    assert deployments.asked == []
    assert FederationCall.objects.filter(path=INQUIRE, status=403, peer="region-a").count() == 2


@hub_urls
def test_a_registered_request_is_relayed_only_to_the_deployments_holding_the_youths_key(
    hub_settings, caller, deployments, pki, tmp_path
):
    from tests.federation.conftest import write_trust

    write_trust(tmp_path / "trust.json", pki, deployments=("region-a", "region-b", "operator"))
    a, b, c = caller("region-a"), caller("region-b"), caller("operator")
    _family(a, b, c)
    assert a.post(RIGHTS_REGISTER, {"reference": ref("request-1"), "kind": "inspection"}).status_code == 200
    answer = a.post(INQUIRE, _inquiry(ref("request-1")))
    assert answer.status_code == 200
    # B holds two signals on the youth; "operator" (a third deployment here) holds one on a sibling: not asked;
    # A's own signal is not listed (A shows it itself)
    assert deployments.asked == [
        ("region-b", "/federation/v1/rights/inquiry/", sorted([ref("b1"), ref("b2")]), "region-a", ref("request-1"))
    ]
    body = answer.json()
    assert body["unavailable"] == []
    assert [d["deployment"] for d in body["deployments"]] == ["region-b"]
    assert sorted(s["reference"] for s in body["deployments"][0]["signals"]) == sorted([ref("b1"), ref("b2")])
    # relayed, not kept: no stored answer at the hub
    from federation.models import IdempotentCall

    assert not IdempotentCall.objects.filter(peer="region-a", answer__has_key="deployments").exists()


@hub_urls
def test_a_request_is_for_one_youth_and_a_few_inquiries(hub_settings, caller, deployments):
    a, b = caller("region-a"), caller("region-b")
    _family(a, b, b)
    a.post(RIGHTS_REGISTER, {"reference": ref("request-1"), "kind": "copy"})
    assert a.post(INQUIRE, _inquiry(ref("request-1"))).status_code == 200
    other = a.post(INQUIRE, _inquiry(ref("request-1"), bsn="999970033"))
    assert other.status_code == 403 and other.json() == {"code": "rights_request_other_youth"}
    statuses = [a.post(INQUIRE, _inquiry(ref("request-1"))).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    # only the youth's key: not a parent's or an address's
    a.post(RIGHTS_REGISTER, {"reference": ref("request-2"), "kind": "inspection"})
    parent = a.post(INQUIRE, {"reference": ref("request-2"), "key_id": "k2", "key": key("parent", "999999126")})
    assert parent.status_code == 400


@hub_urls
def test_registering_requests_is_limited_per_deployment_and_day(hub_settings, caller):
    hub_settings.FEDERATION_RIGHTS_LIMIT_PER_DAY = 2
    a, b = caller("region-a"), caller("region-b")
    statuses = [
        a.post(RIGHTS_REGISTER, {"reference": ref(f"r{n}"), "kind": "inspection"}).status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    # registering an already registered request again is no new request
    assert a.post(RIGHTS_REGISTER, {"reference": ref("r0"), "kind": "inspection"}).status_code == 200
    assert b.post(RIGHTS_REGISTER, {"reference": ref("r0"), "kind": "inspection"}).status_code == 200
    assert HubRightsRequest.objects.filter(deployment="region-a").count() == 2
    assert a.post(RIGHTS_REGISTER, {"reference": ref("r9"), "kind": "search"}).status_code == 400


@hub_urls
def test_a_deployment_that_cannot_be_reached_is_named_in_the_answer(hub_settings, caller, monkeypatch):
    fake = FakeDeployments(down={"region-b"})
    monkeypatch.setattr(hub_rights.protocol, "call", fake)
    a, b = caller("region-a"), caller("region-b")
    _family(a, b, b)
    a.post(RIGHTS_REGISTER, {"reference": ref("request-1"), "kind": "inspection"})
    body = a.post(INQUIRE, _inquiry(ref("request-1"))).json()
    assert body == {"reference": ref("request-1"), "deployments": [], "unavailable": ["region-b"]}


@hub_urls
@pytest.mark.parametrize("endpoint", [RIGHTS_REGISTER, INQUIRE])
def test_the_rights_endpoints_refuse_callers_without_a_trusted_certificate_or_signature(
    hub_settings, caller, deployments, endpoint, pki, tmp_path
):
    from tests.federation.conftest import write_trust

    body = {"reference": ref("request-1"), "kind": "inspection", "key_id": "k2", "key": key("youth", "999970021")}
    assert Client().post(endpoint, body, content_type="application/json").status_code == 403  # anonymous
    assert caller("stranger").post(endpoint, body).status_code == 403  # not on the trust list
    assert caller("region-a").post(endpoint, body, sign=False).status_code == 403  # unsigned
    assert caller("region-a").post(endpoint, body, sender="region-b").status_code == 403  # names another sender
    write_trust(tmp_path / "trust.json", pki, deployments=("region-b",))
    refused = caller("region-a").post(endpoint, body)  # taken off the trust list
    assert refused.status_code == 403 and refused.json() == {"code": "not_trusted"}
    assert not HubRightsRequest.objects.exists() and deployments.asked == []


# --- the deployment's side ------------------------------------------------------------------------------------


@pytest.fixture
def regional_settings(settings, pki):
    settings.VERWIJSINDEX_ROLE = "regional"
    settings.FEDERATION_DEPLOYMENT_ID = "region-a"
    settings.FEDERATION_HUB_URL = "https://hub.invalid"
    settings.FEDERATION_TLS_CERT = str(pki["region-a"]["cert"])
    settings.FEDERATION_TLS_KEY = str(pki["region-a"]["key"])
    settings.FEDERATION_HUB_CERT = str(pki["hub"]["cert"])
    return settings


def _relayed(**overrides) -> dict:
    return {
        "from_deployment": "region-b",
        "request_reference": ref("request-1"),
        "kind": "inspection",
        "references": ["a" * 32],
        **overrides,
    }


def test_the_hub_asks_about_named_signals_and_each_answer_is_logged(regional_settings, pki):
    asked = SignalFactory()
    FederatedSignal.objects.create(signal_id=asked.pk, reference="a" * 32)
    not_asked = SignalFactory(youth=asked.youth)
    FederatedSignal.objects.create(signal_id=not_asked.pk, reference="b" * 32)
    response = Caller("hub", pki).post(reverse("federation:rights_inquiry"), _relayed(), sender="hub")
    assert response.status_code == 200
    [answered] = response.json()["signals"]
    assert answered["reference"] == "a" * 32
    assert answered["organisation"] == asked.organisation.name
    assert answered["region"] == asked.organisation.region.name
    assert answered["state"] == "active" and answered["ended_on"] is None
    assert "999" not in str(response.json())  # no BSN, no youth
    entry = LogEntry.objects.get(action="federation_rights_inquiry_answered")
    assert entry.signal_id == asked.pk and entry.youth_pseudonym == asked.youth.pseudonym
    assert entry.details["from_deployment"] == "region-b"
    assert entry.details["request_reference"] == ref("request-1")


@pytest.mark.parametrize("who", ["region-a", "region-b", "stranger", "operator"])
def test_only_the_hub_may_ask_a_deployment(regional_settings, pki, who):
    signal = SignalFactory()
    FederatedSignal.objects.create(signal_id=signal.pk, reference="a" * 32)
    response = Caller(who, pki).post(reverse("federation:rights_inquiry"), _relayed())
    assert response.status_code == 403
    assert not LogEntry.objects.filter(action="federation_rights_inquiry_answered").exists()


def test_users_of_every_role_are_refused_at_the_rights_inquiry(
    regional_settings, professional_user, region, manager, staff
):
    path = reverse("federation:rights_inquiry")
    for client in (Client(), *(client_for(user, region) for user in (professional_user, manager, staff))):
        assert client.post(path, _relayed(), content_type="application/json").status_code == 403
    assert not LogEntry.objects.filter(action="federation_rights_inquiry_answered").exists()


# --- key rotation ---------------------------------------------------------------------------------------------


@hub_urls
def test_after_re_registering_under_the_new_key_matches_are_found_and_the_old_key_can_go(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    # both registered under k1 while k1 was the newest
    a.post(REGISTER, registration(ref("a1"), key("youth", "999970021", "k1"), key_id="k1"))
    b.post(REGISTER, registration(ref("b1"), key("youth", "999970021", "k1"), key_id="k1"))
    assert hub.hub_status()["signals_on_older_keys"] == 2  # k2 is the newest now
    # a key asked under the newest id finds nothing of theirs yet
    assert a.post(LOOKUP, {"key_id": "k2", "key": key("youth", "999970021")}).status_code == 403
    a.post(REGISTER, registration(ref("a1"), key("youth", "999970021"), key_id="k2"))
    assert hub.hub_status()["signals_on_older_keys"] == 1
    answer = b.post(REGISTER, registration(ref("b1"), key("youth", "999970021"), key_id="k2")).json()
    assert [p["reference"] for p in answer["partners"]] == [ref("a1")]
    status = hub.hub_status()
    assert status["signals_on_older_keys"] == 0 and status["signals_per_key"] == {"k2": 2}
    # the old key dropped: the match stands, and k1 is not known any more
    hub_settings.FEDERATION_OPRF_KEYS = hub_settings.FEDERATION_OPRF_KEYS[:1]
    found = a.post(LOOKUP, {"key_id": "k2", "key": key("youth", "999970021")})
    assert found.status_code == 200 and [p["reference"] for p in found.json()["partners"]] == [ref("b1")]
    old = a.post(EVALUATE, {"key_id": "k1", "blinded": [base64.b64encode(b"\x00" * 32).decode()]})
    assert old.status_code == 400 and old.json() == {"code": "unknown_key_id"}


def test_rekey_queues_each_signal_not_under_the_newest_key_once(regional_settings):
    from federation import rekey
    from federation.models import OutboxMessage

    up_to_date, behind, never_sent = SignalFactory(), SignalFactory(), SignalFactory()
    FederatedSignal.objects.create(signal_id=up_to_date.pk, reference="a" * 32, key_id="k2")
    FederatedSignal.objects.create(signal_id=behind.pk, reference="b" * 32, key_id="k1")
    FederatedSignal.objects.create(signal_id=never_sent.pk, reference="c" * 32)
    gone = FederatedSignal.objects.create(signal_id=999999, reference="d" * 32, key_id="k1")
    FederatedSignal.objects.filter(pk=gone.pk).update(withdrawn_at="2026-12-01T00:00:00Z")
    assert rekey.signals_reregister(key_id="k2") == {"queued": 2, "already_queued": 0, "up_to_date": 1}
    # run again (or after a crash): nothing twice
    assert rekey.signals_reregister(key_id="k2") == {"queued": 0, "already_queued": 2, "up_to_date": 1}
    queued = OutboxMessage.objects.filter(idempotency_key__startswith="rekey-k2-")
    assert sorted(queued.values_list("signal_id", flat=True)) == sorted([behind.pk, never_sent.pk])
    assert set(queued.values_list("operation", flat=True)) == {"register"}
