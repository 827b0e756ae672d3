"""BRP clients behind one interface: `get_client().person(bsn) -> BrpPerson | None`."""

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .embedded import EmbeddedRegister
from .haal_centraal import HaalCentraalClient
from .types import BrpClient, BrpPerson

__all__ = ["BrpClient", "BrpPerson", "EmbeddedRegister", "HaalCentraalClient", "get_client"]


@lru_cache(maxsize=8)
def _haal_centraal(base_url, api_key, cert, key, oin, purpose, timeout) -> HaalCentraalClient:
    return HaalCentraalClient(
        base_url=base_url, api_key=api_key, cert=cert, key=key, oin=oin, purpose=purpose, timeout=timeout
    )


def get_client() -> BrpClient:
    """The client settings.BRP_CLIENT names: "haal_centraal" (HTTP) or "embedded" (the test set in-process)."""
    if settings.BRP_CLIENT == "embedded":
        return EmbeddedRegister(settings.BRP_TEST_DATA)
    if settings.BRP_CLIENT == "haal_centraal":
        # cached per configuration, so the HTTP session (and its kept-alive connections) is reused
        return _haal_centraal(
            settings.BRP_BASE_URL,
            settings.BRP_API_KEY,
            settings.BRP_CLIENT_CERT,
            settings.BRP_CLIENT_KEY,
            settings.BRP_OIN,
            settings.BRP_PURPOSE,
            settings.BRP_TIMEOUT,
        )
    raise ImproperlyConfigured(f"BRP_CLIENT must be 'haal_centraal' or 'embedded', not {settings.BRP_CLIENT!r}")
