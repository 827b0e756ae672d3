"""Absolute links in e-mails: to the region's own host, with the configured scheme and port."""

from django.conf import settings

from regions.selectors import region_host


def region_absolute_url(*, region, path: str) -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{region_host(region)}{port}{path}"
