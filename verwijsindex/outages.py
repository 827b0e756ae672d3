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
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError, BrokerError)


class ServiceUnavailable(Exception):  # noqa: N818 - named after the HTTP status it stands for
    """A backing service (PostgreSQL, Redis) did not answer; the request changed nothing and may be retried."""


def outage_of(error: BaseException | None) -> BaseException | None:
    """The outage error behind `error` (itself, or a cause or context of it), or None."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, (*OUTAGE_ERRORS, ServiceUnavailable)):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def outage_response(request) -> HttpResponse:
    """The 503 answer: the API's JSON error shape under /api/ and /health/, the retry page elsewhere.

    Rendered without a request context, so it runs no query (the database may be what is away)."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith(("/api/", "/health/")):
        from api.errors import MESSAGES, error_body

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
