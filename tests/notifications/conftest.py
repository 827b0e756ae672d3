"""Fixtures for outbox tests: Celery run eagerly (the real task code, no worker) or a broker that is down."""

import socket

import pytest

from verwijsindex.celery import app as celery_app


def _reset_broker_pools():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_eager():
    """Tasks queued after commit run at once in the test, through Celery's own eager path."""
    old = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = old


@pytest.fixture
def broker_down():
    """The Celery broker is a port nobody listens on: publishing fails with a connection error."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    _reset_broker_pools()
    yield
    celery_app.conf.broker_url = old
    _reset_broker_pools()
