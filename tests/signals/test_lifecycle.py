"""The life of a signal over the years: reminded, expired to the archive, shown once, destroyed."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from audit.models import LogEntry
from notifications.models import Notification
from notifications.services import notification_render
from persons.models import Youth
from signals.lifecycle import lifecycle_run, youth_died
from signals.models import EndReason, Signal, SignalStatus
from signals.services import signal_archive_show, signal_place
from tests.accounts.factories import professional
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory, informed

pytestmark = pytest.mark.django_db


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(3), tzinfo=datetime.UTC), tick=False)


def run(day: datetime.date) -> dict:
    with at(day):
        return lifecycle_run(as_of=day)


def test_whole_life_placed_reminded_expired_archived_shown_once_destroyed(organisation, colleague):
    placer = professional(organisation)
    youth = YouthFactory(birth_date=datetime.date(2016, 4, 1))
    placed_on = datetime.date(2026, 1, 15)
    with at(placed_on):
        signal = signal_place(
            professional=placer, organisation=organisation, youth=youth, informing=informed(placed_on, ("parents",))
        )
    assert signal.ends_on == datetime.date(2028, 1, 14)

    # reminder 4 weeks (the region's setting) before the last active day, once
    assert run(datetime.date(2027, 12, 16))["reminded"] == 0
    assert run(datetime.date(2027, 12, 17))["reminded"] == 1
    assert run(datetime.date(2027, 12, 17))["reminded"] == 0
    assert run(datetime.date(2027, 12, 18))["reminded"] == 0
    reminder = Notification.objects.get(kind="signal_expiry_reminder")
    assert reminder.recipient_id == placer.pk
    assert signal.reference in reminder.subject

    # still active on its last day (the day before the second anniversary), archived on the anniversary
    assert run(datetime.date(2028, 1, 14))["expired"] == 0
    assert run(datetime.date(2028, 1, 15))["expired"] == 1
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ARCHIVED and signal.end_reason == EndReason.EXPIRED
    assert signal.archive_until == datetime.date(2033, 1, 15)
    assert LogEntry.objects.filter(action="signal_expired", signal_id=signal.pk).exists()

    # a later signaller sees the archive once; the showing is logged
    later_on = datetime.date(2029, 6, 1)
    with at(later_on):
        later = signal_place(
            professional=colleague,
            organisation=organisation,
            youth=youth,
            informing=informed(later_on, ("youth", "parents")),
        )
        assert [entry.pk for entry in signal_archive_show(signal=later)] == [signal.pk]
        assert signal_archive_show(signal=later) == []
    shown = LogEntry.objects.get(action="signal_archive_shown")
    assert shown.details["shown_signal_ids"] == [signal.pk] and shown.signal_id == later.pk

    # destroyed when the 5 years in the archive are over, not a day earlier
    assert run(datetime.date(2033, 1, 14))["archive_ended"] == 0
    assert run(datetime.date(2033, 1, 15))["archive_ended"] == 1
    assert not Signal.objects.filter(pk=signal.pk).exists()
    assert Youth.objects.filter(pk=youth.pk).exists()  # the later signal still refers to the youth
    assert LogEntry.objects.get(action="signal_destroyed", signal_id=signal.pk).details["reason"] == "archive_ended"


def test_running_a_day_twice_changes_nothing(organisation):
    day = datetime.date(2027, 6, 1)
    SignalFactory(organisation=organisation, ends_on=day - datetime.timedelta(days=1))
    SignalFactory(organisation=organisation, ends_on=day + datetime.timedelta(days=3))
    SignalFactory(organisation=organisation, status=SignalStatus.ARCHIVED, archive_until=day)
    # placed for two years; the region has lowered its active period to one year since
    SignalFactory(
        organisation=organisation,
        placed_at=datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC),
        ends_on=datetime.date(2028, 8, 31),
    )
    organisation.region.active_years = 1
    organisation.region.save()
    first = run(day)
    assert first == {
        "died": 0,
        "turned_23": 0,
        "shortened": 1,
        "archive_ended": 1,
        "expired": 1,
        "unborn_ended": 0,
        "unborn_overdue": 0,
        "reminded": 1,
        "unused_youths": 0,
    }
    entries, notifications = LogEntry.objects.count(), Notification.objects.count()
    states = list(Signal.objects.order_by("pk").values_list("status", "archive_until", "reminder_sent_at"))
    assert set(run(day).values()) == {0}
    assert (LogEntry.objects.count(), Notification.objects.count()) == (entries, notifications)
    assert list(Signal.objects.order_by("pk").values_list("status", "archive_until", "reminder_sent_at")) == states


def test_reminder_weeks_is_the_setting_of_the_organisations_region(organisation):
    organisation.region.reminder_weeks = 2
    organisation.region.save()
    day = datetime.date(2027, 6, 1)
    SignalFactory(organisation=organisation, ends_on=day + datetime.timedelta(weeks=2, days=1))
    assert run(day)["reminded"] == 0
    assert run(day + datetime.timedelta(days=1))["reminded"] == 1


def test_active_and_archived_signals_are_destroyed_on_the_23rd_birthday(organisation):
    youth = YouthFactory(birth_date=datetime.date(2005, 9, 10))
    SignalFactory(youth=youth, organisation=organisation, ends_on=datetime.date(2028, 9, 9))
    SignalFactory(
        youth=youth, organisation=organisation, status=SignalStatus.ARCHIVED, archive_until=datetime.date(2028, 9, 10)
    )
    assert run(datetime.date(2028, 9, 9))["turned_23"] == 0
    assert Signal.objects.filter(youth=youth, status=SignalStatus.ACTIVE).exists()
    assert run(datetime.date(2028, 9, 10))["turned_23"] == 2
    assert not Youth.objects.filter(pk=youth.pk).exists()
    reasons = set(LogEntry.objects.filter(action="signal_destroyed").values_list("details__reason", flat=True))
    assert reasons == {"turned_23"}


def test_youth_with_partial_date_of_birth_is_destroyed_on_the_earliest_possible_23rd_birthday(organisation):
    # the BRP knows only the year: "20050000" -> earliest possible date 1 January 2005
    youth = YouthFactory(birth_date_brp="20050000", birth_date=datetime.date(2005, 1, 1))
    SignalFactory(youth=youth, organisation=organisation, ends_on=datetime.date(2027, 12, 31))
    assert run(datetime.date(2027, 12, 31))["turned_23"] == 0
    assert run(datetime.date(2028, 1, 1))["turned_23"] == 1
    assert not Youth.objects.filter(pk=youth.pk).exists()


def test_youth_born_on_29_february_turns_23_on_28_february_in_a_common_year(organisation):
    youth = YouthFactory(birth_date=datetime.date(2004, 2, 29))
    SignalFactory(youth=youth, organisation=organisation, ends_on=datetime.date(2027, 2, 27))
    assert run(datetime.date(2027, 2, 27))["turned_23"] == 0
    assert run(datetime.date(2027, 2, 28))["turned_23"] == 1


def test_signals_of_a_deceased_youth_are_destroyed_active_and_archived(organisation):
    youth = YouthFactory()
    SignalFactory(youth=youth, organisation=organisation)
    SignalFactory(youth=youth, organisation=organisation, status=SignalStatus.ARCHIVED)
    Youth.objects.filter(pk=youth.pk).update(date_of_death=datetime.date(2026, 5, 1))
    assert run(datetime.date(2026, 5, 2))["died"] == 2
    assert not Youth.objects.filter(pk=youth.pk).exists()
    assert set(LogEntry.objects.filter(action="signal_destroyed").values_list("details__reason", flat=True)) == {"died"}


def test_a_reported_death_destroys_the_youths_signals_at_once(organisation):
    youth = YouthFactory()
    SignalFactory.create_batch(2, youth=youth, organisation=organisation)
    assert youth_died(youth_id=youth.pk) == 2
    assert not Signal.objects.exists()


def test_batches_cover_every_due_signal(organisation):
    day = datetime.date(2027, 6, 1)
    SignalFactory.create_batch(7, organisation=organisation, ends_on=day - datetime.timedelta(days=1))
    with at(day):
        assert lifecycle_run(as_of=day, batch_size=3)["expired"] == 7
    assert not Signal.objects.filter(status=SignalStatus.ACTIVE).exists()


def test_management_command_runs_the_life_cycle_for_a_given_day(organisation, capsys):
    SignalFactory(organisation=organisation, ends_on=datetime.date(2027, 5, 31))
    call_command("run_lifecycle", "--as-of", "2027-06-01")
    assert "expired=1" in capsys.readouterr().out
    assert Signal.objects.get().status == SignalStatus.ARCHIVED


def test_youth_looked_up_but_never_signalled_is_destroyed_a_day_later(organisation):
    looked_up = datetime.date(2027, 6, 1)
    with at(looked_up):
        abandoned = YouthFactory()
        kept = YouthFactory()
        SignalFactory(youth=kept, organisation=organisation)
    assert run(looked_up + datetime.timedelta(days=1))["unused_youths"] == 0
    assert run(looked_up + datetime.timedelta(days=2))["unused_youths"] == 1
    assert not Youth.objects.filter(pk=abandoned.pk).exists()
    assert Youth.objects.filter(pk=kept.pk).exists()


def test_expired_signals_of_one_batch_are_counted_for_the_statistics(organisation):
    from reports.models import Counter, Metric

    day = datetime.date(2027, 6, 1)
    SignalFactory.create_batch(3, organisation=organisation, ends_on=day - datetime.timedelta(days=1))
    run(day)
    counter = Counter.objects.get(metric=Metric.SIGNAL_EXPIRED)
    assert counter.count == 3


def _lifecycle_command(day: str, capsys) -> str:
    with at(datetime.date.fromisoformat(day)):
        call_command("run_lifecycle", "--as-of", day)
    return capsys.readouterr().out


def test_placed_22_november_2026_active_until_21_november_2028_archived_22nd_destroyed_22_november_2033(
    organisation, capsys
):
    youth = YouthFactory(birth_date=datetime.date(2015, 3, 1))
    with at(datetime.date(2026, 11, 22)):
        signal = signal_place(
            professional=professional(organisation),
            organisation=organisation,
            youth=youth,
            informing=informed(datetime.date(2026, 11, 22), ("youth", "parents")),
        )
    assert signal.ends_on == datetime.date(2028, 11, 21)

    assert "expired=0" in _lifecycle_command("2028-11-21", capsys)
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.ACTIVE
    assert "expired=1" in _lifecycle_command("2028-11-22", capsys)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ARCHIVED
    assert signal.archive_until == datetime.date(2033, 11, 22)

    assert "archive_ended=0" in _lifecycle_command("2033-11-21", capsys)
    assert Signal.objects.filter(pk=signal.pk).exists()
    assert "archive_ended=1" in _lifecycle_command("2033-11-22", capsys)
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_a_late_run_archives_from_the_day_after_the_last_active_day(organisation, capsys):
    signal = SignalFactory(organisation=organisation, ends_on=datetime.date(2028, 11, 21))
    assert "expired=1" in _lifecycle_command("2028-11-25", capsys)
    signal.refresh_from_db()
    assert signal.archive_until == datetime.date(2033, 11, 22)


def test_archive_of_a_youth_turning_23_first_is_destroyed_on_the_birthday(organisation, capsys):
    youth = YouthFactory(birth_date=datetime.date(2010, 6, 30))
    with at(datetime.date(2026, 11, 22)):
        signal = signal_place(
            professional=professional(organisation),
            organisation=organisation,
            youth=youth,
            informing=informed(datetime.date(2026, 11, 22), ("youth",)),
        )
    assert "expired=1" in _lifecycle_command("2028-11-22", capsys)
    signal.refresh_from_db()
    assert signal.archive_until == datetime.date(2033, 6, 30)
    assert "turned_23=0" in _lifecycle_command("2033-06-29", capsys)
    assert "turned_23=1" in _lifecycle_command("2033-06-30", capsys)
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_signal_of_a_youth_turning_23_within_two_years_is_active_until_the_day_before_and_then_destroyed(
    organisation, capsys
):
    youth = YouthFactory(birth_date=datetime.date(2004, 2, 10))
    with at(datetime.date(2026, 11, 22)):
        signal = signal_place(
            professional=professional(organisation),
            organisation=organisation,
            youth=youth,
            informing=informed(datetime.date(2026, 11, 22), ("youth",)),
        )
    assert signal.ends_on == datetime.date(2027, 2, 9)
    out = _lifecycle_command("2027-02-09", capsys)
    assert "turned_23=0" in out and "expired=0" in out
    out = _lifecycle_command("2027-02-10", capsys)
    assert "turned_23=1" in out and "expired=0" in out
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_reminder_before_the_23rd_birthday_says_the_signal_will_be_destroyed_not_archived(organisation):
    about_to_turn_23 = YouthFactory(birth_date=datetime.date(2004, 7, 1))
    SignalFactory(youth=about_to_turn_23, organisation=organisation, ends_on=datetime.date(2027, 6, 30))
    ordinary = SignalFactory(organisation=organisation, ends_on=datetime.date(2027, 6, 30))
    run(datetime.date(2027, 6, 10))
    reminders = {n.recipient_id: n for n in Notification.objects.filter(kind="signal_expiry_reminder")}
    assert len(reminders) == 2
    ordinary_text = notification_render(notification=reminders.pop(ordinary.professional_id)).body
    (turning_23_text,) = (notification_render(notification=n).body for n in reminders.values())
    assert "vernietigd" in turning_23_text and "archief" not in turning_23_text
    assert "archief" in ordinary_text and "vernietigd" not in ordinary_text
    assert "Verleng" in ordinary_text
