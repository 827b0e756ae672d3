"""The hub in-process: who may call, what a registration answers, and that nobody can search it."""

import base64
import hashlib

import pytest
from django.test import Client

from federation import hub, oprf
from federation.models import FederationCall, HubKey, HubMatchCounter, HubSignal
from tests.federation.conftest import write_trust

pytestmark = [pytest.mark.django_db, pytest.mark.urls("federation.hub_urls")]

REGISTER = "/federation/v1/signals/register/"
LOOKUP = "/federation/v1/keys/lookup/"
EVALUATE = "/federation/v1/oprf/evaluate/"
EXCHANGE = "/federation/v1/exchange/"
WITHDRAW = "/federation/v1/signals/withdraw/"


def key(kind: str, value: str, key_id: str = "k2") -> dict:
    """A national key as a deployment computes it (here without blinding: the output is the same)."""
    return {"kind": kind, "value": oprf.evaluate(hub.hub_keys()[key_id], f"verwijsindex:{kind}:{value}".encode()).hex()}


def registration(reference: str, *keys, key_id="k2", state="active", placed_on="2026-12-01") -> dict:
    return {"reference": reference, "key_id": key_id, "keys": list(keys), "state": state, "placed_on": placed_on}


def ref(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:32]


def test_oprf_evaluation_gives_what_the_key_gives(hub_settings, caller):
    blind, blinded = oprf.blind(b"verwijsindex:youth:999970021")
    response = caller("region-a").post(EVALUATE, {"blinded": [base64.b64encode(blinded).decode()]})
    assert response.status_code == 200
    answer = response.json()
    assert answer["key_id"] == "k2"  # the newest key
    output = oprf.finalize(b"verwijsindex:youth:999970021", blind, base64.b64decode(answer["evaluated"][0]))
    assert output == oprf.evaluate(hub.hub_keys()["k2"], b"verwijsindex:youth:999970021")


def test_registration_answers_the_other_deployments_signals_that_share_a_key(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    first = a.post(REGISTER, registration(ref("a1"), key("youth", "999970021"), key("parent", "999999126")))
    assert first.status_code == 200 and first.json()["partners"] == []
    # a second signal of A on a sibling: no partner of another deployment, but the same national match
    second = a.post(REGISTER, registration(ref("a2"), key("youth", "999970045"), key("parent", "999999126")))
    assert second.json()["partners"] == []
    answer = b.post(REGISTER, registration(ref("b1"), key("youth", "999970033"), key("parent", "999999126"))).json()
    assert sorted(p["reference"] for p in answer["partners"]) == sorted([ref("a1"), ref("a2")])
    assert {tuple(p["kinds"]) for p in answer["partners"]} == {("parent",)}
    assert answer["national_match"] == first.json()["national_match"] or answer["national_match"].startswith("L-")
    assert HubSignal.objects.values("national_match").distinct().count() == 1
    # the coordinator: the earliest active signal (A's first)
    assert answer["coordinator"] == {"deployment": "region-a", "reference": ref("a1")}


def test_keys_under_another_hub_key_do_not_match(hub_settings, caller):
    caller("region-a").post(REGISTER, registration(ref("a1"), key("youth", "999970021", "k1"), key_id="k1"))
    answer = caller("region-b").post(REGISTER, registration(ref("b1"), key("youth", "999970021"))).json()
    assert answer["partners"] == []


def test_a_repeated_registration_changes_nothing_and_gets_the_same_answer(hub_settings, caller):
    a = caller("region-a")
    body = registration(ref("a1"), key("youth", "999970021"))
    first = a.post(REGISTER, body, key="same-key")
    again = a.post(REGISTER, body, key="same-key")
    assert first.json() == again.json()
    assert HubSignal.objects.count() == 1 and HubKey.objects.count() == 1


def test_a_deployment_cannot_ask_about_a_key_it_has_not_registered(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    b.post(REGISTER, registration(ref("b1"), key("youth", "999999151")))
    refused = a.post(LOOKUP, {"key_id": "k2", "key": key("youth", "999999151")})
    nobody = a.post(LOOKUP, {"key_id": "k2", "key": key("youth", "999999163")})
    assert refused.status_code == nobody.status_code == 403
    assert refused.json() == nobody.json() == {"code": "key_not_registered_by_caller"}
    a.post(REGISTER, registration(ref("a1"), key("youth", "999999151")))
    allowed = a.post(LOOKUP, {"key_id": "k2", "key": key("youth", "999999151")})
    assert allowed.status_code == 200
    assert [p["reference"] for p in allowed.json()["partners"]] == [ref("b1")]


def test_contact_details_travel_only_between_matched_signals(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    a.post(REGISTER, registration(ref("a1"), key("youth", "999970021")))
    b.post(REGISTER, registration(ref("b1"), key("youth", "999999151")))
    contact = {"name": "X", "organisation": "Y", "email": "x@example.nl", "phone": ""}
    response = a.post(
        EXCHANGE,
        {"from_reference": ref("a1"), "to_deployment": "region-b", "to_reference": ref("b1"), "contact": contact},
    )
    assert response.status_code == 403 and response.json() == {"code": "not_matched"}
    # nor from another deployment's signal
    response = b.post(
        EXCHANGE,
        {"from_reference": ref("a1"), "to_deployment": "region-b", "to_reference": ref("b1"), "contact": contact},
    )
    assert response.status_code == 403


def test_withdrawal_forgets_the_signal_and_splits_its_national_match(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    a.post(REGISTER, registration(ref("a1"), key("youth", "999970021")))
    b.post(REGISTER, registration(ref("b1"), key("youth", "999970021")))
    assert HubSignal.objects.exclude(national_match=None).count() == 2
    assert a.post(WITHDRAW, {"reference": ref("a1")}).status_code == 200
    assert list(HubSignal.objects.values_list("reference", "national_match")) == [(ref("b1"), None)]
    assert not HubKey.objects.filter(signal__reference=ref("a1")).exists()
    # B cannot withdraw A's signal
    a.post(REGISTER, registration(ref("a2"), key("youth", "999970021")))
    assert b.post(WITHDRAW, {"reference": ref("a2")}).status_code == 404


@pytest.mark.parametrize("endpoint", [EVALUATE, REGISTER, WITHDRAW, LOOKUP, EXCHANGE])
def test_every_endpoint_refuses_callers_without_a_trusted_certificate_or_signature(hub_settings, caller, endpoint):
    assert Client().post(endpoint, {}, content_type="application/json").status_code == 403  # no certificate
    assert caller("stranger").post(endpoint, {}).status_code == 403  # a certificate of the CA, not on the list
    assert caller("region-a").post(endpoint, {}, sign=False).status_code == 403  # no signature
    assert caller("region-a").post(endpoint, {}, sender="region-b").status_code == 403  # names another sender
    assert Client(SSL_CLIENT_CERT=caller("region-a").pem).get(endpoint).status_code in (403, 405)
    assert FederationCall.objects.filter(path=endpoint, status=403).count() >= 4


def test_a_deployment_taken_off_the_trust_list_is_refused_at_once(hub_settings, caller, pki, tmp_path):
    b = caller("region-b")
    assert b.post(REGISTER, registration(ref("b1"), key("youth", "999970021"))).status_code == 200
    write_trust(tmp_path / "trust.json", pki, deployments=("region-a",))
    refused = b.post(REGISTER, registration(ref("b2"), key("youth", "999970033")))
    assert refused.status_code == 403 and refused.json() == {"code": "not_trusted"}


def test_answers_are_signed_by_the_hub(hub_settings, caller, pki):
    from federation import trust

    a = caller("region-a")
    response = a.post(EVALUATE, {"blinded": [base64.b64encode(oprf.blind(b"x")[1]).decode()]}, key="signed")
    request_signature = FederationCall.objects.filter(idempotency_key="signed").get().signature
    trust.verify(
        response.headers["Federation-Signature"],
        lambda ts: trust.response_signing_parts(200, ts, request_signature, response.content),
        certificate=trust.certificate_from_pem(pki["hub"]["pem"]),
    )


def test_the_status_page_is_for_the_operators_only_and_shows_counts(hub_settings, caller, pki):
    caller("region-a").post(REGISTER, registration(ref("a1"), key("youth", "999970021")))
    assert Client().get("/status/").status_code == 403
    assert Client(SSL_CLIENT_CERT=pki["region-a"]["pem"]).get("/status/").status_code == 403
    page = Client(SSL_CLIENT_CERT=pki["operator"]["pem"]).get("/status/")
    assert page.status_code == 200
    assert "region-a" in page.content.decode()
    assert ref("a1") not in page.content.decode()


def test_the_hub_stores_no_bsn_in_what_it_is_sent(hub_settings, caller):
    caller("region-a").post(REGISTER, registration(ref("a1"), key("youth", "999970021"), key("parent", "999999126")))
    stored = " ".join(HubKey.objects.values_list("value", flat=True))
    assert "999970021" not in stored and "999999126" not in stored


NOTICES = "/federation/v1/notices/"


def test_partners_hear_of_a_withdrawal_and_of_the_new_coordinator_through_notices(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    a.post(REGISTER, registration(ref("a1"), key("parent", "999999126"), placed_on="2026-11-01"))
    b.post(REGISTER, registration(ref("b1"), key("parent", "999999126"), placed_on="2026-11-02"))
    b.post(REGISTER, registration(ref("b2"), key("parent", "999999126"), placed_on="2026-11-03"))
    assert b.post(NOTICES, {"ack": []}).json() == {"notices": []}  # nothing changed for B yet
    a.post(WITHDRAW, {"reference": ref("a1")})
    notices = b.post(NOTICES, {"ack": []}).json()["notices"]
    withdrawn = sorted((n["reference"], n["from_reference"]) for n in notices if n["event"] == "withdrawn")
    assert withdrawn == sorted([(ref("b1"), ref("a1")), (ref("b2"), ref("a1"))])
    # the coordinator was A's signal; now the earliest remaining one, B's first, for both of B's signals
    coordinator = {n["reference"]: n["coordinator"] for n in notices if n["event"] == "coordinator"}
    assert coordinator == {
        ref("b1"): {"deployment": "region-b", "reference": ref("b1")},
        ref("b2"): {"deployment": "region-b", "reference": ref("b1")},
    }
    # acknowledged notices are gone; A's notices are about A's signals only (it learnt a1's coordinator when b1
    # joined), and A cannot acknowledge B's
    assert b.post(NOTICES, {"ack": [n["id"] for n in notices]}).json() == {"notices": []}
    assert {n["reference"] for n in a.post(NOTICES, {"ack": [n["id"] for n in notices]}).json()["notices"]} == {
        ref("a1")
    }


def test_partners_hear_that_a_signal_was_archived(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    a.post(REGISTER, registration(ref("a1"), key("youth", "999970021"), placed_on="2026-11-01"))
    b.post(REGISTER, registration(ref("b1"), key("youth", "999970021"), placed_on="2026-11-02"))
    a.post(REGISTER, registration(ref("a1"), key("youth", "999970021"), placed_on="2026-11-01", state="archived"))
    events = {(n["event"], n["reference"]) for n in b.post(NOTICES, {}).json()["notices"]}
    assert events == {("archived", ref("b1")), ("coordinator", ref("b1"))}


def test_oprf_evaluation_is_limited_per_deployment_and_hour(hub_settings, caller):
    hub_settings.FEDERATION_OPRF_LIMIT_PER_HOUR = 2
    a, b = caller("region-a"), caller("region-b")
    body = {"blinded": [base64.b64encode(oprf.blind(b"x")[1]).decode()]}
    assert [a.post(EVALUATE, body).status_code for _ in range(3)] == [200, 200, 429]
    assert a.post(EVALUATE, body).json() == {"code": "rate_limited"}
    assert b.post(EVALUATE, body).status_code == 200  # another deployment has its own count


# --- the coordinator by the rules, decided by the deployment that holds the deciding signal (fedcoord) ---------

DECIDE = "/federation/v1/matches/coordinator/"


def _family(a, b):
    """a1 (earliest: the deciding signal), b1, b2 of one family, in two deployments."""
    a.post(REGISTER, registration(ref("a1"), key("parent", "999999126"), placed_on="2026-11-01"))
    b.post(REGISTER, registration(ref("b1"), key("parent", "999999126"), placed_on="2026-11-02"))
    return b.post(REGISTER, registration(ref("b2"), key("parent", "999999126"), placed_on="2026-11-03")).json()


def _decision(decider: str, deployment: str, reference: str) -> dict:
    return {"decider_reference": ref(decider), "coordinator": {"deployment": deployment, "reference": ref(reference)}}


def test_the_deployment_of_the_deciding_signal_sets_the_coordinator_and_every_member_hears_it(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    answer = _family(a, b)
    # until a decision, the deciding signal (the earliest active) stands in, and every answer names it as decider
    assert answer["decider"] == answer["coordinator"] == {"deployment": "region-a", "reference": ref("a1")}
    b.post(NOTICES, {"ack": [n["id"] for n in b.post(NOTICES, {}).json()["notices"]]})
    decided = a.post(DECIDE, _decision("a1", "region-b", "b2"))
    assert decided.status_code == 200
    assert decided.json()["coordinator"] == {"deployment": "region-b", "reference": ref("b2")}
    notices = b.post(NOTICES, {}).json()["notices"]
    assert {(n["reference"], n["event"]) for n in notices} == {(ref("b1"), "coordinator"), (ref("b2"), "coordinator")}
    assert {n["coordinator"]["reference"] for n in notices} == {ref("b2")}
    assert {n["decider"]["reference"] for n in notices} == {ref("a1")}
    assert {n["national_match"] for n in notices} == {answer["national_match"]}
    # later answers name the decided coordinator; the hub keeps which signal, nothing more
    later = b.post(REGISTER, registration(ref("b3"), key("parent", "999999126"), placed_on="2026-11-04")).json()
    assert later["coordinator"] == {"deployment": "region-b", "reference": ref("b2")}
    # deciding the same again changes nothing and tells nobody anything new
    b.post(NOTICES, {"ack": [n["id"] for n in b.post(NOTICES, {}).json()["notices"]]})
    assert a.post(DECIDE, _decision("a1", "region-b", "b2")).status_code == 200
    assert b.post(NOTICES, {}).json()["notices"] == []


def test_only_the_deployment_holding_the_deciding_signal_may_decide(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    _family(a, b)
    before = HubMatchCounter.objects.values_list("coordinator_id", flat=True).get()
    # another deployment naming the deciding signal (not its own): refused
    other = b.post(DECIDE, _decision("a1", "region-b", "b1"))
    assert other.status_code == 403 and other.json() == {"code": "not_the_deciding_signal"}
    # the other deployment's own signal, which does not decide: refused
    not_deciding = b.post(DECIDE, _decision("b1", "region-b", "b1"))
    assert not_deciding.status_code == 403 and not_deciding.json() == {"code": "not_the_deciding_signal"}
    # unsigned, signed in another's name, not on the trust list: refused before anything is read
    assert a.post(DECIDE, _decision("a1", "region-b", "b1"), sign=False).status_code == 403
    assert a.post(DECIDE, _decision("a1", "region-b", "b1"), sender="region-b").status_code == 403
    stranger = caller("stranger").post(DECIDE, _decision("a1", "region-b", "b1"))
    assert stranger.status_code == 403 and stranger.json() == {"code": "not_trusted"}
    assert Client().post(DECIDE, {}, content_type="application/json").status_code == 403
    # a coordinator outside the national match, or archived: refused
    b.post(REGISTER, registration(ref("b9"), key("youth", "999999163"), placed_on="2026-11-05"))
    outside = a.post(DECIDE, _decision("a1", "region-b", "b9"))
    assert outside.status_code == 409 and outside.json() == {"code": "coordinator_not_in_match"}
    b.post(REGISTER, registration(ref("b2"), key("parent", "999999126"), placed_on="2026-11-03", state="archived"))
    assert a.post(DECIDE, _decision("a1", "region-b", "b2")).json() == {"code": "coordinator_not_in_match"}
    assert HubMatchCounter.objects.values_list("coordinator_id", flat=True).get() == before is None
    assert FederationCall.objects.filter(path=DECIDE, status=403).count() >= 4


def test_the_role_moves_on_when_the_decided_coordinators_signal_ends(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    _family(a, b)
    a.post(DECIDE, _decision("a1", "region-b", "b2"))
    a.post(NOTICES, {"ack": [n["id"] for n in a.post(NOTICES, {}).json()["notices"]]})
    b.post(REGISTER, registration(ref("b2"), key("parent", "999999126"), placed_on="2026-11-03", state="archived"))
    # the deciding signal stands in and its deployment is told, so it decides again by its rules
    notices = a.post(NOTICES, {}).json()["notices"]
    assert [(n["event"], n["coordinator"], n["decider"]) for n in notices if n["event"] == "coordinator"] == [
        (
            "coordinator",
            {"deployment": "region-a", "reference": ref("a1")},
            {"deployment": "region-a", "reference": ref("a1")},
        )
    ]
    assert a.post(DECIDE, _decision("a1", "region-b", "b1")).json()["coordinator"]["reference"] == ref("b1")
    # the deciding signal itself withdrawn: B's earliest decides now, and B may, A may not
    a.post(WITHDRAW, {"reference": ref("a1")})
    assert b.post(DECIDE, _decision("b1", "region-b", "b1")).status_code == 200
    assert a.post(DECIDE, _decision("a1", "region-b", "b1")).status_code == 403


def test_a_merge_keeps_a_decided_coordinator_who_is_still_active(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    # two national matches: a1+b1 (a youth) and a2+b2 (an address); a1 decides b1; a2 decides b2
    a.post(REGISTER, registration(ref("a1"), key("youth", "999970021"), placed_on="2026-11-01"))
    b.post(REGISTER, registration(ref("b1"), key("youth", "999970021"), placed_on="2026-11-02"))
    a.post(REGISTER, registration(ref("a2"), key("address", "0518010000583543"), placed_on="2026-11-03"))
    b.post(REGISTER, registration(ref("b2"), key("address", "0518010000583543"), placed_on="2026-11-04"))
    assert a.post(DECIDE, _decision("a2", "region-b", "b2")).status_code == 200
    assert a.post(DECIDE, _decision("a1", "region-b", "b1")).status_code == 200
    # a signal that holds both keys merges them: the kept (lower) number's coordinator stays
    merged = b.post(
        REGISTER,
        registration(ref("b3"), key("youth", "999970021"), key("address", "0518010000583543"), placed_on="2026-11-05"),
    ).json()
    assert HubSignal.objects.values("national_match").distinct().count() == 1
    assert merged["coordinator"] == {"deployment": "region-b", "reference": ref("b1")}
    # the first match's coordinator archived: the merged one's decision no longer holds; the decider stands in
    b.post(REGISTER, registration(ref("b1"), key("youth", "999970021"), placed_on="2026-11-02", state="archived"))
    assert hub.coordinator_of(merged_number(merged)).reference == ref("a1")


def merged_number(answer: dict) -> int:
    return int(answer["national_match"].removeprefix("L-"))


def test_a_merge_adopts_the_other_matchs_decision_when_the_kept_one_has_none(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    a.post(REGISTER, registration(ref("a1"), key("youth", "999970021"), placed_on="2026-11-01"))
    b.post(REGISTER, registration(ref("b1"), key("youth", "999970021"), placed_on="2026-11-02"))
    a.post(REGISTER, registration(ref("a2"), key("address", "0518010000583543"), placed_on="2026-11-03"))
    b.post(REGISTER, registration(ref("b2"), key("address", "0518010000583543"), placed_on="2026-11-04"))
    assert a.post(DECIDE, _decision("a2", "region-b", "b2")).status_code == 200
    merged = b.post(
        REGISTER,
        registration(ref("b3"), key("youth", "999970021"), key("address", "0518010000583543"), placed_on="2026-11-05"),
    ).json()
    assert merged["coordinator"] == {"deployment": "region-b", "reference": ref("b2")}


# --- the follow-up of a national match, relayed from its coordinator (federation/relay.py) ----------------------

FOLLOW_UP = "/federation/v1/follow-up/"


def _family_in_two_deployments(a, b):
    """a1 (the coordinator: placed first) and a2 in A, b1 in B, one national match; b9 in B matches nobody."""
    a.post(REGISTER, registration(ref("a1"), key("parent", "999999126"), placed_on="2026-11-01"))
    a.post(REGISTER, registration(ref("a2"), key("parent", "999999126"), placed_on="2026-11-02"))
    b.post(REGISTER, registration(ref("b1"), key("parent", "999999126"), placed_on="2026-11-03"))
    b.post(REGISTER, registration(ref("b9"), key("youth", "999999163"), placed_on="2026-11-03"))


def _record(from_reference: str, *contacts, agreed=None) -> dict:
    return {
        "from_reference": from_reference,
        "coordination_agreed_on": agreed,
        "contacts": [{"deployment": d, "reference": r, "contact_made_on": on} for d, r, on in contacts],
        "recorded_at": "2026-12-02T10:00:00+01:00",
    }


@pytest.fixture
def relayed(monkeypatch):
    """The hub's calls to the deployments, answered as a deployment would (nothing leaves the process)."""
    calls = []

    def call(**kwargs):
        calls.append(kwargs)
        return {"stored": True}

    monkeypatch.setattr("federation.relay.protocol.call", call)
    return calls


def test_the_coordinator_s_follow_up_is_relayed_to_the_other_deployments_in_the_match_and_not_kept(
    hub_settings, caller, relayed
):
    from federation.models import IdempotentCall

    a, b = caller("region-a"), caller("region-b")
    _family_in_two_deployments(a, b)
    stored_before = IdempotentCall.objects.count()
    body = _record(ref("a1"), ("region-b", ref("b1"), "2026-12-01"), ("region-a", ref("a2"), None), agreed=None)
    response = a.post(FOLLOW_UP, body)
    assert response.status_code == 200
    number = HubSignal.objects.get(reference=ref("a1")).national_match
    assert response.json() == {"national_match": f"L-{number:06d}", "delivered": ["region-b"]}
    # one call, to B only, naming B's signal in the match (not b9) and the record as the coordinator made it
    assert [c["peer"] for c in relayed] == ["region-b"]
    sent = relayed[0]["data"]
    assert sent["to_references"] == [ref("b1")]
    assert sent["coordinator"] == {"deployment": "region-a", "reference": ref("a1")}
    assert sent["contacts"][0] == {"deployment": "region-b", "reference": ref("b1"), "contact_made_on": "2026-12-01"}
    assert relayed[0]["path"] == "/federation/v1/follow-up/"
    # the hub keeps nothing of it but the log of the call
    assert IdempotentCall.objects.count() == stored_before
    assert FederationCall.objects.filter(path=FOLLOW_UP, status=200).count() == 1


def test_only_the_coordinator_may_send_a_follow_up_and_only_about_its_national_match(hub_settings, caller, relayed):
    a, b = caller("region-a"), caller("region-b")
    _family_in_two_deployments(a, b)
    # B's signal is in the match but does not coordinate it
    refused = b.post(FOLLOW_UP, _record(ref("b1"), ("region-a", ref("a1"), "2026-12-01")))
    assert (refused.status_code, refused.json()) == (403, {"code": "not_coordinator"})
    # B's signal outside the national match, and B naming A's signal as its own
    assert b.post(FOLLOW_UP, _record(ref("b9"))).json() == {"code": "not_matched"}
    assert b.post(FOLLOW_UP, _record(ref("a1"))).json() == {"code": "not_matched"}
    # the coordinator may not name a signal outside its national match (B's b9)
    outside = a.post(FOLLOW_UP, _record(ref("a1"), ("region-b", ref("b9"), "2026-12-01")))
    assert (outside.status_code, outside.json()) == (403, {"code": "not_matched"})
    # nor send a date that cannot be one
    assert a.post(FOLLOW_UP, _record(ref("a1"), ("region-b", ref("b1"), "2099-01-01"))).status_code == 400
    assert a.post(FOLLOW_UP, _record(ref("a1"), ("region-b", ref("b1"), "gisteren"))).status_code == 400
    assert relayed == []


def test_a_follow_up_is_refused_to_callers_without_a_trusted_certificate_or_signature(hub_settings, caller, relayed):
    a = caller("region-a")
    _family_in_two_deployments(a, caller("region-b"))
    body = _record(ref("a1"))
    assert Client().post(FOLLOW_UP, body, content_type="application/json").status_code == 403  # anonymous
    assert caller("stranger").post(FOLLOW_UP, body).status_code == 403  # not on the trust list
    assert a.post(FOLLOW_UP, body, sign=False).status_code == 403  # unsigned
    assert a.post(FOLLOW_UP, body, sender="region-b").status_code == 403  # signed as another
    assert Client(SSL_CLIENT_CERT=a.pem).get(FOLLOW_UP).status_code in (403, 405)
    assert relayed == []


def test_a_follow_up_waits_when_the_other_deployment_is_down(hub_settings, caller, monkeypatch):
    from federation import protocol

    def down(**kwargs):
        raise protocol.ProtocolError("not reached")

    monkeypatch.setattr("federation.relay.protocol.call", down)
    a = caller("region-a")
    _family_in_two_deployments(a, caller("region-b"))
    response = a.post(FOLLOW_UP, _record(ref("a1")))
    assert (response.status_code, response.json()) == (502, {"code": "peer_unavailable"})


# --- hand-over of the coordinator role across deployments (federation/relay.py) ---------------------------------

PROPOSE = "/federation/v1/handover/propose/"
ANSWER = "/federation/v1/handover/answer/"


def _notices(deployment_caller) -> list[dict]:
    return deployment_caller.post(NOTICES, {"ack": []}).json()["notices"]


def test_a_hand_over_accepted_in_another_deployment_makes_the_hub_name_the_new_coordinator(hub_settings, caller):
    from federation.models import HubHandover

    a, b = caller("region-a"), caller("region-b")
    _family_in_two_deployments(a, b)
    b.post(NOTICES, {"ack": [n["id"] for n in _notices(b)]})
    a.post(NOTICES, {"ack": [n["id"] for n in _notices(a)]})
    proposed = a.post(PROPOSE, {"from_reference": ref("a1"), "to_deployment": "region-b", "to_reference": ref("b1")})
    assert proposed.status_code == 200
    assert proposed.json()["proposed"] == {"deployment": "region-b", "reference": ref("b1")}
    # B hears of the proposal for its signal b1, from a1; nothing changes yet
    assert [(n["event"], n["reference"], n["from_reference"]) for n in _notices(b)] == [
        ("handover_proposed", ref("b1"), ref("a1"))
    ]
    assert hub.coordinator_of(HubSignal.objects.get(reference=ref("a1")).national_match).reference == ref("a1")
    b.post(NOTICES, {"ack": [n["id"] for n in _notices(b)]})
    answer = b.post(ANSWER, {"reference": ref("b1"), "accept": True})
    assert answer.status_code == 200
    assert answer.json()["coordinator"] == {"deployment": "region-b", "reference": ref("b1")}
    # every member hears of the new coordinator; the proposer also of the answer
    notices_a = _notices(a)
    assert {(n["reference"], n["coordinator"]["reference"]) for n in notices_a if n["event"] == "coordinator"} == {
        (ref("a1"), ref("b1")),
        (ref("a2"), ref("b1")),
    }
    assert [(n["reference"], n["from_reference"]) for n in notices_a if n["event"] == "handover_accepted"] == [
        (ref("a1"), ref("b1"))
    ]
    assert {n["reference"] for n in _notices(b) if n["event"] == "coordinator"} == {ref("b1")}
    # a later registration keeps the handed-over coordinator (it is not the earliest signal)
    later = a.post(REGISTER, registration(ref("a3"), key("parent", "999999126"), placed_on="2026-11-04")).json()
    assert later["coordinator"] == {"deployment": "region-b", "reference": ref("b1")}
    # the hub keeps references and times only
    assert list(HubHandover.objects.values_list("to_signal__reference", flat=True)) == [ref("b1")]


def test_a_declined_hand_over_changes_nothing_and_the_proposer_hears_it(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    _family_in_two_deployments(a, b)
    a.post(PROPOSE, {"from_reference": ref("a1"), "to_deployment": "region-b", "to_reference": ref("b1")})
    assert b.post(ANSWER, {"reference": ref("b1"), "accept": False}).json()["coordinator"]["reference"] == ref("a1")
    assert [n["from_reference"] for n in _notices(a) if n["event"] == "handover_declined"] == [ref("b1")]
    # answered: a second answer finds no proposal
    assert b.post(ANSWER, {"reference": ref("b1"), "accept": True}).json() == {"code": "no_proposal"}


def test_only_the_coordinator_proposes_and_only_the_proposed_deployment_answers(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    _family_in_two_deployments(a, b)
    # B's signal in the match does not coordinate it
    refused = b.post(PROPOSE, {"from_reference": ref("b1"), "to_deployment": "region-a", "to_reference": ref("a2")})
    assert (refused.status_code, refused.json()) == (403, {"code": "not_coordinator"})
    # not to a signal outside the national match, nor to the coordinator itself
    for target in (("region-b", ref("b9")), ("region-a", ref("a1")), ("region-b", ref("nobody"))):
        body = {"from_reference": ref("a1"), "to_deployment": target[0], "to_reference": target[1]}
        assert a.post(PROPOSE, body).json() == {"code": "not_matched"}
    # B's signal outside the match cannot answer, nor can A answer for B's proposed signal
    a.post(PROPOSE, {"from_reference": ref("a1"), "to_deployment": "region-b", "to_reference": ref("b1")})
    assert b.post(ANSWER, {"reference": ref("b9"), "accept": True}).json() == {"code": "no_proposal"}
    assert a.post(ANSWER, {"reference": ref("b1"), "accept": True}).json() == {"code": "no_proposal"}
    assert b.post(ANSWER, {"reference": ref("b1"), "accept": "ja"}).status_code == 400
    assert hub.coordinator_of(HubSignal.objects.get(reference=ref("a1")).national_match).reference == ref("a1")


def test_an_answer_after_the_proposer_stopped_coordinating_changes_nothing(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    _family_in_two_deployments(a, b)
    a.post(PROPOSE, {"from_reference": ref("a1"), "to_deployment": "region-b", "to_reference": ref("b1")})
    a.post(WITHDRAW, {"reference": ref("a1")})  # a1 destroyed: a2 coordinates now, and the proposal went with a1
    assert b.post(ANSWER, {"reference": ref("b1"), "accept": True}).json() == {"code": "no_proposal"}
    assert hub.coordinator_of(HubSignal.objects.get(reference=ref("a2")).national_match).reference == ref("a2")


@pytest.mark.parametrize("endpoint", [PROPOSE, ANSWER])
def test_hand_over_calls_are_refused_to_callers_without_a_trusted_certificate_or_signature(
    hub_settings, caller, endpoint
):
    from federation.models import HubHandover

    a = caller("region-a")
    _family_in_two_deployments(a, caller("region-b"))
    body = {"from_reference": ref("a1"), "to_deployment": "region-b", "to_reference": ref("b1")}
    assert Client().post(endpoint, body, content_type="application/json").status_code == 403  # anonymous
    assert caller("stranger").post(endpoint, body).status_code == 403  # not on the trust list
    assert a.post(endpoint, body, sign=False).status_code == 403  # unsigned
    assert a.post(endpoint, body, sender="region-b").status_code == 403  # signed as another
    assert not HubHandover.objects.exists()


def test_a_decision_by_the_rules_does_not_take_back_a_role_handed_over_while_its_signal_is_active(hub_settings, caller):
    a, b = caller("region-a"), caller("region-b")
    _family_in_two_deployments(a, b)
    a.post(PROPOSE, {"from_reference": ref("a1"), "to_deployment": "region-b", "to_reference": ref("b1")})
    b.post(ANSWER, {"reference": ref("b1"), "accept": True})
    number = HubSignal.objects.get(reference=ref("a1")).national_match
    # A holds the deciding signal (a1, the earliest) and reports the rules' choice, a2: the hand-over stands
    decided = a.post(DECIDE, _decision("a1", "region-a", "a2"))
    assert decided.status_code == 200
    assert decided.json()["coordinator"] == {"deployment": "region-b", "reference": ref("b1")}
    assert hub.coordinator_of(number).reference == ref("b1")
    # once b1 is archived, the rules' decision holds again
    b.post(REGISTER, registration(ref("b1"), key("parent", "999999126"), placed_on="2026-11-03", state="archived"))
    assert hub.coordinator_of(number).reference == ref("a2")


def test_a_hand_over_between_two_professionals_of_one_deployment_is_recorded_and_every_member_hears_it(
    hub_settings, caller
):
    """In a national match a hand-over inside one deployment goes through the hub too: made only there, the next
    decision by the rules would take the role back (fedgaps)."""
    a, b = caller("region-a"), caller("region-b")
    _family_in_two_deployments(a, b)
    for side in (a, b):
        side.post(NOTICES, {"ack": [n["id"] for n in _notices(side)]})
    proposed = a.post(PROPOSE, {"from_reference": ref("a1"), "to_deployment": "region-a", "to_reference": ref("a2")})
    assert proposed.status_code == 200
    assert [(n["event"], n["reference"], n["from_reference"]) for n in _notices(a)] == [
        ("handover_proposed", ref("a2"), ref("a1"))
    ]
    a.post(NOTICES, {"ack": [n["id"] for n in _notices(a)]})
    assert a.post(ANSWER, {"reference": ref("a2"), "accept": True}).json()["coordinator"] == {
        "deployment": "region-a",
        "reference": ref("a2"),
    }
    number = HubSignal.objects.get(reference=ref("a1")).national_match
    assert hub.coordinator_of(number).reference == ref("a2")
    # B's member hears of the new coordinator; a decision by the rules (a1's deployment decides) does not undo it
    assert [n["coordinator"]["reference"] for n in _notices(b) if n["event"] == "coordinator"] == [ref("a2")]
    assert a.post(DECIDE, _decision("a1", "region-b", "b1")).json()["coordinator"]["reference"] == ref("a2")


# --- retention: registered rights requests (fedgaps) --------------------------------------------------------------


def test_the_hub_s_sweep_deletes_registered_rights_requests_after_the_documented_period(hub_settings, caller):
    import datetime

    import time_machine
    from django.utils import timezone

    from federation.hub_rights import hub_rights_requests_sweep
    from federation.models import HubRightsRequest
    from federation.tasks import federation_hub_sweep_task

    hub_settings.FEDERATION_RIGHTS_REQUEST_KEEP_DAYS = 120
    start = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    a = caller("region-a")
    with time_machine.travel(start, tick=False):
        assert (
            a.post("/federation/v1/rights/register/", {"reference": ref("old"), "kind": "inspection"}).status_code
            == 200
        )
    with time_machine.travel(start + datetime.timedelta(days=100), tick=False):
        assert a.post("/federation/v1/rights/register/", {"reference": ref("new"), "kind": "copy"}).status_code == 200
    # day 120: both kept; day 121: the first is past its period
    assert hub_rights_requests_sweep(now=start + datetime.timedelta(days=119, hours=23)) == 0
    assert HubRightsRequest.objects.count() == 2
    with time_machine.travel(start + datetime.timedelta(days=121), tick=False):
        assert federation_hub_sweep_task() == 1  # the hub's scheduled task, one run at a time
        assert list(HubRightsRequest.objects.values_list("reference", flat=True)) == [ref("new")]
        # an inquiry for the deleted request is refused like any unregistered one
        refused = a.post(
            "/federation/v1/rights/inquire/",
            {"reference": ref("old"), "key_id": "k2", "key": key("youth", "999999126")},
        )
        assert refused.json() == {"code": "rights_request_not_registered"}
    assert timezone.now() > start
    # a dangerous setting is refused rather than deleting every request before it is answered
    hub_settings.FEDERATION_RIGHTS_REQUEST_KEEP_DAYS = 0
    with pytest.raises(ValueError):
        hub_rights_requests_sweep()
    assert HubRightsRequest.objects.count() == 1


def test_the_hub_s_sweep_is_on_the_hub_s_schedule_only():
    from verwijsindex.celery import beat_schedule_for

    assert {entry["task"] for entry in beat_schedule_for("hub").values()} == {"federation.hub_sweep"}
    regional_tasks = {entry["task"] for entry in beat_schedule_for("regional").values()}
    assert "federation.hub_sweep" not in regional_tasks and "federation.outbox_send" in regional_tasks


def test_the_hub_s_worker_loads_its_tasks_and_beat_with_the_hub_s_profile():
    """The hub has none of the regional apps: its worker must load the federation's tasks without their models."""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json; from verwijsindex.celery import app; import django; django.setup(); "
        "app.loader.import_default_modules(); "
        "print(json.dumps([sorted(n for n in app.tasks if n.startswith('federation.')), "
        "sorted(e['task'] for e in app.conf.beat_schedule.values())]))"
    )
    env = {**os.environ, "VERWIJSINDEX_ROLE": "hub", "DJANGO_SECRET_KEY": "test-only"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    tasks, beat = json.loads(done.stdout.strip().splitlines()[-1])
    assert "federation.hub_sweep" in tasks and beat == ["federation.hub_sweep"]
