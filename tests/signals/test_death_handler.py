"""A death the BRP refresh reports destroys the youth's signals once the refresh has committed."""

import datetime

import pytest

from persons.events import YouthChange
from persons.models import Youth
from signals.handlers import youth_changed
from signals.models import Signal
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory
from verwijsindex.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def change(youth, **kwargs):
    return YouthChange(youth_id=youth.pk, old_municipality_code="0344", new_municipality_code="0344", **kwargs)


def test_reported_death_destroys_the_signals_after_commit(
    organisation, eager_tasks, django_capture_on_commit_callbacks
):
    youth = YouthFactory()
    SignalFactory.create_batch(2, youth=youth, organisation=organisation)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        youth_changed(change(youth, died_on=datetime.date(2026, 5, 1)))
    assert Signal.objects.count() == 2  # nothing before the refresh commits
    for callback in callbacks:
        callback()
    assert not Signal.objects.exists()
    assert not Youth.objects.filter(pk=youth.pk).exists()


def test_other_changes_leave_the_signals_alone(organisation, eager_tasks, django_capture_on_commit_callbacks):
    youth = YouthFactory()
    SignalFactory(youth=youth, organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        youth_changed(change(youth, address_changed=True))
    assert Signal.objects.count() == 1


def test_death_handler_is_registered_with_persons():
    from persons import events

    assert youth_changed in events.youth_change_handlers()
