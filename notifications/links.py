"""Absolute links in e-mails: core.links.region_url by keyword (kept for imports not yet updated)."""

from core.links import region_url


def region_absolute_url(*, region, path: str) -> str:
    return region_url(region, path)
