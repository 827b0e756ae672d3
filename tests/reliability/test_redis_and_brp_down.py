"""Redis down: pages still work. The BRP slow or down: a timeout and a clear message, the input kept."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.matching.test_reliability import RedisServer, _free_port
from tests.signals.factories import SignalFactory


@pytest.mark.services
@pytest.mark.django_db
def test_pages_keep_working_while_redis_is_down(tmp_path, settings, professional_user, organisation, region):
    redis = RedisServer(tmp_path, _free_port())
    redis.start()
    location = f"redis://127.0.0.1:{redis.port}/0"
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": location}}
    SignalFactory(professional=professional_user, organisation=organisation)
    client = client_for(professional_user, region)
    pages = [reverse("home"), reverse("signals:list"), reverse("matching:my_matches"), reverse("signals:place")]
    try:
        for url in pages:
            assert client.get(url).status_code == 200, url
        redis.stop()
        started = time.monotonic()
        for url in pages:
            assert client.get(url).status_code == 200, url
        assert time.monotonic() - started < 20, "pages must not hang on the missing cache"
        assert client.get(reverse("accounts:login"), HTTP_HOST=f"{region.slug}.localhost").status_code == 200
    finally:
        redis.stop()


class _SlowBrp(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's hook name
        time.sleep(3)
        try:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"personen": []}')
        except BrokenPipeError:
            pass  # the client gave up waiting, as it should

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_brp(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowBrp)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.BRP_CLIENT = "haal_centraal"
    settings.BRP_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.BRP_TIMEOUT = 0.5
    yield
    server.shutdown()
    server.server_close()


@pytest.mark.services
@pytest.mark.django_db
@pytest.mark.parametrize("brp_state", ["slow", "down"])
def test_slow_or_absent_brp_gives_a_clear_message_in_time_and_keeps_the_input(
    brp_state, request, settings, professional_user, region
):
    if brp_state == "slow":
        request.getfixturevalue("slow_brp")
    else:
        settings.BRP_CLIENT = "haal_centraal"
        settings.BRP_BASE_URL = f"http://127.0.0.1:{_free_port()}"
    client = client_for(professional_user, region)
    started = time.monotonic()
    response = client.post(reverse("signals:place"), {"bsn": "999970033", "birth_date": "2018-03-04"})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    content = response.content.decode()
    assert "niet bereikbaar" in content
    assert "2018-03-04" in content or "04-03-2018" in content
    assert elapsed < 5, f"the page waited {elapsed:.1f}s for the BRP"
