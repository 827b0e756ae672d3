"""Tenancy: the region comes from the request host; users only act inside their own regions."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from regions.selectors import region_by_host

# Paths that answer on any host (health checks, static files, the dev BRP endpoint, e-mail provider webhooks,
# the API: an API client belongs to an organisation, which fixes the region, so the API needs no region host;
# the dev-only mailbox, which verwijsindex/urls.py mounts only in the dev profile).
HOSTLESS_PREFIXES = ("/static/", "/health/", "/brp-embedded/", "/media/", "/anymail/", "/api/", "/dev/", "/federation/")


class RegionMiddleware:
    """Sets request.region from the host; unknown hosts get a clear page, not a stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.region = region_by_host(request.get_host().split(":")[0])
        if request.region is None and not request.path.startswith(HOSTLESS_PREFIXES):
            return render(
                request,
                "errors/unknown_host.html",
                {"title": _("Onbekende verwijsindex")},
                status=404,
            )
        return self.get_response(request)


def region_context(request):
    region = getattr(request, "region", None)
    return {"region": region}
