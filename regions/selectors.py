"""Reads of regions and organisations."""

from django.db.models import Q

from .models import Region


def region_by_host(host: str) -> Region | None:
    """The region served on this host name: a listed host name, or `<slug>.localhost` in development."""
    host = host.lower().rstrip(".")
    query = Q(hostnames__contains=[host])
    if host.endswith(".localhost"):
        query |= Q(slug=host.removesuffix(".localhost"))
    return Region.objects.filter(query).first()


def region_host(region: Region) -> str:
    """The host name links to this region use."""
    return region.hostnames[0] if region.hostnames else f"{region.slug}.localhost"
