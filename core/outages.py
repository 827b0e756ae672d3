"""What counts as a backing service (PostgreSQL, Redis, the broker) being away (docs/adr/0005-outages-answer-503.md)."""

from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError, BrokerError)


class ServiceUnavailable(Exception):  # noqa: N818 - named after the HTTP status it stands for
    """A backing service (PostgreSQL, Redis) did not answer; the request changed nothing and may be retried."""


def outage_of(error: BaseException | None) -> BaseException | None:
    """The outage error behind `error` (itself, or a cause or context of it), or None."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, (*OUTAGE_ERRORS, ServiceUnavailable)):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None
