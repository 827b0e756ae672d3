"""The database or Redis away: a 503 with Retry-After in every settings profile, never a 500 or a traceback.

See docs/adr/0005-outages-answer-503.md. Django turns an exception into a response inside every middleware
layer (the debug page in development, handler500 otherwise), so a middleware cannot catch an error raised
by another middleware (a session or region look-up on a dead database). Instead, the receiver of Django's
`got_request_exception` below turns an outage error into `ServiceUnavailable` before Django builds its 500
response; that exception rises through the layers to `OutageMiddleware`, the outermost one, which answers.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from api.errors import MESSAGES, error_body
from core.outages import OUTAGE_ERRORS, RETRY_AFTER_SECONDS, ServiceUnavailable, outage_of  # noqa: F401

logger = logging.getLogger(__name__)


def outage_response(request) -> HttpResponse:
    """The 503 answer: the API's JSON error shape under /api/ and /health/, the retry page elsewhere.

    Rendered without a request context, so it runs no query (the database may be what is away)."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith(("/api/", "/health/")):
        body = error_body(code="service_unavailable", message=MESSAGES["service_unavailable"])
        return JsonResponse(body, status=503, headers=headers)
    return HttpResponse(render_to_string("errors/database_unavailable.html"), status=503, headers=headers)


def _raise_on_outage(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if isinstance(error, ServiceUnavailable):
        raise error  # on its way up from an inner layer: let it rise on to OutageMiddleware
    outage = outage_of(error)
    if outage is None:
        return
    # the path only, never the query string (it could hold anything a client sent)
    path = request.path if request is not None else "?"
    logger.warning("service unavailable (%s) during %s; answered 503", type(outage).__name__, path)
    raise ServiceUnavailable from outage


class OutageMiddleware:
    """The outermost middleware: answers 503 with Retry-After when a backing service was away."""

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_raise_on_outage, dispatch_uid="verwijsindex.outages")

    def __call__(self, request):
        try:
            return self.get_response(request)
        except ServiceUnavailable:
            return outage_response(request)
