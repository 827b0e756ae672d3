"""The BRP clients: the Haal Centraal HTTP client against the project's own endpoint, and the embedded register."""

import http.server
import json
import threading
import time

import pytest
import requests

from persons.brp import EmbeddedRegister, HaalCentraalClient, get_client
from persons.brp.haal_centraal import FIELDS
from persons.brp.types import brp_date_earliest
from persons.exceptions import BrpUnavailable


def test_http_client_against_the_project_endpoint_reads_every_test_person_as_the_embedded_register(
    brp, settings, brp_records
):
    http_client = get_client()
    assert isinstance(http_client, HaalCentraalClient)
    embedded = EmbeddedRegister(settings.BRP_TEST_DATA)
    # every young person, and every kind of special case among the others
    sample = [
        bsn
        for bsn, record in brp_records.items()
        if (record.get("geboorte") or {}).get("datum", "0") >= "2003"
        or set(record) & {"overlijden", "opschortingBijhouding", "geheimhoudingPersoonsgegevens"}
        or not (record.get("verblijfplaats") or {}).get("adresseerbaarObjectIdentificatie")
    ][::3]
    assert len(sample) > 200
    for bsn in sample:
        assert http_client.person(bsn) == embedded.person(bsn), bsn


def test_unknown_bsn_is_none_over_http_and_embedded(brp, settings):
    assert get_client().person("123456782") is None
    assert EmbeddedRegister(settings.BRP_TEST_DATA).person("123456782") is None


def test_get_client_follows_the_setting(settings):
    settings.BRP_CLIENT = "embedded"
    assert isinstance(get_client(), EmbeddedRegister)
    settings.BRP_CLIENT = "haal_centraal"
    settings.BRP_BASE_URL = "http://127.0.0.1:1/brp"
    assert isinstance(get_client(), HaalCentraalClient)


def test_person_reads_name_address_parents_and_municipality(brp_embedded):
    person = get_client().person("999970033")
    assert (person.first_names, person.surname, person.sex) == ("Mira", "Maasland", "V")
    assert (person.street, person.house_number, person.postcode, person.town) == (
        "Turfmarkt",
        25,
        "2511CA",
        "'s-Gravenhage",
    )
    assert person.bag_id == "0518010000583543"
    assert person.municipality_code == "0518"
    assert person.parent_bsns == ("999999126", "999999163")


def test_a_mailing_address_gives_no_dwelling(brp_embedded, brp_records):
    person = get_client().person("999990603")
    assert brp_records["999990603"]["verblijfplaats"]["functieAdres"]["code"] == "B"
    assert person.has_address
    assert person.bag_id == ""


@pytest.mark.parametrize(
    ("brp_date", "earliest"),
    [("20170101", "2017-01-01"), ("19780600", "1978-06-01"), ("19990000", "1999-01-01"), ("00000000", None)],
)
def test_partial_brp_dates_mean_their_earliest_possible_day(brp_date, earliest):
    result = brp_date_earliest(brp_date)
    assert (result.isoformat() if result else None) == earliest


def test_endpoint_answers_in_the_haal_centraal_v2_shape(brp):
    body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999970598"], "fields": FIELDS}
    answer = requests.post(f"{brp}/personen", json=body, timeout=5).json()
    person = answer["personen"][0]
    assert answer["type"] == "RaadpleegMetBurgerservicenummer"
    expected_date = {"type": "JaarMaandDatum", "jaar": 1978, "maand": 6, "langFormaat": "juni 1978"}
    assert person["geboorte"]["datum"] == expected_date
    assert person["verblijfplaats"]["type"] in {"Adres", "VerblijfplaatsBuitenland", "Locatie"}


def test_endpoint_returns_only_the_requested_fields(brp):
    body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999970033"], "fields": ["naam"]}
    person = requests.post(f"{brp}/personen", json=body, timeout=5).json()["personen"][0]
    assert set(person) == {"naam"}


@pytest.mark.parametrize(
    "body",
    [
        {"type": "ZoekMetPostcode", "burgerservicenummer": ["999970033"], "fields": ["naam"]},
        {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": "999970033", "fields": ["naam"]},
        {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["99997003"], "fields": ["naam"]},
        {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999970033"]},
    ],
)
def test_endpoint_refuses_a_malformed_question(brp, body):
    response = requests.post(f"{brp}/personen", json=body, timeout=5)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "999970033" not in response.text


def test_endpoint_requires_the_api_key_when_one_is_configured(brp, settings):
    settings.BRP_API_KEY = "geheime-sleutel"
    body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999970033"], "fields": ["naam"]}
    assert requests.post(f"{brp}/personen", json=body, timeout=5).status_code == 401
    wrong = requests.post(f"{brp}/personen", json=body, headers={"X-API-KEY": "fout"}, timeout=5)
    assert wrong.status_code == 401
    # the client sends the configured key
    assert get_client().person("999970033").surname == "Maasland"


def test_endpoint_only_answers_post(brp):
    assert requests.get(f"{brp}/personen", timeout=5).status_code == 405


# --- failures of the BRP, against small real servers -------------------------------------------------


class _FakeBrp(http.server.BaseHTTPRequestHandler):
    behaviour = "503"
    requests_seen: list

    def do_POST(self):  # noqa: N802 - the http.server API
        length = int(self.headers.get("Content-Length", 0))
        self.requests_seen.append((dict(self.headers), json.loads(self.rfile.read(length))))
        if self.behaviour == "slow":
            time.sleep(1.5)
        status = 503 if self.behaviour in ("503", "503 retry after") else 200
        if self.behaviour == "401":
            status = 401
        payload = json.dumps({"type": "RaadpleegMetBurgerservicenummer", "personen": []}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        if self.behaviour == "503 retry after":
            self.send_header("Retry-After", "30")  # what this project's own endpoint says while its database is away
        self.end_headers()
        try:
            self.wfile.write(payload)
        except BrokenPipeError:
            pass  # the client gave up waiting (the slow case)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_brp():
    seen = []
    handler = type("Handler", (_FakeBrp,), {"requests_seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def configure(behaviour):
        handler.behaviour = behaviour
        return f"http://127.0.0.1:{server.server_port}"

    configure.seen = seen
    yield configure
    server.shutdown()
    server.server_close()


def test_a_5xx_is_retried_once_then_brp_unavailable(fake_brp):
    client = HaalCentraalClient(base_url=fake_brp("503"), timeout=2)
    with pytest.raises(BrpUnavailable):
        client.person("999970033")
    assert len(fake_brp.seen) == 2


def test_a_503_with_retry_after_is_retried_at_once_not_after_the_servers_delay(fake_brp):
    """Issue 24: a BRP (or the embedded endpoint with its database away) answering 503 with Retry-After: 30 made
    the client sleep 30 s before its retry, so the placing request got no answer within the caller's time-out."""
    client = HaalCentraalClient(base_url=fake_brp("503 retry after"), timeout=2)
    started = time.monotonic()
    with pytest.raises(BrpUnavailable):
        client.person("999970033")
    assert time.monotonic() - started < 3
    assert len(fake_brp.seen) == 2


def test_a_slow_brp_is_brp_unavailable(fake_brp):
    client = HaalCentraalClient(base_url=fake_brp("slow"), timeout=0.3)
    started = time.monotonic()
    with pytest.raises(BrpUnavailable):
        client.person("999970033")
    assert time.monotonic() - started < 3


def test_an_unreachable_brp_is_brp_unavailable():
    client = HaalCentraalClient(base_url="http://127.0.0.1:9/brp", timeout=0.5)
    with pytest.raises(BrpUnavailable):
        client.person("999970033")


def test_a_refusal_is_brp_unavailable_and_not_retried(fake_brp):
    client = HaalCentraalClient(base_url=fake_brp("401"), timeout=2)
    with pytest.raises(BrpUnavailable):
        client.person("999970033")
    assert len(fake_brp.seen) == 1


def test_client_sends_the_question_the_api_key_and_the_oin_and_purpose_headers(fake_brp):
    client = HaalCentraalClient(
        base_url=fake_brp("ok"), api_key="sleutel", oin="00000001234567890000", purpose="Verwijsindex", timeout=2
    )
    assert client.person("999970033") is None
    headers, body = fake_brp.seen[0]
    assert body == {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999970033"], "fields": FIELDS}
    assert headers["X-API-KEY"] == "sleutel"
    assert headers["x-origin-oin"] == "00000001234567890000"
    assert headers["x-doelbinding"] == "Verwijsindex"


def test_brp_unavailable_message_says_the_input_is_kept():
    assert "invoer is bewaard" in str(BrpUnavailable().message)
