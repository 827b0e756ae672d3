"""Absolute links in e-mails: to the region's own host, with the configured scheme and port."""

from verwijsindex.links import region_url


def region_absolute_url(*, region, path: str) -> str:
    """`path` on the region's own host: verwijsindex.links.region_url, called by keyword."""
    return region_url(region, path)
