"""Extending a signal (verlengen): a new period from the day of extension, never past 23; the same signal."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import LogEntry
from reports.models import Counter, Metric
from signals.exceptions import ExtensionRefused, InformingIncomplete, NotYourSignal
from signals.models import InformingStatus, Signal, SignalStatus
from signals.services import signal_end, signal_extend, signal_place
from tests.accounts.factories import professional
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory, informed

pytestmark = pytest.mark.django_db

PLACED = datetime.date(2026, 11, 22)
EXTENDED = datetime.date(2028, 10, 1)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def placed(organisation, professional_user):
    youth = YouthFactory(birth_date=datetime.date(2014, 5, 1))
    with at(PLACED):
        return signal_place(
            professional=professional_user, organisation=organisation, youth=youth, informing=informed(PLACED)
        )


def test_extension_gives_a_new_period_of_two_years_from_the_day_of_extension(placed, professional_user):
    assert placed.ends_on == datetime.date(2028, 11, 21)
    with at(EXTENDED):
        extended = signal_extend(signal=placed, actor=professional_user, informing=informed(EXTENDED))
    assert extended.pk == placed.pk and extended.reference == placed.reference
    assert extended.ends_on == datetime.date(2030, 9, 30)
    assert extended.extension_count == 1 and extended.reminder_sent_at is None
    assert extended.informed_on == EXTENDED and extended.informing_recorded_on == EXTENDED
    assert Signal.objects.count() == 1


def test_extension_is_logged_and_counted_as_an_extension_not_a_new_signal(placed, professional_user):
    with at(EXTENDED):
        signal_extend(signal=placed, actor=professional_user, informing=informed(EXTENDED))
    entry = LogEntry.objects.get(action="signal_extended")
    assert entry.signal_id == placed.pk and entry.actor_id == professional_user.pk
    assert entry.details["ends_on_before"] == "2028-11-21" and entry.details["ends_on"] == "2030-09-30"
    assert LogEntry.objects.filter(action="signal_placed").count() == 1
    counted = {c.metric: c.count for c in Counter.objects.all()}
    assert counted[Metric.SIGNAL_EXTENDED] == 1 and counted[Metric.SIGNAL_PLACED] == 1


def test_extension_on_the_last_active_day_is_allowed_the_day_after_it_is_refused(placed, professional_user):
    with at(datetime.date(2028, 11, 22)), pytest.raises(ExtensionRefused, match="verlopen op 22 november 2028"):
        signal_extend(signal=placed, actor=professional_user, informing=informed(datetime.date(2028, 11, 22)))
    with at(datetime.date(2028, 11, 21)):
        extended = signal_extend(
            signal=placed, actor=professional_user, informing=informed(datetime.date(2028, 11, 21))
        )
    assert extended.ends_on == datetime.date(2030, 11, 20)


def test_extension_never_runs_past_the_23rd_birthday(organisation, professional_user):
    youth = YouthFactory(birth_date=datetime.date(2006, 3, 15))  # 23 on 15 March 2029
    with at(PLACED):
        signal = signal_place(
            professional=professional_user,
            organisation=organisation,
            youth=youth,
            informing=informed(PLACED, ("youth",)),
        )
    assert signal.ends_on == datetime.date(2028, 11, 21)
    with at(EXTENDED):
        extended = signal_extend(signal=signal, actor=professional_user, informing=informed(EXTENDED, ("youth",)))
    assert extended.ends_on == datetime.date(2029, 3, 14)
    later = datetime.date(2029, 1, 10)
    with at(later), pytest.raises(ExtensionRefused, match="23e verjaardag"):
        signal_extend(signal=extended, actor=professional_user, informing=informed(later, ("youth",)))


def test_an_archived_signal_cannot_be_extended(placed, professional_user):
    with at(datetime.date(2027, 5, 1)):
        signal_end(signal=placed, reason="concern_gone", actor=professional_user)
        with pytest.raises(ExtensionRefused, match="gearchiveerd"):
            signal_extend(signal=placed, actor=professional_user, informing=informed(datetime.date(2027, 5, 1)))
    assert Signal.objects.get().status == SignalStatus.ARCHIVED


def test_someone_elses_signal_cannot_be_extended(placed, colleague):
    with at(EXTENDED), pytest.raises(NotYourSignal):
        signal_extend(signal=placed, actor=colleague, informing=informed(EXTENDED))
    assert Signal.objects.get().ends_on == datetime.date(2028, 11, 21)


def test_extension_asks_for_informing_again(placed, professional_user):
    with at(EXTENDED), pytest.raises(InformingIncomplete, match="Informeer opnieuw"):
        signal_extend(signal=placed, actor=professional_user, informing=informed(PLACED))
    with at(EXTENDED), pytest.raises(InformingIncomplete):
        signal_extend(signal=placed, actor=professional_user, informing={"status": "informed", "whom": ["parents"]})


def test_extension_keeps_the_matches(placed, professional_user, organisation):
    from matching.models import MatchLink

    with at(PLACED):
        other = signal_place(
            professional=professional(organisation),
            organisation=organisation,
            youth=placed.youth,
            informing=informed(PLACED),
        )
    from matching.services import match_detect

    match_detect(signal_id=placed.pk)
    match_detect(signal_id=other.pk)
    links = list(MatchLink.objects.values_list("pk", "signal_a_id", "signal_b_id"))
    assert links
    with at(EXTENDED):
        signal_extend(signal=placed, actor=professional_user, informing=informed(EXTENDED))
    assert list(MatchLink.objects.values_list("pk", "signal_a_id", "signal_b_id")) == links


def test_extend_page_extends_and_says_until_when(placed, professional_user, region):
    url = reverse("signals:extend", args=[placed.pk])
    with at(EXTENDED):
        client = client_for(professional_user, region)
        page = client.get(url)
        assert "30 september 2030" in page.content.decode()
        response = client.post(
            url,
            {
                "status": "informed",
                "whom": ["youth", "parents"],
                "on": "2028-10-01",
                "how": "gesprek",
                "confirmed": "on",
            },
            follow=True,
        )
    assert "actief tot en met 30 september 2030" in response.content.decode()
    assert Signal.objects.get().ends_on == datetime.date(2030, 9, 30)


def test_extend_page_shows_a_refusal_on_the_form_and_loses_nothing(placed, professional_user, region):
    with at(EXTENDED):
        response = client_for(professional_user, region).post(
            reverse("signals:extend", args=[placed.pk]),
            {"status": "informed", "whom": ["parents"], "on": "2028-10-01", "how": "gesprek", "confirmed": "on"},
        )
    assert response.status_code == 200
    assert "ook de jeugdige informeren" in response.content.decode()
    assert response.context["form"]["how"].value() == "gesprek"
    assert Signal.objects.get().extension_count == 0


def test_extend_page_of_someone_elses_signal_is_not_found(placed, colleague, region):
    assert client_for(colleague, region).get(reverse("signals:extend", args=[placed.pk])).status_code == 404


def test_postponed_informing_at_extension_is_allowed_with_a_reason(placed, professional_user):
    with at(EXTENDED):
        extended = signal_extend(
            signal=placed, actor=professional_user, informing={"status": "postponed", "reason": "gevaar"}
        )
    assert extended.informing_status == InformingStatus.POSTPONED and extended.informing_recorded_on == EXTENDED


def test_factory_signal_can_be_extended(organisation, professional_user):
    signal = SignalFactory(professional=professional_user, organisation=organisation)
    today = signal.placed_at.date() + datetime.timedelta(days=400)
    with at(today):
        extended = signal_extend(signal=signal, actor=professional_user, informing=informed(today))
    assert extended.ends_on > signal.ends_on


def test_the_inzage_overview_shows_one_signal_extended_and_the_extension_in_the_logbook(placed, professional_user):
    from rights.models import RightsRequest
    from rights.selectors import youth_overview

    with at(EXTENDED):
        signal_extend(signal=placed, actor=professional_user, informing=informed(EXTENDED))
    overview = youth_overview(rights_request=RightsRequest(youth_pseudonym=placed.youth.pseudonym, signal_ids=[]))
    assert [signal.pk for signal in overview["signals"]] == [placed.pk]
    actions = [entry.action for entry in overview["entries"]]
    assert actions.count("signal_placed") == 1 and actions.count("signal_extended") == 1
