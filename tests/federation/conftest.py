"""In-process federation tests: the hub's views through the test client, with certificates of a throw-away CA."""

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client

from federation import trust
from tests.federation.pki import Pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    authority = Pki(tmp_path_factory.mktemp("pki"))
    return {
        "ca": authority.ca_path,
        **{name: authority.issue(name) for name in ("hub", "region-a", "region-b", "stranger", "operator")},
    }


def write_trust(path, pki, deployments=("region-a", "region-b")):
    path.write_text(
        json.dumps(
            {
                "deployments": {
                    name: {"certificate": pki[name]["pem"], "url": f"https://{name}.invalid"} for name in deployments
                },
                "operators": {"operator": pki["operator"]["pem"]},
            }
        )
    )
    import os

    os.utime(path, ns=(time.time_ns(), time.time_ns()))


@pytest.fixture
def hub_settings(settings, pki, tmp_path):
    """This process plays the hub: its key signs answers, its trust list names region-a and region-b."""
    settings.VERWIJSINDEX_ROLE = "hub"
    # the hub's profile has no regions, users or second factor (verwijsindex/settings/hub.py)
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.startswith(("verwijsindex.tenancy", "accounts.", "axes."))
    ]
    settings.FEDERATION_DEPLOYMENT_ID = ""
    settings.FEDERATION_TLS_CERT = str(pki["hub"]["cert"])
    settings.FEDERATION_TLS_KEY = str(pki["hub"]["key"])
    settings.FEDERATION_TRUST_FILE = str(tmp_path / "trust.json")
    settings.FEDERATION_OPRF_KEYS = [
        "k2:" + base64.b64encode(b"\x02" * 32).decode(),
        "k1:" + base64.b64encode(b"\x01" * 32).decode(),
    ]
    write_trust(tmp_path / "trust.json", pki)
    return settings


class Caller:
    """A deployment calling the hub: its certificate (as the TLS layer hands it over) and its signatures."""

    def __init__(self, name: str, pki):
        self.name = name
        self.pem = pki[name]["pem"]
        self.key = serialization.load_pem_private_key(pki[name]["key"].read_bytes(), password=None)
        self.client = Client(SSL_CLIENT_CERT=self.pem)
        self.calls = 0

    def post(self, path: str, data: dict, *, key: str | None = None, sign: bool = True, sender: str | None = None):
        self.calls += 1
        body = json.dumps(data).encode()
        key = key or f"{self.name}-{self.calls}-{time.time_ns()}"
        headers = {"HTTP_IDEMPOTENCY_KEY": key}
        if sign:
            timestamp = int(time.time())
            parts = trust.request_signing_parts("POST", path, timestamp, key, body)
            signature = self.key.sign(trust._signed_text(parts), ec.ECDSA(hashes.SHA256()))
            headers["HTTP_FEDERATION_SIGNATURE"] = (
                f"id={sender or self.name}, ts={timestamp}, sig={base64.urlsafe_b64encode(signature).decode()}"
            )
        return self.client.post(path, body, content_type="application/json", **headers)


@pytest.fixture
def caller(pki):
    return lambda name: Caller(name, pki)
