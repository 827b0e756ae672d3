"""The test suites' real OpenID Connect provider: server.mjs (npm oidc-provider) in a node process on 127.0.0.1.

Tests add clients and users to its state file; the provider reads users again on every look-up, so disabling a
user takes effect at once. Clients are read at start-up: each test run registers the clients it needs first.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import requests

SERVER = Path(__file__).with_name("server.mjs")
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules" / "oidc-provider"


class _Forms(HTMLParser):
    """The forms of a provider page: action and the hidden inputs (enough for its login and logout pages)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "id": attrs.get("id", ""), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")


def page_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class TestProvider:
    """A running provider. `issuer` is its base URL; `users` and `clients` are what its state file holds."""

    __test__ = False

    def __init__(self, *, clients: list[dict], token_ttl: int = 600):
        if shutil.which("node") is None or not NODE_MODULES.exists():
            raise RuntimeError("node and the npm package oidc-provider are needed (make install)")
        self.directory = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
        self.state_path = self.directory / "state.json"
        self.clients = clients
        self.users: dict[str, dict] = {}
        self._write()
        self.process = subprocess.Popen(
            ["node", str(SERVER), str(self.state_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OIDC_TEST_TOKEN_TTL": str(token_ttl)},
        )
        line = self.process.stdout.readline()
        match = re.match(r"listening (http://127\.0\.0\.1:\d+)", line)
        if not match:
            self.stop()
            raise RuntimeError(f"the test OpenID Connect provider did not start: {line!r}")
        self.issuer = match.group(1)

    def _write(self):
        self.state_path.write_text(json.dumps({"clients": self.clients, "users": self.users}))

    def user_add(
        self, login: str, *, email: str, amr=("pwd",), acr: str = "urn:test:loa:low", email_verified: bool = True
    ):
        self.users[login] = {
            "sub": f"sub-{login}", "email": email, "email_verified": email_verified,
            "name": login, "amr": list(amr), "acr": acr,
        }  # fmt: skip
        self._write()
        return self.users[login]

    def user_disable(self, login: str):
        self.users[login]["disabled"] = True
        self._write()

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.directory, ignore_errors=True)

    def sign_in(self, session: requests.Session, authorization_url: str, login: str) -> str:
        """Play the person at the provider: open the authorization URL, sign in as `login`; the redirect back."""
        response = session.get(authorization_url, allow_redirects=True)
        form = page_forms(response.text)[0]
        response = session.post(self._absolute(form["action"]), data={"login": login}, allow_redirects=False)
        return self._back_to_application(session, response)

    def sign_out(self, session: requests.Session, end_session_url: str) -> str:
        """Confirm the provider's sign-out page; the redirect back to the application."""
        response = session.get(end_session_url, allow_redirects=False)
        form = next(form for form in page_forms(response.text) if form["id"] == "op.logoutForm")
        response = session.post(
            self._absolute(form["action"]), data={**form["fields"], "logout": "yes"}, allow_redirects=False
        )
        return self._back_to_application(session, response)

    def _back_to_application(self, session: requests.Session, response) -> str:
        while response.status_code in (302, 303) and self._absolute(response.headers["Location"]).startswith(
            self.issuer
        ):
            response = session.get(self._absolute(response.headers["Location"]), allow_redirects=False)
        assert response.status_code in (302, 303), response.text[:500]
        return response.headers["Location"]

    def _absolute(self, url: str) -> str:
        return url if url.startswith("http") else f"{self.issuer}{url}"


def client_registration(*, client_id: str, secret: str, hosts: list[str]) -> dict:
    """The registration an organisation's IT department makes for the verwijsindex on the region hosts."""
    return {
        "client_id": client_id,
        "client_secret": secret,
        "redirect_uris": [f"{host}/account/inloggen/organisatie/terug/" for host in hosts],
        "post_logout_redirect_uris": [f"{host}/account/inloggen/" for host in hosts],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
    }
