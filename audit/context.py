"""Who is acting, from where and in which region: set once per request (middleware) or Celery task (hooks).

log_event reads it, so services need no `request` argument only for the logbook. The request itself is kept and
read when an entry is written, not when it arrives: a login view changes `request.user` half-way.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from celery.signals import task_postrun, task_prerun


@dataclass(frozen=True)
class LogContext:
    request: object = None  # the HttpRequest being served, or None in a task or command
    task: str = ""  # the Celery task's name, or ""

    @property
    def actor(self):
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None

    @property
    def ip_address(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR") if self.request is not None else None

    @property
    def region_id(self) -> int | None:
        return getattr(getattr(self.request, "region", None), "pk", None)


_NONE = LogContext()
_current: ContextVar[LogContext] = ContextVar("audit_log_context", default=_NONE)


def log_context() -> LogContext:
    return _current.get()


@contextmanager
def log_context_set(context: LogContext):
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class LogContextMiddleware:
    """Makes the request the logbook's context for as long as it is served (after authentication and region)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with log_context_set(LogContext(request=request)):
            return self.get_response(request)


# A task runs without a request: its entries are the system's (actor "systeem", no address); the task's own
# arguments say which region. An eager task inside a request gets a context of its own, restored afterwards.
_task_tokens: dict[str, object] = {}


@task_prerun.connect
def _task_context_set(task_id=None, task=None, **kwargs):
    _task_tokens[task_id] = _current.set(LogContext(task=getattr(task, "name", "")))


@task_postrun.connect
def _task_context_reset(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _current.reset(token)
