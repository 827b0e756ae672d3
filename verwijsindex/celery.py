"""The Celery app. Workers ack late with a prefetch of 1, so tasks must be idempotent."""

import os
from importlib import import_module

from celery import Celery
from celery.signals import celeryd_init, setup_logging, task_postrun

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    "verwijsindex.settings.hub" if os.environ.get("VERWIJSINDEX_ROLE") == "hub" else "verwijsindex.settings.dev",
)

app = Celery("verwijsindex")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _django_logging(**kwargs):
    """Worker and beat log through Django's LOGGING (with its BSN redaction filter), not Celery's own set-up."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@celeryd_init.connect
def _worker_waits_for_the_broker(conf=None, **kwargs):
    """The worker waits for Redis and reconnects; only a process that places work gives up at once.

    Settings give the broker `max_retries: 0`, so that a web request that queues a task while Redis is away fails
    fast (the sweeps do the work later). In the worker that made kombu's `default_channel` raise its own
    OperationalError at the first refused connection; Celery's consumer restarts only on the transport's connection
    errors, so a step that opened its channel in the instant Redis was away ended the worker (exit code 1, seen
    once in three soak runs of issue 24). The worker drops that option: its connections retry within the connect
    time-out like any other, and the consumer goes on with its own retries (broker_connection_max_retries)."""
    options = dict(conf.broker_transport_options or {})
    options.pop("max_retries", None)
    conf.broker_transport_options = options


@task_postrun.connect
def _queries_forget(**kwargs):
    """With DEBUG on (`make run`), Django keeps the text of every query run on a connection (up to 9,000 per
    connection) for the debug page. A request empties that list when it starts; nothing empties it in a worker,
    so each pool process grew by the text of every query its tasks ran, about 1 MB a minute under load (issue 24,
    found with the tracemalloc snapshots below). Emptied after every task, so DEBUG costs a worker nothing."""
    from django.db import reset_queries

    reset_queries()


# Each app keeps its periodic tasks in `<app>/schedule.py` (a BEAT_SCHEDULE dict of task names, no imports
# of models), so apps add jobs without touching shared settings.
SCHEDULED_APPS = (
    "accounts",
    "regions",
    "persons",
    "signals",
    "matching",
    "notifications",
    "rights",
    "audit",
    "api",
    "federation",
)


def beat_schedule_for(role: str) -> dict:
    """The periodic jobs of a role. The hub (VERWIJSINDEX_ROLE=hub, as manage.py reads it) has only the federation's
    app and its own jobs (`HUB_BEAT_SCHEDULE`: its retention), never a regional deployment's outbox."""
    if role == "hub":
        return dict(import_module("federation.schedule").HUB_BEAT_SCHEDULE)
    schedule: dict = {}
    for app_name in SCHEDULED_APPS:
        try:
            module = import_module(f"{app_name}.schedule")
        except ModuleNotFoundError:
            continue
        schedule.update(module.BEAT_SCHEDULE)
    return schedule


app.conf.beat_schedule.update(beat_schedule_for(os.environ.get("VERWIJSINDEX_ROLE", "regional")))


# VI_TRACEMALLOC_DIR (profiling only, off by default): each worker pool process traces its allocations and writes
# a tracemalloc snapshot there at its first task and then at most once a minute, to compare over a long run
# (benchmarks/soak.py --tracemalloc; `python benchmarks/worker_memory.py DIR` prints the growth by line).
if os.environ.get("VI_TRACEMALLOC_DIR"):
    import time
    import tracemalloc

    from celery.signals import task_postrun, worker_process_init

    _snapshots = {"last": 0.0, "count": 0}

    @worker_process_init.connect
    def _trace_start(**kwargs):
        tracemalloc.start(int(os.environ.get("VI_TRACEMALLOC_FRAMES", "1")))

    @task_postrun.connect
    def _trace_snapshot(**kwargs):
        if not tracemalloc.is_tracing() or time.monotonic() - _snapshots["last"] < 60:
            return
        _snapshots["last"] = time.monotonic()
        _snapshots["count"] += 1
        folder = os.environ["VI_TRACEMALLOC_DIR"]
        os.makedirs(folder, exist_ok=True)
        name = f"{os.getpid()}-{_snapshots['count']:03d}.snap"
        tracemalloc.take_snapshot().dump(os.path.join(folder, name))
