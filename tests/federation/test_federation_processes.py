"""Issue #22's Done-when: a hub and two regional deployments as separate processes on 127.0.0.1, each with its own
database, speaking the protocol over mutual TLS.

The module's fixture starts the three and signals the BRP test family of mother 999999126 in both deployments
(children 999970021 and 999970045 in deployment A, 999970033 and 999999151 in B); the tests then check what each
party holds. The tests after the first three stop the hub, end signals and change the trust list: they run in file
order, and each later one starts from what the earlier ones left (those of issue #22's items 2, 5 and 6 first put
both deployments back on the trust list).
"""

import base64
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.federation.pki import Pki

pytestmark = pytest.mark.federation

ROOT = Path(__file__).resolve().parents[2]
FAMILY_BSNS = ["999999126", "999970021", "999970033", "999970045", "999999151", "999999163", "999999138"]
FAMILY_SURNAMES = ["Maasland", "Meulengraaf"]
PROFESSIONALS_A = ["Anna Aalbers", "Bram Bakker"]
PROFESSIONALS_B = ["Carla Claassen", "Daan Dekker", "Eva Evers"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection():
    return psycopg.connect(_database_url("postgres"), autocommit=True)


class Party:
    def __init__(self, name: str, env: dict, port: int):
        self.name, self.env, self.port, self.process = name, env, port, None
        self.log = None

    def manage(self, *args, timeout=300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, f"{self.name}: manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
        return result.stdout

    def steps(self, *steps) -> list:
        """Run [command, {arguments}] steps in one process of this deployment (tests/federation/deployment.py)."""
        result = subprocess.run(
            [sys.executable, "-m", "tests.federation.deployment", json.dumps(steps)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, f"{self.name}: {steps} failed:\n{result.stderr[-3000:]}"
        return json.loads(result.stdout.strip().splitlines()[-1])

    def run(self, command: str, **arguments):
        return self.steps([command, arguments])[0]

    def start(self, tmp: Path):
        self.log = open(tmp / f"{self.name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "federation_serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} stopped; see {self.log.name}"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"{self.name} did not start")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None
        if self.log:
            self.log.close()
            self.log = None


def _write_trust(path: Path, deployments: dict, operators: dict) -> None:
    path.write_text(json.dumps({"deployments": deployments, "operators": operators}))
    # a later write within the same clock tick must still be seen as a change
    os.utime(path, ns=(time.time_ns(), time.time_ns()))


@pytest.fixture(scope="module")
def federation(tmp_path_factory):
    if "DATABASE_URL" not in os.environ:
        pytest.skip("needs DATABASE_URL (the shared PostgreSQL)")
    tmp = tmp_path_factory.mktemp("federation")
    pki = Pki(tmp)
    certs = {name: pki.issue(name) for name in ("hub", "region-a", "region-b", "operator")}
    ports = {name: _free_port() for name in ("hub", "region-a", "region-b")}
    # named after the suite's own database, so that two checkouts on one server do not drop each other's
    own = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/") or "verwijsindex"
    databases = {"hub": f"{own}_fed_hub", "region-a": f"{own}_fed_a", "region-b": f"{own}_fed_b"}
    with _admin_connection() as admin:
        for name in databases.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{databases["hub"]}"')
        admin.execute(f'CREATE DATABASE "{databases["region-a"]}"')

    trust_file = tmp / "trust.json"
    deployments = {
        name: {"certificate": certs[name]["pem"], "url": f"https://127.0.0.1:{ports[name]}"}
        for name in ("region-a", "region-b")
    }
    _write_trust(trust_file, deployments, {"operator": certs["operator"]["pem"]})
    base = {key: value for key, value in os.environ.items() if not key.startswith(("FEDERATION_", "DJANGO_"))}
    base.update({"PYTHONPATH": str(ROOT), "FEDERATION_TLS_CA": str(pki.ca_path), "LOG_LEVEL": "WARNING"})
    hub = Party(
        "hub",
        {
            **base,
            "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.hub",
            "VERWIJSINDEX_ROLE": "hub",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": _database_url(databases["hub"]),
            "FEDERATION_TLS_CERT": str(certs["hub"]["cert"]),
            "FEDERATION_TLS_KEY": str(certs["hub"]["key"]),
            "FEDERATION_TRUST_FILE": str(trust_file),
            "FEDERATION_OPRF_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        },
        ports["hub"],
    )
    regions = {
        name: Party(
            name,
            {
                **base,
                "DJANGO_SETTINGS_MODULE": "verwijsindex.settings.test",
                "DATABASE_URL": _database_url(databases[name]),
                "BRP_CLIENT": "embedded",
                "FEDERATION_DEPLOYMENT_ID": name,
                "FEDERATION_HUB_URL": f"https://127.0.0.1:{ports['hub']}",
                "FEDERATION_TLS_CERT": str(certs[name]["cert"]),
                "FEDERATION_TLS_KEY": str(certs[name]["key"]),
                "FEDERATION_HUB_CERT": str(certs["hub"]["cert"]),
            },
            ports[name],
        )
        for name in ("region-a", "region-b")
    }
    a, b = regions["region-a"], regions["region-b"]
    hub_migrate = subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=hub.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    a.manage("migrate", "--noinput")
    # B starts as a copy of A's freshly migrated, still empty database: one migration run instead of two
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{databases["region-b"]}" TEMPLATE "{databases["region-a"]}"')
    assert hub_migrate.wait(timeout=300) == 0, hub_migrate.stderr.read().decode()[-3000:]
    parties = [hub, a, b]
    try:
        for party in parties:
            party.start(tmp)
        *_, sent_a = a.steps(
            ["seed", {"deployment": "a", "professionals": PROFESSIONALS_A}],
            ["place", {"bsn": "999970021", "professional": "Anna Aalbers"}],
            ["place", {"bsn": "999970045", "professional": "Bram Bakker"}],
            ["detect_and_send", {}],
        )
        *_, sent_b = b.steps(
            ["seed", {"deployment": "b", "professionals": PROFESSIONALS_B}],
            ["place", {"bsn": "999970033", "professional": "Carla Claassen"}],
            ["place", {"bsn": "999999151", "professional": "Daan Dekker"}],
            ["detect_and_send", {}],
        )
        yield {
            "hub": hub,
            "a": a,
            "b": b,
            "tmp": tmp,
            "trust_file": trust_file,
            "deployments": deployments,
            "operator": certs["operator"],
            "databases": databases,
            "sent": (sent_a, sent_b),
            "certs": certs,
            "ca": pki.ca_path,
        }
    finally:
        for party in parties:
            party.stop()


def _hub_rows(federation, sql: str):
    with psycopg.connect(_database_url(federation["databases"]["hub"])) as connection:
        return connection.execute(sql).fetchall()


def test_family_in_two_deployments_gives_one_match_one_coordinator_and_mails_on_both_sides(federation):
    state_a, state_b = federation["a"].run("state"), federation["b"].run("state")
    federated = state_a["federated"] + state_b["federated"]
    assert len(federated) == 4
    # one national match, one coordinator, the same for all four signals in both deployments
    assert {f["national_match"] for f in federated} == {"L-000001"}
    assert len({tuple(f["coordinator"]) for f in federated}) == 1
    coordinator_deployment, coordinator_reference = federated[0]["coordinator"]
    coordinator = next(f for f in federated if f["reference"] == coordinator_reference)
    # the earliest signal of the match: Anna's, placed first
    assert (coordinator_deployment, coordinator["professional"]) == ("region-a", "Anna Aalbers")
    # the hub agrees: one match number for the four registered signals
    counts = "SELECT count(*), count(DISTINCT national_match) FROM federation_hubsignal"
    assert _hub_rows(federation, counts) == [(4, 1)]

    # e-mails on both sides: each professional hears of every professional of the other deployment, and every
    # federated e-mail names the same match and the same coordinator
    for state, own, others in (
        (state_a, PROFESSIONALS_A, PROFESSIONALS_B[:2]),
        (state_b, PROFESSIONALS_B[:2], PROFESSIONALS_A),
    ):
        mails = [m for m in state["mails"] if m["federated"]]
        for professional in own:
            heard_of = sorted(o for m in mails if m["to"] == professional for o in m["others"])
            assert heard_of == sorted(others)
        assert {m["match"] for m in mails} == {"L-000001"}
        assert {m["coordinator"] for m in mails} == {"Anna Aalbers"}
    # nothing twice: one e-mail per pair and side (2 x 2 pairs, mailed on both sides)
    assert len([m for m in state_a["mails"] + state_b["mails"] if m["federated"]]) == 8
    assert all(op_state == "sent" for _, op_state, _ in state_a["outbox"] + state_b["outbox"])


def test_the_hub_database_holds_no_bsn_no_name_and_no_email_address(federation):
    dump = subprocess.run(
        ["pg_dump", "--data-only", "--no-owner", _database_url(federation["databases"]["hub"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if dump.returncode != 0:  # no pg_dump of the server's version here: read every text column ourselves
        text = []
        for table, column in _hub_rows(
            federation,
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'jsonb')",
        ):
            query = f'SELECT "{column}"::text FROM "{table}"'  # noqa: S608 - names from the catalogue
            text += [str(row[0]) for row in _hub_rows(federation, query)]
        content = "\n".join(text)
    else:
        content = dump.stdout
    assert "federation_hubkey" in content or "HubKey" in content or len(content) > 100
    for bsn in FAMILY_BSNS:
        assert bsn not in content
    assert not re.search(r"(?<![0-9a-f])\d{9}(?![0-9a-f])", content), "a nine-digit number (a BSN?) in the hub"
    for name in FAMILY_SURNAMES + PROFESSIONALS_A + PROFESSIONALS_B + ["Jeugdteam"]:
        assert name.lower() not in content.lower()
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", content), "an e-mail address in the hub's database"
    assert "0518010000583543" not in content  # the family's BAG id


def test_a_deployment_asking_about_a_key_it_has_not_registered_is_refused(federation):
    others, nobodys, own = federation["a"].steps(
        ["lookup", {"bsn": "999999151"}], ["lookup", {"bsn": "999999163"}], ["lookup", {"bsn": "999970021"}]
    )
    # 999999151 is registered by B only: A may not ask who holds it
    assert others == {"status": 403, "code": "key_not_registered_by_caller"}
    # the same refusal for a key nobody holds: the refusal tells nothing
    assert nobodys == {"status": 403, "code": "key_not_registered_by_caller"}
    # about its own signal's key it gets the national match and the other deployments' signals that share the key
    assert own["status"] == 200 and own["answer"]["national_match"] == "L-000001"
    # the refusals are logged at the hub
    assert _hub_rows(
        federation, "SELECT count(*) FROM federation_federationcall WHERE path LIKE '%keys/lookup%' AND status = 403"
    ) == [(2,)]


def test_the_hub_stopped_and_started_again_loses_nothing(federation):
    hub, b = federation["hub"], federation["b"]
    before = _hub_rows(federation, "SELECT deployment, reference, national_match FROM federation_hubsignal ORDER BY id")
    hub.stop()
    # a same-youth match with Anna, placed while the hub is down
    _, waiting, state = b.steps(
        ["place", {"bsn": "999970021", "professional": "Eva Evers"}], ["detect_and_send", {}], ["state", {}]
    )
    assert waiting["sent"] == 0 and waiting["waiting"] >= 1 and "notices" not in waiting  # the hub is down
    assert ["register", "pending", 1] in state["outbox"]
    hub.start(federation["tmp"])
    after_restart = _hub_rows(
        federation, "SELECT deployment, reference, national_match FROM federation_hubsignal ORDER BY id"
    )
    assert after_restart == before
    # the queued registration goes out when it is due (the retry pause is skipped here by sending "later")
    with psycopg.connect(_database_url(federation["databases"]["region-b"])) as connection:
        connection.execute("UPDATE federation_outboxmessage SET next_attempt_at = now() WHERE state = 'pending'")
    _, state_b, sent_again = b.steps(["send", {}], ["state", {}], ["send", {}])
    state_a = federation["a"].run("state")
    assert all(s == "sent" for _, s, _ in state_b["outbox"])
    counts = "SELECT count(*), count(DISTINCT national_match) FROM federation_hubsignal"
    assert _hub_rows(federation, counts) == [(5, 1)]
    eva = [m for m in state_b["mails"] if m["to"] == "Eva Evers" and m["federated"]]
    assert sorted(o for m in eva for o in m["others"]) == sorted(PROFESSIONALS_A)
    assert {m["coordinator"] for m in eva} == {"Anna Aalbers"}
    anna = [m for m in state_a["mails"] if m["to"] == "Anna Aalbers" and "Eva Evers" in m["others"]]
    assert len(anna) == 1  # sent once, although the registration was tried twice
    # sending again sends nothing twice
    assert sent_again == {"sent": 0, "failed": 0, "waiting": 0, "notices": 0}


def test_ending_in_one_deployment_reaches_the_other_and_the_coordinator_moves_on(federation):
    a, b = federation["a"], federation["b"]
    a.steps(
        ["end", {"professional": "Bram Bakker", "reason": "placed_wrongly"}],  # destroyed at once
        ["end", {"professional": "Anna Aalbers", "reason": "concern_gone"}],  # archived: the coordinator's signal
        ["send", {}],
    )
    _, state_b = b.steps(["send", {}], ["state", {}])
    remote = {name: state for *_, name, state in state_b["remote"]}
    assert "Bram Bakker" not in remote  # forgotten on the other side too
    assert remote["Anna Aalbers"] == "archived"
    # the coordinator moved to the earliest active signal of the national match, Carla's, and B was told
    carla = next(f for f in state_b["federated"] if f["professional"] == "Carla Claassen")
    assert {tuple(f["coordinator"]) for f in state_b["federated"]} == {("region-b", carla["reference"])}
    assert _hub_rows(federation, "SELECT count(*) FROM federation_hubsignal") == [(4,)]


def test_a_deployment_taken_off_the_trust_list_is_refused_at_once(federation):
    deployments = dict(federation["deployments"])
    deployments.pop("region-b")
    _write_trust(federation["trust_file"], deployments, {"operator": federation["operator"]["pem"]})
    # no restart of the hub: the next call is refused
    assert federation["b"].run("lookup", bsn="999970033") == {"status": 403, "code": "not_trusted"}
    assert federation["a"].run("lookup", bsn="999970021")["status"] == 200


# --- one national match, one coordinator by the rules of a region (fedcoord) -----------------------------------
# These run after the trust-list test: they put region-b back on the list first. By then the family's national
# match holds Anna's archived signal (A) and the active signals of Carla, Daan and Eva (B); Carla's is the earliest
# active one, so B decides, by the rules of regio-b (where the youth of Carla's signal lives).


def _coordinator_mails(state, since: int = 0):
    return [m for m in state["mails"][since:] if m["kind"] == "match_coordinator_changed"]


def test_the_coordinator_is_chosen_by_the_rules_of_the_deciding_region_and_named_alike_on_both_sides(federation):
    _write_trust(federation["trust_file"], federation["deployments"], {"operator": federation["operator"]["pem"]})
    a, b = federation["a"], federation["b"]
    mails_a, mails_b = len(a.run("state")["mails"]), len(b.run("state")["mails"])
    # regio-b's rule: a school (education) first; the only school in the family is in the other deployment
    b.run("coordinator_rule", deployment="b", sector="education")
    a.steps(
        ["organisation", {"deployment": "a", "name": "School a", "sector": "education", "subtype": "school",
                          "professionals": ["Fleur Fransen"]}],
        ["place", {"bsn": "999970045", "professional": "Fleur Fransen"}],
        ["detect_and_send", {}],
    )  # fmt: skip
    # B learnt Fleur's kind of organisation in the exchange and decides; A hears the decision through notices
    b.run("send")
    state_a, state_b = a.steps(["send", {}], ["state", {}])[1], b.run("state")
    fleur = next(f for f in state_a["federated"] if f["professional"] == "Fleur Fransen")
    everyone = [f for f in state_a["federated"] + state_b["federated"] if f["national_match"] == "L-000001"]
    assert {tuple(f["coordinator"]) for f in everyone} == {("region-a", fleur["reference"])}
    # the hub keeps which signal was chosen, nothing about why
    chosen = _hub_rows(
        federation,
        "SELECT s.deployment, s.reference FROM federation_hubmatchcounter c "
        "JOIN federation_hubsignal s ON s.id = c.coordinator_id WHERE c.id = 1",
    )
    assert chosen == [("region-a", fleur["reference"])]

    # e-mails on both sides: B's professionals are told that Fleur coordinates now, Fleur that she does; once each
    told_b = _coordinator_mails(state_b, mails_b)
    assert sorted(m["to"] for m in told_b) == ["Carla Claassen", "Daan Dekker", "Eva Evers"]
    assert {m["coordinator"] for m in told_b} == {"Fleur Fransen"}
    told_a = _coordinator_mails(state_a, mails_a)
    assert [(m["to"], m["coordinator"], m["you_are_coordinator"]) for m in told_a] == [
        ("Fleur Fransen", "Fleur Fransen", True)
    ]
    # the archived professional (Anna) is told of nothing
    assert not [m for m in state_a["mails"][mails_a:] if m["to"] == "Anna Aalbers"]

    # the match page and the API's matches endpoint name the same one coordinator on both sides, and show the
    # other deployment's professionals (labelled as another region's index; archived ones as history)
    seen_b, seen_a = (
        b.run("match_seen", professional="Carla Claassen"),
        a.run("match_seen", professional="Fleur Fransen"),
    )
    assert seen_b["status"] == seen_a["status"] == 200
    api_b, api_a = seen_b["api"]["match"], seen_a["api"]["match"]
    assert api_b["coordinator"]["name"] == "Fleur Fransen" and api_b["coordinator"]["elsewhere"] is True
    assert api_a["coordinator"]["name"] == "Fleur Fransen" and api_a["coordinator"]["elsewhere"] is False
    assert api_b["national_reference"] == api_a["national_reference"] == "L-000001"
    remote_b = {r["name"]: r for r in api_b["remote_participants"]}
    assert remote_b["Fleur Fransen"]["coordinator"] is True and remote_b["Fleur Fransen"]["index"] == "region-a"
    assert remote_b["Anna Aalbers"]["archived"] is True
    assert "Bram Bakker" not in remote_b  # destroyed: forgotten
    assert sorted(r["name"] for r in api_a["remote_participants"]) == ["Carla Claassen", "Daan Dekker", "Eva Evers"]
    assert not any(p["coordinator"] for p in api_b["participants"])  # nobody in B's own match coordinates
    assert "Fleur Fransen" in seen_b["page"] and "in de verwijsindex van een andere regio" in seen_b["page"]
    assert "U bent de matchregisseur van match" in seen_a["page"]
    assert "gearchiveerd" in seen_b["page"]


def test_when_the_national_coordinators_signal_ends_the_role_moves_on_by_the_rules_and_all_are_told(federation):
    a, b = federation["a"], federation["b"]
    mails_a, mails_b = len(a.run("state")["mails"]), len(b.run("state")["mails"])
    # Fleur's concern is gone: archived. No other school: the rules fall back to the deciding signal, Carla's
    a.steps(["end", {"professional": "Fleur Fransen", "reason": "concern_gone"}], ["send", {}])
    state_b = b.steps(["send", {}], ["send", {}], ["state", {}])[2]
    state_a = a.steps(["send", {}], ["state", {}])[1]
    carla = next(f for f in state_b["federated"] if f["professional"] == "Carla Claassen")
    everyone = [f for f in state_a["federated"] + state_b["federated"] if f["national_match"] == "L-000001"]
    assert {tuple(f["coordinator"]) for f in everyone} == {("region-b", carla["reference"])}
    told_b = _coordinator_mails(state_b, mails_b)
    assert sorted((m["to"], m["coordinator"]) for m in told_b) == [
        ("Carla Claassen", "Carla Claassen"),
        ("Daan Dekker", "Carla Claassen"),
        ("Eva Evers", "Carla Claassen"),
    ]
    # Fleur is archived now: told of nothing, like Anna
    assert _coordinator_mails(state_a, mails_a) == []
    seen = b.run("match_seen", professional="Daan Dekker")["api"]["match"]
    assert seen["coordinator"]["name"] == "Carla Claassen" and seen["coordinator"]["elsewhere"] is False
    assert {r["name"]: r["archived"] for r in seen["remote_participants"]}["Fleur Fransen"] is True


def test_the_hub_learnt_no_kind_of_organisation_nor_name_from_the_decisions(federation):
    # the scan of the hub's database again, after the kinds of organisation travelled with the exchanges
    test_the_hub_database_holds_no_bsn_no_name_and_no_email_address(federation)
    text = []
    for table, column in _hub_rows(
        federation,
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND data_type IN ('text', 'character varying', 'jsonb')",
    ):
        query = f'SELECT "{column}"::text FROM "{table}"'  # noqa: S608 - names from the catalogue
        text += [str(row[0]).lower() for row in _hub_rows(federation, query)]
    content = "\n".join(text)
    for word in ("fleur", "fransen", "school", "education", "youth_care", "jeugdteam"):
        assert word not in content


# --- issue #22, items 2, 5 and 6 (branch fedrights): rights requests, destruction at 23, key rotation --------------
# These run after the trust-list test above: each first puts both deployments back on the trust list.


def _trust_both(federation) -> None:
    _write_trust(federation["trust_file"], federation["deployments"], {"operator": federation["operator"]["pem"]})


def _status_page(federation) -> str:
    import requests

    operator = federation["operator"]
    response = requests.get(
        f"https://127.0.0.1:{federation['hub'].port}/status/",
        cert=(str(operator["cert"]), str(operator["key"])),
        verify=str(federation["ca"]),
        timeout=10,
    )
    assert response.status_code == 200
    return response.text


def _signals_on_older_keys(federation) -> int:
    return int(re.search(r'id="signals-on-older-keys">(\d+)<', _status_page(federation)).group(1))


def test_a_rights_request_lists_the_other_deployments_signals_through_the_hub_logged_at_both_ends(federation):
    _trust_both(federation)
    a, b = federation["a"], federation["b"]
    # Carla's signal in B is on 999970033; A holds nothing on that youth
    answer, sent = a.steps(
        ["rights_inquire", {"bsn": "999970033"}], ["logbook", {"action": "federation_rights_inquiry_sent"}]
    )
    assert answer["unavailable"] == []
    assert answer["signals"] == [["region-b", "Verwijsindex b", "Jeugdteam b", "Carla Claassen", "active"]]
    assert sent[-1]["details"]["rights_request"] == answer["request"] and sent[-1]["details"]["signals"] == 1
    # B logged, in the youth's logbook there, which deployment asked for which request (its reference at the hub)
    [answered] = b.run("logbook", action="federation_rights_inquiry_answered")
    assert answered["details"]["from_deployment"] == "region-a"
    assert answered["details"]["request_reference"] == answer["reference"]
    # the hub logged the registered request and the relayed inquiry, and kept no organisation or name
    assert _hub_rows(federation, "SELECT deployment, reference, inquiries FROM federation_hubrightsrequest") == [
        ("region-a", answer["reference"], 1)
    ]
    assert _hub_rows(
        federation, "SELECT count(*) FROM federation_federationcall WHERE path LIKE '%rights/inquire%' AND status = 200"
    ) == [(1,)]
    assert _hub_rows(
        federation, "SELECT count(*) FROM federation_idempotentcall WHERE answer::text LIKE '%Carla%'"
    ) == [(0,)]
    # not a way to search: without a request registered at the hub, the same question is refused
    assert a.run("rights_unregistered", bsn="999970033") == {"status": 403, "code": "rights_request_not_registered"}
    assert len(b.run("logbook", action="federation_rights_inquiry_answered")) == 1


def test_destruction_at_23_in_one_deployment_is_withdrawn_at_the_hub_and_the_other_forgets_it(federation):
    _trust_both(federation)
    a, b = federation["a"], federation["b"]
    a.run("send")
    before = {name for *_, name, _state in a.run("state")["remote"]}
    assert "Daan Dekker" in before
    hub_before = _hub_rows(federation, "SELECT count(*) FROM federation_hubsignal WHERE deployment = 'region-b'")[0][0]
    # the life cycle on the day 999999151 (Daan's youth, born 1 February 2015) turns 23: a chosen day, not today
    turned, sent = b.steps(["turn_23", {"bsn": "999999151"}], ["send", {}])
    assert turned["as_of"] == "2038-02-01" and "Daan Dekker" in turned["professionals"]
    assert "Carla Claassen" not in turned["professionals"]  # born 2017: still young enough
    assert sent["sent"] >= 1
    # withdrawn at the hub: its rows and keys are gone
    assert _hub_rows(federation, "SELECT count(*) FROM federation_hubsignal WHERE deployment = 'region-b'") == [
        (hub_before - turned["destroyed"],)
    ]
    # A hears of it through the hub's notices and forgets the remote participants
    state_a = a.steps(["send", {}], ["state", {}])[1]
    after = {name for *_, name, _state in state_a["remote"]}
    assert not after & set(turned["professionals"])
    assert "Carla Claassen" in after
    # the national match stands with what is left, with an active coordinator of B's
    carla = next(f for f in b.run("state")["federated"] if f["professional"] == "Carla Claassen")
    anna = next(f for f in state_a["federated"] if f["professional"] == "Anna Aalbers")
    assert {tuple(anna["coordinator"])} == {("region-b", carla["reference"])}


def test_key_rotation_re_registers_every_signal_under_the_new_key_and_the_old_key_can_go(federation):
    _trust_both(federation)
    hub, a, b = federation["hub"], federation["a"], federation["b"]
    registered = _hub_rows(federation, "SELECT count(*) FROM federation_hubsignal")[0][0]
    assert registered >= 2
    old_keys = hub.env["FEDERATION_OPRF_KEYS"]
    new_key = "k2:" + base64.b64encode(secrets.token_bytes(32)).decode()
    hub.stop()
    hub.env["FEDERATION_OPRF_KEYS"] = f"{new_key},{old_keys}"
    hub.start(federation["tmp"])
    assert _signals_on_older_keys(federation) == registered
    # under the newest key A's own family key is not registered yet
    assert a.run("lookup", bsn="999999126", kind="parent", attempt="-before")["status"] == 403
    mails_before = [len(party.run("state")["mails"]) for party in (a, b)]

    for party in (a, b):
        counts = json.loads(party.manage("federation_rekey", "--send").strip().splitlines()[-1])
        assert counts["key_id"] == "k2" and counts["queued"] >= 1
        # run again: everything is queued already or registered under k2; nothing twice
        again = json.loads(party.manage("federation_rekey").strip().splitlines()[-1])
        assert again["queued"] == 0
    for party in (a, b):
        party.run("send")
    assert _hub_rows(federation, "SELECT DISTINCT key_id FROM federation_hubsignal") == [("k2",)]
    assert _signals_on_older_keys(federation) == 0
    found = a.run("lookup", bsn="999999126", kind="parent", attempt="-after")
    carla = next(f for f in b.run("state")["federated"] if f["professional"] == "Carla Claassen")
    assert found["status"] == 200
    assert carla["reference"] in [p["reference"] for p in found["answer"]["partners"]]
    # the professionals were told nothing again
    assert [len(party.run("state")["mails"]) for party in (a, b)] == mails_before

    # the old key dropped: the matches stand
    hub.stop()
    hub.env["FEDERATION_OPRF_KEYS"] = new_key
    hub.start(federation["tmp"])
    again = a.run("lookup", bsn="999999126", kind="parent", attempt="-dropped")
    assert again["status"] == 200 and again["answer"]["national_match"] == found["answer"]["national_match"]


# --- follow-up and monitor across deployments (federation/followup.py, federation/relay.py) ---------------------
# These run after the tests above (file order): A's signals were ended, B was taken off the trust list, Daan's
# signal destroyed at 23 and the hub's key rotated there; the national match's number is read, not assumed.


def test_contact_recorded_by_the_coordinator_in_one_deployment_shows_in_the_other_and_one_monitor_lists_it(
    federation,
):
    import datetime

    a, b = federation["a"], federation["b"]
    # B back on the trust list; Bram signals the sister again in A, which joins the national match
    _write_trust(federation["trust_file"], federation["deployments"], {"operator": federation["operator"]["pem"]})
    a.steps(["place", {"bsn": "999970045", "professional": "Bram Bakker"}], ["detect_and_send", {}])
    _, state_b = b.steps(["send", {}], ["state", {}])
    federated_b = {f["professional"]: f for f in state_b["federated"]}
    coordinator = federated_b["Carla Claassen"]["coordinator"]
    assert coordinator == ["region-b", federated_b["Carla Claassen"]["reference"]]  # the coordinator is in B
    national_match = federated_b["Carla Claassen"]["national_match"]
    bram = next(f for f in a.run("state")["federated"] if f["professional"] == "Bram Bakker")
    assert bram["national_match"] == national_match
    days = 15  # past the regions' follow-up days (14)

    # before anything is recorded: only B's monitor lists the match, Bram (in A) among those waiting for contact
    monitor_a, monitor_b = a.run("monitor", days_later=days), b.run("monitor", days_later=days)
    assert monitor_a == []
    assert len(monitor_b) == 1 and "Bram Bakker" in monitor_b[0]["waiting"]
    assert a.run("follow_up_shown", professional="Bram Bakker")["rows"]["Bram Bakker"] is None

    # Carla, the coordinator in B, records contact with Bram (in A); it travels through the hub to A
    today = datetime.date.today().isoformat()
    sent = b.run("national_follow_up", professional="Carla Claassen", contacts={"Bram Bakker": today})
    assert sent["sent"] >= 1 and sent["failed"] == 0
    shown = a.run("follow_up_shown", professional="Bram Bakker")
    assert shown["recorded_elsewhere"] and not shown["you_record"]
    assert shown["national_match"] == national_match
    assert shown["rows"]["Bram Bakker"] == today  # the viewer's own row, as recorded in B
    # B's monitor no longer waits for Bram; A's still lists nothing (a match is followed up in one region only)
    assert all("Bram Bakker" not in row["waiting"] for row in b.run("monitor", days_later=days))
    assert a.run("monitor", days_later=days) == []
    # the hub relayed it and logged the call, and keeps nothing of it
    assert _hub_rows(
        federation, "SELECT count(*) FROM federation_federationcall WHERE path LIKE '%follow-up%' AND status = 200"
    ) >= [(2,)]
    tables = {row[0] for row in _hub_rows(federation, "SELECT tablename FROM pg_tables WHERE schemaname='public'")}
    stored = _hub_rows(federation, "SELECT count(*) FROM federation_nationalfollowup")
    assert "federation_nationalfollowup" in tables and stored == [(0,)]


def test_a_hand_over_proposed_in_one_deployment_and_accepted_in_the_other_moves_the_coordinator_on_both_sides(
    federation,
):
    a, b = federation["a"], federation["b"]
    _write_trust(federation["trust_file"], federation["deployments"], {"operator": federation["operator"]["pem"]})
    bram = next(f for f in a.run("state")["federated"] if f["professional"] == "Bram Bakker" and f["national_match"])
    national_match = bram["national_match"]
    # Carla, the coordinator in B, proposes Bram in A
    proposed = b.run("handover_propose", professional="Carla Claassen", to="Bram Bakker")
    assert proposed["sent"] >= 1 and proposed["failed"] == 0
    # A fetches the hub's notice and e-mails Bram matching's hand-over e-mail, linking to A's accept page
    a.run("send")
    mails = a.run("handover_mails", professional="Bram Bakker")
    assert [(m["kind"], m["match"]) for m in mails] == [("match_handover_proposed", national_match)]
    assert mails[0]["url"].endswith(f"/federation/signalen/{bram['signal']}/landelijke-match/overdracht/")
    # Bram accepts in A: the hub names him the coordinator; both deployments hold the same coordinator
    answered = a.run("handover_answer", professional="Bram Bakker", accept=True)
    assert answered["failed"] == 0
    b.run("send")
    coordinator = ["region-a", bram["reference"]]
    state_a, state_b = a.run("state"), b.run("state")
    # (a destroyed signal's row is left out: it was withdrawn, and its signal is gone)
    in_match = [
        f
        for f in state_a["federated"] + state_b["federated"]
        if f["national_match"] == national_match and f["professional"]
    ]
    assert {"Bram Bakker", "Carla Claassen"} <= {f["professional"] for f in in_match}
    assert {tuple(f["coordinator"]) for f in in_match} == {tuple(coordinator)}
    assert a.run("follow_up_shown", professional="Bram Bakker")["you_record"] is True
    assert b.run("follow_up_shown", professional="Carla Claassen")["you_record"] is False
    # the monitor follows the coordinator: now A's lists the match (Carla and the others in B wait), B's nothing
    assert b.run("monitor", days_later=15) == []
    listed_a = a.run("monitor", days_later=15)
    assert len(listed_a) == 1 and "Carla Claassen" in listed_a[0]["waiting"]
    # the hub holds references only: the scan of the first test still finds no name or e-mail address
    test_the_hub_database_holds_no_bsn_no_name_and_no_email_address(federation)


def test_a_hand_over_on_the_local_match_page_in_a_national_match_goes_through_the_hub_and_is_not_undone(federation):
    """fedgaps: Bram (A) coordinates the national match after the previous test; Anna signals the sibling in A again,
    so the two share a local match that takes the national coordinator. Bram hands the role to Anna on the local
    match's page: the hub records it, both deployments name Anna, and later refreshes do not take it back."""
    a, b = federation["a"], federation["b"]
    a.steps(["place", {"bsn": "999970021", "professional": "Anna Aalbers"}], ["detect_and_send", {}])
    b.run("send")
    a.run("send")
    before = a.run("local_coordinator", professional="Anna Aalbers")
    assert before["coordinator"] == "Bram Bakker"
    proposed = a.run("local_handover_propose", professional="Bram Bakker", to="Anna Aalbers")
    assert proposed["failed"] == 0
    assert a.run("local_coordinator", professional="Bram Bakker")["coordinator"] == "Bram Bakker"  # not yet
    a.run("send")  # the hub's notice: Anna is e-mailed matching's hand-over e-mail
    assert [m["kind"] for m in a.run("handover_mails", professional="Anna Aalbers")] == ["match_handover_proposed"]
    answered = a.run("local_handover_answer", professional="Anna Aalbers", accept=True)
    assert answered["failed"] == 0
    b.run("send")
    local = a.run("local_coordinator", professional="Bram Bakker")
    assert local["coordinator"] == "Anna Aalbers"
    anna = next(f for f in a.run("state")["federated"] if f["reference"] == local["reference"])
    in_match = [
        f
        for f in a.run("state")["federated"] + b.run("state")["federated"]
        if f["national_match"] == anna["national_match"] and f["professional"]
    ]
    assert {tuple(f["coordinator"]) for f in in_match} == {("region-a", anna["reference"])}
    # the local match names Anna, and goes on naming her after further rounds with the hub on both sides
    for _round in range(2):
        a.run("detect_and_send")
        b.run("detect_and_send")
        assert a.run("local_coordinator", professional="Bram Bakker")["coordinator"] == "Anna Aalbers"
