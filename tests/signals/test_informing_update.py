"""A postponed informing, later: informed after all, or postponed again with the renewed reason; on the task list
after the region's number of weeks."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import LogEntry
from signals.exceptions import InformingIncomplete, InformingUpdateRefused, NotYourSignal
from signals.models import InformingStatus
from signals.selectors import tasks_of_professional
from signals.services import signal_informing_update, signal_place
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.signals.factories import informed

pytestmark = pytest.mark.django_db

PLACED = datetime.date(2026, 11, 22)
POSTPONED = {"status": "postponed", "reason": "Gevaar voor de jeugdige bij informeren nu"}


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def postponed(organisation, professional_user):
    youth = YouthFactory(birth_date=datetime.date(2016, 5, 1))  # 10: the parents are informed
    with at(PLACED):
        return signal_place(professional=professional_user, organisation=organisation, youth=youth, informing=POSTPONED)


def test_postponed_informing_is_recorded_later_as_done(postponed, professional_user):
    later = datetime.date(2027, 1, 10)
    with at(later):
        updated = signal_informing_update(
            signal=postponed, actor=professional_user, informing=informed(datetime.date(2027, 1, 8), ("parents",))
        )
    assert updated.informing_status == InformingStatus.INFORMED
    assert (updated.informed_whom, updated.informed_on, updated.informed_how) == (
        "parents",
        datetime.date(2027, 1, 8),
        "in een gesprek",
    )
    assert updated.informing_reason == "" and updated.informing_recorded_on == later
    entry = LogEntry.objects.get(action="signal_informing_updated")
    assert entry.signal_id == postponed.pk and entry.details["informing_status"] == "informed"


def test_postponed_again_needs_the_renewed_reason(postponed, professional_user):
    with at(datetime.date(2027, 1, 10)), pytest.raises(InformingIncomplete):
        signal_informing_update(signal=postponed, actor=professional_user, informing={"status": "postponed"})
    with at(datetime.date(2027, 1, 10)):
        updated = signal_informing_update(
            signal=postponed, actor=professional_user, informing={"status": "postponed", "reason": "Nog steeds gevaar"}
        )
    assert updated.informing_reason == "Nog steeds gevaar"
    assert updated.informing_recorded_on == datetime.date(2027, 1, 10)


def test_informing_already_done_cannot_be_updated(organisation, professional_user):
    with at(PLACED):
        signal = signal_place(
            professional=professional_user,
            organisation=organisation,
            youth=YouthFactory(birth_date=datetime.date(2016, 5, 1)),
            informing=informed(PLACED, ("parents",)),
        )
        with pytest.raises(InformingUpdateRefused, match="Alleen een uitgesteld informeren"):
            signal_informing_update(signal=signal, actor=professional_user, informing=POSTPONED)


def test_informing_the_wrong_party_for_the_age_is_refused(postponed, professional_user):
    with at(datetime.date(2027, 1, 10)), pytest.raises(InformingIncomplete, match="ouders"):
        signal_informing_update(
            signal=postponed, actor=professional_user, informing=informed(datetime.date(2027, 1, 8), ("youth",))
        )


def test_someone_elses_informing_cannot_be_updated(postponed, colleague):
    with at(datetime.date(2027, 1, 10)), pytest.raises(NotYourSignal):
        signal_informing_update(signal=postponed, actor=colleague, informing=informed(datetime.date(2027, 1, 8)))


def test_postponed_informing_comes_on_the_task_list_after_the_regions_weeks(postponed, professional_user, region):
    region.informing_postponed_weeks = 3
    region.save()
    due = PLACED + datetime.timedelta(weeks=3)
    assert tasks_of_professional(user=professional_user, as_of=due - datetime.timedelta(days=1)) == []
    (task,) = tasks_of_professional(user=professional_user, as_of=due)
    assert task.kind == "informing_due" and task.reference == postponed.reference and task.due_on == due
    assert task.url == reverse("signals:informing", args=[postponed.pk])
    # postponed again: the weeks start again
    with at(due):
        signal_informing_update(signal=postponed, actor=professional_user, informing=POSTPONED)
    assert tasks_of_professional(user=professional_user, as_of=due + datetime.timedelta(weeks=2)) == []
    assert len(tasks_of_professional(user=professional_user, as_of=due + datetime.timedelta(weeks=3))) == 1


def test_a_signal_ending_soon_is_a_task_to_extend_or_let_go(postponed, professional_user):
    tasks = tasks_of_professional(user=professional_user, as_of=datetime.date(2028, 11, 1))
    assert [task.kind for task in tasks] == ["informing_due", "ending_soon"]
    assert tasks[1].url == reverse("signals:extend", args=[postponed.pk])


def test_informing_page_records_and_shows_refusals_on_the_form(postponed, professional_user, region):
    url = reverse("signals:informing", args=[postponed.pk])
    with at(datetime.date(2027, 1, 10)):
        client = client_for(professional_user, region)
        assert "Gevaar voor de jeugdige" in client.get(url).content.decode()
        refused = client.post(url, {"status": "informed", "whom": ["youth"], "on": "2027-01-08", "how": "brief"})
        assert refused.status_code == 200 and "ouders" in refused.content.decode()
        done = client.post(url, {"status": "informed", "whom": ["parents"], "on": "2027-01-08", "how": "brief"})
    assert done.status_code == 302
    postponed.refresh_from_db()
    assert postponed.informing_status == InformingStatus.INFORMED


def test_informing_page_of_someone_elses_signal_is_not_found(postponed, colleague, region):
    assert client_for(colleague, region).get(reverse("signals:informing", args=[postponed.pk])).status_code == 404


def test_my_signals_lists_the_due_tasks(postponed, professional_user, region):
    due = PLACED + datetime.timedelta(weeks=region.informing_postponed_weeks)
    with at(due):
        response = client_for(professional_user, region).get(reverse("signals:list"))
    assert [task.kind for task in response.context["tasks"]] == ["informing_due"]
    assert reverse("signals:informing", args=[postponed.pk]) in response.content.decode()
