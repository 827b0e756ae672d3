"""Absolute links to a region's host, for e-mails (the region decides the host; settings the scheme and port)."""

from django.conf import settings


def region_url(region, path: str) -> str:
    """`path` on the region's own host, e.g. https://verwijsindex-midden-nederland.nl/account/...

    regions is imported when a link is built, not when this module is: matching imports this module, and regions
    must be free to import matching (no import circle matching -> notifications -> verwijsindex -> regions).
    """
    from regions.selectors import region_host

    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{region_host(region)}{port}{path}"
