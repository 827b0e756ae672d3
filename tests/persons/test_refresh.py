"""The nightly BRP refresh of youths that still have signals: moves, deaths, new parents and addresses as events."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from persons.bsn import bsn_pseudonym
from persons.events import register_youth_change_handler, unregister_youth_change_handler
from persons.models import Youth
from persons.services import youth_by_bsn, youths_refresh
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory

AS_OF = datetime.date(2026, 11, 23)


@pytest.fixture
def changes():
    seen = []
    register_youth_change_handler(seen.append)
    yield seen
    unregister_youth_change_handler(seen.append)


def _signalled(bsn: str) -> Youth:
    youth = youth_by_bsn(bsn=bsn)
    SignalFactory(youth=youth)
    return youth


def test_refresh_records_a_move_a_new_address_and_new_parents(brp, changes):
    youth = _signalled("999970033")
    # as the BRP said before: another municipality and dwelling, one parent
    one_parent = [bsn_pseudonym("999999126")]
    Youth.objects.filter(pk=youth.pk).update(
        municipality_code="0344", street="Oudegracht", bag_pseudonym="oud", parent_pseudonyms=one_parent
    )
    result = youths_refresh(as_of=AS_OF)
    assert (result.checked, result.changed, result.moved, result.address_changed, result.parents_changed) == (
        1,
        1,
        1,
        1,
        1,
    )
    [change] = changes
    assert (change.youth_id, change.old_municipality_code, change.new_municipality_code) == (youth.pk, "0344", "0518")
    assert change.moved and change.address_changed and change.parents_changed and not change.died
    assert change.as_of == AS_OF
    youth.refresh_from_db()
    assert youth.street == "Turfmarkt" and len(youth.parent_pseudonyms) == 2


def test_a_second_refresh_finds_nothing_new(brp, changes):
    _signalled("999970033")
    youths_refresh(as_of=AS_OF)
    assert youths_refresh(as_of=AS_OF).changed == 0
    assert changes == []


def test_refresh_records_a_death(brp, changes):
    # stored while alive; the BRP now has the person deceased
    youth = YouthFactory(bsn="999970239", date_of_death=None)
    SignalFactory(youth=youth)
    result = youths_refresh(as_of=AS_OF)
    assert result.died == 1
    [change] = changes
    assert change.youth_id == youth.pk and change.died_on is not None


def test_youths_without_signals_are_not_refreshed(brp, changes):
    youth = youth_by_bsn(bsn="999970033")
    Youth.objects.filter(pk=youth.pk).update(municipality_code="0344")
    assert youths_refresh(as_of=AS_OF).checked == 0
    assert changes == []


def test_a_failing_handler_keeps_that_youths_change_for_the_next_run_and_the_others_go_on(brp, changes):
    first, second = _signalled("999970033"), _signalled("999970045")
    Youth.objects.filter(pk__in=[first.pk, second.pk]).update(municipality_code="0344")

    def failing(change):
        if change.youth_id == first.pk:
            raise RuntimeError("handler broke")

    register_youth_change_handler(failing)
    try:
        result = youths_refresh(as_of=AS_OF, batch_size=1)
    finally:
        unregister_youth_change_handler(failing)
    assert (result.failed, result.moved) == (1, 1)
    assert Youth.objects.get(pk=first.pk).municipality_code == "0344"
    assert Youth.objects.get(pk=second.pk).municipality_code == "0518"
    assert youths_refresh(as_of=AS_OF).moved == 1


def test_refresh_command_stops_clearly_when_the_brp_is_down(db, settings):
    settings.BRP_CLIENT = "haal_centraal"
    settings.BRP_BASE_URL = "http://127.0.0.1:9/brp"
    settings.BRP_TIMEOUT = 0.3
    SignalFactory()
    with pytest.raises(CommandError, match="BRP"):
        call_command("refresh_youths", "--as-of", "2026-11-23")


def test_refresh_command_reports_what_it_found(brp, capsys):
    _signalled("999970033")
    call_command("refresh_youths", "--as-of", "2026-11-23")
    assert "1 youths checked, 0 changed" in capsys.readouterr().out


def test_refresh_runs_nightly_from_the_beat_schedule():
    from verwijsindex.celery import app

    assert any(entry["task"] == "persons.youths_refresh" for entry in app.conf.beat_schedule.values())
