"""The one hook mechanism and the one way to enqueue a task by name."""

import logging

import pytest
from django.db import transaction

from core.hooks import Hook
from core.tasks import task_enqueue, task_send
from tests.notifications.conftest import broker_down, celery_eager  # noqa: F401 - fixtures


def test_a_hook_calls_its_handlers_in_order_the_last_ones_after_all_others_and_each_once():
    hook = Hook("test")
    calls = []

    def logbook(value):
        calls.append(("logbook", value))

    def first(value):
        calls.append(("first", value))
        return 1

    def second(value):
        calls.append(("second", value))
        return 2

    hook.register(logbook, last=True)
    hook.register(first)
    hook.register(second)
    hook.register(first)  # a reloaded app registers again: no second call
    assert hook.send("x") == [1, 2, None]
    assert calls == [("first", "x"), ("second", "x"), ("logbook", "x")]
    hook.unregister(second)
    assert hook.handlers() == [first, logbook] and hook.handlers("last") == [logbook]


@pytest.mark.django_db
def test_a_task_sent_by_name_runs_when_the_broker_takes_it(celery_eager, monkeypatch):  # noqa: F811
    ran = []
    monkeypatch.setattr("notifications.services.notifications_send_pending", lambda: ran.append(1) or 0)
    assert task_send("notifications.sweep") is True
    assert ran == [1]


def test_with_the_broker_down_sending_a_task_by_name_fails_nobody_and_says_so(broker_down, caplog):  # noqa: F811
    with caplog.at_level(logging.WARNING, logger="core.tasks"):
        assert task_send("matching.detect", 123) is False
    assert "matching.detect not queued" in caplog.text
    assert "123" not in caplog.text  # the arguments (ids) are not logged


@pytest.mark.django_db
def test_a_task_enqueued_in_a_transaction_is_sent_only_after_the_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("core.tasks.task_send", lambda name, *args: sent.append((name, args)) or True)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        task_enqueue("signals.youth_died", 7)
        assert sent == []
    assert sent == [("signals.youth_died", (7,))]
