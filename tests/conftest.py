"""Fixtures shared by every test: regions on their hosts and clients logged in with two factors."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import municipal_staff, organisation_coordinator, process_manager, professional
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory


def host_of(region) -> str:
    return f"{region.slug}.localhost"


def client_for(user, region, *, host: str | None = None) -> Client:
    """A test client on the region's host (or `host`), logged in and verified with a confirmed TOTP device."""
    client = Client(HTTP_HOST=host or host_of(region))
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def _clear_cache():
    """The cache is a real Redis shared across tests; start each test with an empty one. The regions each
    process keeps by host name go too: a test's regions are rolled back after it, without a delete signal."""
    from django.core.cache import cache

    from regions.selectors import region_hosts_forget

    cache.clear()
    region_hosts_forget()
    yield


@pytest.fixture(autouse=True)
def checkpoint_dir(settings, tmp_path_factory):
    """Each test its own folder of logbook checkpoints: its database starts without entries, so must the heads and
    checkpoints kept outside it (audit/checkpoints.py)."""
    settings.LOGBOOK_CHECKPOINT_DIR = tmp_path_factory.mktemp("logbook-checkpoints")
    return settings.LOGBOOK_CHECKPOINT_DIR


@pytest.fixture
def region(db):
    return RegionFactory(name="Verwijsindex Midden-Nederland", slug="midden-nederland")


@pytest.fixture
def other_region(db):
    return RegionFactory(name="Verwijsindex Haaglanden", slug="haaglanden")


@pytest.fixture
def municipality(region):
    return MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)


@pytest.fixture
def organisation(region):
    return OrganisationFactory(region=region)


@pytest.fixture
def professional_user(organisation):
    return professional(organisation)


@pytest.fixture
def coordinator(organisation):
    """The organisation coordinator of `organisation`."""
    return organisation_coordinator(organisation)


@pytest.fixture
def manager(region):
    """A process manager of `region`."""
    return process_manager(region)


@pytest.fixture
def staff(municipality):
    """Municipal staff of `municipality` (Utrecht)."""
    return municipal_staff(municipality)


@pytest.fixture
def anonymous_client(region):
    return Client(HTTP_HOST=host_of(region))


# --- BRP (persons) -------------------------------------------------------------------------------------
# `brp`: the real Haal Centraal HTTP client against this project's own /brp-embedded/personen endpoint,
#        served over real HTTP by a threaded server on localhost. Works with the ordinary `db` fixture
#        (the endpoint reads the test data file, not the database). Use it wherever a BSN is looked up.
# `brp_embedded`: the in-process embedded register, no HTTP. A little faster; use it only where the HTTP
#        path is not the point (e.g. bulk set-up in a benchmark-like test).


class _QuietRequestHandler:
    """Mixed into Django's WSGIRequestHandler below: no access log lines in the test output."""

    # headers and body go out in separate writes; with Nagle on, each answer waits ~40 ms for a delayed ACK
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def brp_server():
    """The base URL of a threaded WSGI server on 127.0.0.1 serving this project."""
    import threading

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    handler = type("QuietWSGIRequestHandler", (_QuietRequestHandler, WSGIRequestHandler), {})
    server = ThreadedWSGIServer(("127.0.0.1", 0), handler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def brp(db, settings, brp_server):
    """Look persons up through the Haal Centraal HTTP client against the project's embedded endpoint."""
    settings.BRP_CLIENT = "haal_centraal"
    settings.BRP_BASE_URL = f"{brp_server}/brp-embedded"
    settings.BRP_API_KEY = ""
    return settings.BRP_BASE_URL


@pytest.fixture
def brp_embedded(db, settings):
    """Look persons up in the embedded register in-process (no HTTP)."""
    settings.BRP_CLIENT = "embedded"
