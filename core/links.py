"""Absolute links to a region's host, for e-mails (the region decides the host; settings the scheme and port)."""

from django.conf import settings


def region_host(region) -> str:
    """The host name links to this region use."""
    return region.hostnames[0] if region.hostnames else f"{region.slug}.localhost"


def region_url(region, path: str) -> str:
    """`path` on the region's own host, e.g. https://verwijsindex-midden-nederland.nl/account/..."""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{region_host(region)}{port}{path}"
