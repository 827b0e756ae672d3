"""Each signal follows its own region's parameters: placed by them, shortened by a lower one, never lengthened."""

import datetime
import importlib

import pytest
from django.test import Client

from audit.models import LogEntry
from matching.detection import match_detect
from matching.models import MatchKind, MatchLink, MatchParticipation
from notifications.models import Notification
from notifications.services import notification_render
from regions import legal
from signals.exceptions import ExtensionRefused, YouthTooOld
from signals.lifecycle import lifecycle_run
from signals.models import EndReason, Signal, SignalStatus
from signals.services import signal_end, signal_extend, signal_place
from tests.accounts.factories import professional
from tests.conftest import host_of
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import informed
from tests.signals.test_lifecycle import at, run

pytestmark = pytest.mark.django_db

PLACED = datetime.date(2026, 11, 22)  # docs/adr/0007-exact-legal-dates.md
TEN = datetime.date(2016, 4, 1)  # ten years old when placed: the youth's 23rd birthday is far away


def _set(region, **parameters):
    for name, value in parameters.items():
        setattr(region, name, value)
    region.save()


def _place(organisation, youth, day=PLACED, placer=None):
    with at(day):
        return signal_place(
            professional=placer or professional(organisation),
            organisation=organisation,
            youth=youth,
            informing=informed(day, ("youth", "parents")),
        )


def test_a_signal_is_placed_for_its_regions_active_period_and_archived_for_its_archive_period(organisation):
    _set(organisation.region, active_years=1, archive_years=3)
    signal = _place(organisation, YouthFactory(birth_date=TEN))
    # what the professional is told at placing, and what is stored: active to 21 Nov 2027, gone on 22 Nov 2030
    assert signal.ends_on == datetime.date(2027, 11, 21)
    assert signal.destroy_by == datetime.date(2030, 11, 22)
    assert LogEntry.objects.get(action="signal_placed").details["ends_on"] == "2027-11-21"

    assert run(datetime.date(2027, 11, 21))["expired"] == 0
    assert run(datetime.date(2027, 11, 22))["expired"] == 1
    signal.refresh_from_db()
    assert (signal.status, signal.archive_until) == (SignalStatus.ARCHIVED, datetime.date(2030, 11, 22))
    assert run(datetime.date(2030, 11, 21))["archive_ended"] == 0
    assert run(datetime.date(2030, 11, 22))["archive_ended"] == 1
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_at_the_legal_maxima_the_exact_legal_dates_hold(organisation):
    signal = _place(organisation, YouthFactory(birth_date=TEN))
    assert (signal.ends_on, signal.destroy_by) == (datetime.date(2028, 11, 21), datetime.date(2033, 11, 22))
    run(datetime.date(2028, 11, 22))
    signal.refresh_from_db()
    assert signal.archive_until == datetime.date(2033, 11, 22)


def test_a_signal_ended_because_the_concern_is_gone_stays_its_regions_archive_years(organisation):
    _set(organisation.region, archive_years=2)
    signal = _place(organisation, YouthFactory(birth_date=TEN))
    with at(datetime.date(2027, 3, 1)):
        ended = signal_end(signal=signal, reason=EndReason.CONCERN_GONE, as_of=datetime.date(2027, 3, 1))
    assert ended.archive_until == datetime.date(2029, 3, 1)


def test_the_regions_maximum_age_refuses_an_older_youth_with_its_own_age_in_the_message(organisation):
    _set(organisation.region, max_age=18)
    eighteen = YouthFactory(birth_date=datetime.date(2008, 11, 22))  # 18 on the day of placing
    with pytest.raises(YouthTooOld) as refused:
        _place(organisation, eighteen)
    assert "18 jaar" in str(refused.value.message) and "23" not in str(refused.value.message)
    assert not Signal.objects.exists()


def test_a_signal_ends_at_its_regions_maximum_age_and_is_destroyed_not_archived(organisation):
    _set(organisation.region, max_age=18)
    youth = YouthFactory(birth_date=datetime.date(2009, 5, 10))  # 17 when placed
    signal = _place(organisation, youth)
    assert signal.ends_on == datetime.date(2027, 5, 9)  # the day before the 18th birthday
    assert run(datetime.date(2027, 4, 11))["reminded"] == 1
    text = notification_render(notification=Notification.objects.get(kind="signal_expiry_reminder")).body
    assert "wordt de jeugdige 18 jaar" in text and "na de 18e verjaardag" in text and "23 jaar" not in text
    assert run(datetime.date(2027, 5, 9))["turned_23"] == 0
    assert run(datetime.date(2027, 5, 10))["turned_23"] == 1
    assert LogEntry.objects.get(action="signal_destroyed", signal_id=signal.pk).details["reason"] == "turned_23"


def test_a_lower_active_period_shortens_a_placed_signal_from_the_next_run_and_the_reminder_follows(organisation):
    signal = _place(organisation, YouthFactory(birth_date=TEN))
    assert signal.ends_on == datetime.date(2028, 11, 21)
    with at(datetime.date(2027, 9, 1)):
        _set(organisation.region, active_years=1)
    signal.refresh_from_db()
    assert signal.ends_on == datetime.date(2028, 11, 21)  # the change itself touches no signal

    assert run(datetime.date(2027, 9, 2))["shortened"] == 1
    signal.refresh_from_db()
    assert signal.ends_on == datetime.date(2027, 11, 21)  # one year from placing
    entry = LogEntry.objects.get(action="signal_period_shortened", signal_id=signal.pk)
    assert (entry.details["ends_on_before"], entry.details["ends_on"]) == ("2028-11-21", "2027-11-21")
    assert run(datetime.date(2027, 9, 3))["shortened"] == 0

    # the reminder comes the region's weeks before the new end, and names it
    assert run(datetime.date(2027, 10, 24))["reminded"] == 1
    reminder = Notification.objects.get(kind="signal_expiry_reminder")
    assert "21-11-2027" in str(reminder.context)
    assert run(datetime.date(2027, 11, 22))["expired"] == 1


def test_a_signal_the_lower_period_has_already_passed_is_archived_in_that_run(organisation):
    signal = _place(organisation, YouthFactory(birth_date=TEN))
    _set(organisation.region, active_years=1)
    counts = run(datetime.date(2028, 2, 1))
    assert (counts["shortened"], counts["expired"]) == (1, 1)
    signal.refresh_from_db()
    # archived the day of the run; its archive period runs from then
    assert (signal.status, signal.ends_on, signal.archive_until) == (
        SignalStatus.ARCHIVED,
        datetime.date(2028, 1, 31),
        datetime.date(2033, 2, 1),
    )


def test_a_higher_period_never_makes_a_signal_last_longer_than_its_professional_was_told(organisation):
    _set(organisation.region, active_years=1, archive_years=3, max_age=18)
    youth = YouthFactory(birth_date=TEN)  # the 18th birthday (2034) comes after the archive period
    signal = _place(organisation, youth)
    _set(organisation.region, active_years=2, archive_years=5, max_age=23)
    assert run(datetime.date(2027, 6, 1))["shortened"] == 0
    signal.refresh_from_db()
    assert signal.ends_on == datetime.date(2027, 11, 21)  # not lengthened to two years
    run(datetime.date(2027, 11, 22))
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ARCHIVED
    assert signal.archive_until == datetime.date(2030, 11, 22)  # three years, as told; not five


def test_a_higher_maximum_age_never_keeps_a_signal_past_the_birthday_it_was_told(organisation):
    _set(organisation.region, max_age=18)
    youth = YouthFactory(birth_date=datetime.date(2009, 5, 10))
    signal = _place(organisation, youth)
    assert signal.destroy_by == datetime.date(2027, 5, 10)
    _set(organisation.region, max_age=23)
    counts = run(datetime.date(2027, 5, 10))
    assert (counts["expired"], counts["archive_ended"]) == (1, 1)  # not kept in the archive past the 18th birthday
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_a_lower_archive_period_shortens_archived_signals_from_the_next_run(organisation):
    early = _place(organisation, YouthFactory(birth_date=TEN))
    late = _place(organisation, YouthFactory(birth_date=TEN), day=datetime.date(2027, 6, 1))
    run(datetime.date(2028, 11, 22))  # `early` archived until 22 Nov 2033
    with at(datetime.date(2029, 1, 15)):
        signal_end(signal=late, reason=EndReason.CONCERN_GONE, as_of=datetime.date(2029, 1, 15))
    _set(organisation.region, archive_years=1)

    counts = run(datetime.date(2029, 6, 2))
    # `early`: one year from its archiving (22 Nov 2028) is still ahead; `late`, archived 15 Jan 2029, too
    assert counts["shortened"] == 2 and counts["archive_ended"] == 0
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.archive_until, late.archive_until) == (datetime.date(2029, 11, 22), datetime.date(2030, 1, 15))
    assert LogEntry.objects.filter(action="signal_period_shortened").count() == 2

    _set(organisation.region, archive_years=0)
    counts = run(datetime.date(2029, 6, 3))
    assert (counts["shortened"], counts["archive_ended"]) == (2, 2)  # past already: destroyed in the same run
    assert not Signal.objects.exists()


def test_an_extension_gets_the_regions_period_of_that_day(organisation):
    placer = professional(organisation)
    signal = _place(organisation, YouthFactory(birth_date=TEN), placer=placer)
    _set(organisation.region, active_years=1, archive_years=2)
    day = datetime.date(2028, 6, 1)
    with at(day):
        extended = signal_extend(signal=signal, actor=placer, informing=informed(day, ("youth", "parents")), as_of=day)
    assert (extended.ends_on, extended.destroy_by) == (datetime.date(2029, 5, 31), datetime.date(2031, 6, 1))


def test_an_extension_past_the_regions_maximum_age_is_refused_with_that_age(organisation):
    _set(organisation.region, max_age=18)
    placer = professional(organisation)
    signal = _place(organisation, YouthFactory(birth_date=datetime.date(2009, 5, 10)), placer=placer)
    day = datetime.date(2027, 1, 10)
    with at(day), pytest.raises(ExtensionRefused) as refused:
        signal_extend(signal=signal, actor=placer, informing=informed(day, ("youth", "parents")), as_of=day)
    assert "18e verjaardag" in str(refused.value.message)


def test_in_a_match_across_regions_each_signal_is_archived_on_its_own_regions_date(region, other_region):
    _set(region, active_years=1, archive_years=3)
    _set(other_region, active_years=2, archive_years=5)
    ours, theirs = OrganisationFactory(region=region), OrganisationFactory(region=other_region)
    youth = YouthFactory(birth_date=TEN)
    short = _place(ours, youth)
    long = _place(theirs, youth)
    with at(PLACED):
        match_detect(signal_id=short.pk)
        match_detect(signal_id=long.pk)
    assert MatchLink.objects.filter(kind=MatchKind.SAME_YOUTH).count() == 1
    assert (short.ends_on, long.ends_on) == (datetime.date(2027, 11, 21), datetime.date(2028, 11, 21))

    run(datetime.date(2027, 11, 22))
    short.refresh_from_db()
    long.refresh_from_db()
    assert (short.status, short.archive_until) == (SignalStatus.ARCHIVED, datetime.date(2030, 11, 22))
    assert long.status == SignalStatus.ACTIVE
    # the archived signal stays in the match as history for the active one
    assert MatchParticipation.objects.filter(signal__in=[short, long]).count() == 2

    run(datetime.date(2028, 11, 22))
    long.refresh_from_db()
    assert (long.status, long.archive_until) == (SignalStatus.ARCHIVED, datetime.date(2033, 11, 22))
    run(datetime.date(2030, 11, 22))
    assert list(Signal.objects.values_list("pk", flat=True)) == [long.pk]


def test_a_lower_period_in_one_region_shortens_only_that_regions_signals(region, other_region):
    ours, theirs = OrganisationFactory(region=region), OrganisationFactory(region=other_region)
    youth = YouthFactory(birth_date=TEN)
    short, long = _place(ours, youth), _place(theirs, youth)
    _set(region, active_years=1)
    assert run(datetime.date(2027, 1, 5))["shortened"] == 1
    short.refresh_from_db()
    long.refresh_from_db()
    assert (short.ends_on, long.ends_on) == (datetime.date(2027, 11, 21), datetime.date(2028, 11, 21))


def test_the_public_page_shows_the_periods_the_regions_signals_follow(organisation):
    _set(organisation.region, max_age=18, active_years=1, archive_years=3)
    page = Client(HTTP_HOST=host_of(organisation.region)).get("/informatie/").content.decode()
    assert "tot 18 jaar" in page and "Hoogstens 1 jaar" in page and "3 jaar" in page
    assert "nooit langer dan de hulpverlener heeft verteld" in page
    signal = _place(organisation, YouthFactory(birth_date=TEN))
    assert (signal.ends_on, signal.destroy_by) == (datetime.date(2027, 11, 21), datetime.date(2030, 11, 22))


def test_the_legal_maximum_caps_a_region_value_set_while_the_law_allowed_more(organisation):
    # a value stored before the law's setting went down (the settings page refuses it now)
    _set(organisation.region, active_years=4)
    signal = _place(organisation, YouthFactory(birth_date=TEN))
    assert signal.ends_on == datetime.date(2028, 11, 21)
    assert lifecycle_run(as_of=datetime.date(2027, 1, 1))["shortened"] == 0


def test_a_lower_legal_maximum_shortens_signals_of_a_region_at_the_old_maximum(organisation, settings):
    signal = _place(organisation, YouthFactory(birth_date=TEN))
    settings.LEGAL_ACTIVE_YEARS = 1
    importlib.reload(legal)
    try:
        assert run(datetime.date(2027, 1, 5))["shortened"] == 1
    finally:
        settings.LEGAL_ACTIVE_YEARS = 2
        importlib.reload(legal)
    signal.refresh_from_db()
    assert signal.ends_on == datetime.date(2027, 11, 21)
