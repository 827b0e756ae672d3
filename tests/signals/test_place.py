"""Placing a signal: every refusal with its own message, the planned end, and informing by age."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError

from audit.models import LogEntry
from signals import hooks
from signals.exceptions import (
    ConvenantNotStarted,
    InformingIncomplete,
    NotAProfessional,
    OrganisationInactive,
    SignalAlreadyActive,
    YouthDeceased,
    YouthTooOld,
)
from signals.models import Signal, SignalStatus
from signals.rules import Party, parties_to_inform
from signals.services import signal_place
from tests.accounts.factories import organisation_coordinator, professional
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import SignalFactory, informed

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def place(user, organisation, youth, informing=None, as_of=TODAY):
    return signal_place(
        professional=user,
        organisation=organisation,
        youth=youth,
        informing=informing or informed(as_of, whom=("youth", "parents")),
        as_of=as_of,
    )


def test_signal_is_active_for_two_years_and_logged(professional_user, organisation):
    youth = YouthFactory(birth_date=datetime.date(2015, 6, 1))
    signal = place(professional_user, organisation, youth)
    assert signal.status == SignalStatus.ACTIVE
    assert signal.ends_on == datetime.date(2028, 3, 1)  # the day before the second anniversary
    assert signal.contact_email == professional_user.email
    entry = LogEntry.objects.get(action="signal_placed")
    assert (entry.signal_id, entry.youth_pseudonym, entry.actor_id) == (
        signal.pk,
        youth.pseudonym,
        professional_user.pk,
    )


def test_planned_end_is_the_day_before_the_23rd_birthday_when_that_comes_first(professional_user, organisation):
    youth = YouthFactory(birth_date=datetime.date(2004, 5, 10))
    signal = place(professional_user, organisation, youth, informed(TODAY, whom=("youth",)))
    assert signal.ends_on == datetime.date(2027, 5, 9)


def test_youth_of_23_is_refused_on_the_birthday_but_not_the_day_before(professional_user, organisation):
    youth = YouthFactory(birth_date=datetime.date(2003, 3, 2))
    with pytest.raises(YouthTooOld) as refusal:
        place(professional_user, organisation, youth, informed(TODAY, whom=("youth",)))
    assert "23 jaar" in str(refusal.value.message)
    day_before = TODAY - datetime.timedelta(days=1)
    assert place(professional_user, organisation, youth, informed(day_before, whom=("youth",)), as_of=day_before).pk


def test_youth_with_partial_date_of_birth_counts_from_the_earliest_possible_date(professional_user, organisation):
    # born "some day in 2003": 1 January 2003 is the earliest, so 23 on 1 January 2026
    youth = YouthFactory(birth_date_brp="20030000", birth_date=datetime.date(2003, 1, 1))
    with pytest.raises(YouthTooOld):
        place(professional_user, organisation, youth, informed(TODAY, whom=("youth",)))


def test_deceased_youth_is_refused(professional_user, organisation):
    youth = YouthFactory(date_of_death=datetime.date(2025, 1, 1))
    with pytest.raises(YouthDeceased):
        place(professional_user, organisation, youth)


def test_second_active_signal_by_same_professional_is_refused_with_a_clear_message(professional_user, organisation):
    youth = YouthFactory()
    place(professional_user, organisation, youth)
    with pytest.raises(SignalAlreadyActive) as refusal:
        place(professional_user, organisation, youth)
    assert "al een actief signaal" in str(refusal.value.message)
    assert Signal.objects.count() == 1


def test_database_refuses_two_active_signals_of_one_professional_on_one_youth(professional_user, organisation):
    youth = YouthFactory()
    SignalFactory(youth=youth, professional=professional_user, organisation=organisation)
    with pytest.raises(IntegrityError, match="one_active_signal_per_professional_and_youth"):
        SignalFactory(youth=youth, professional=professional_user, organisation=organisation)


def test_new_signal_allowed_when_own_earlier_signal_is_archived(professional_user, organisation):
    youth = YouthFactory()
    SignalFactory(youth=youth, professional=professional_user, organisation=organisation, status=SignalStatus.ARCHIVED)
    assert place(professional_user, organisation, youth).status == SignalStatus.ACTIVE


def test_colleague_may_signal_the_same_youth(professional_user, organisation, colleague):
    youth = YouthFactory()
    place(professional_user, organisation, youth)
    assert place(colleague, organisation, youth).pk


def test_inactive_organisation_is_refused(region):
    organisation = OrganisationFactory(region=region, active=False)
    with pytest.raises(OrganisationInactive):
        place(professional(organisation), organisation, YouthFactory())


@pytest.mark.parametrize("convenant_date", [None, datetime.date(2026, 3, 3)])
def test_organisation_whose_convenant_has_not_started_is_refused(region, convenant_date):
    organisation = OrganisationFactory(region=region, convenant_date=convenant_date)
    with pytest.raises(ConvenantNotStarted):
        place(professional(organisation), organisation, YouthFactory())


def test_convenant_starting_today_allows_signals(region):
    organisation = OrganisationFactory(region=region, convenant_date=TODAY)
    assert place(professional(organisation), organisation, YouthFactory()).pk


def test_user_who_is_not_a_professional_of_the_organisation_is_refused(organisation, region):
    other = OrganisationFactory(region=region)
    for user in (organisation_coordinator(organisation), professional(other)):
        with pytest.raises(NotAProfessional):
            place(user, organisation, YouthFactory())


def test_inactive_membership_cannot_place(organisation):
    user = professional(organisation)
    user.memberships.update(active=False)
    with pytest.raises(NotAProfessional):
        place(user, organisation, YouthFactory())


@pytest.mark.parametrize(
    ("birth_date", "parties"),
    [
        (datetime.date(2014, 3, 3), (Party.PARENTS,)),  # 11, turns 12 tomorrow
        (datetime.date(2014, 3, 2), (Party.YOUTH, Party.PARENTS)),  # 12 today
        (datetime.date(2010, 3, 3), (Party.YOUTH, Party.PARENTS)),  # 15
        (datetime.date(2010, 3, 2), (Party.YOUTH,)),  # 16 today
    ],
)
def test_whom_to_inform_depends_on_age_on_the_day_of_placement(birth_date, parties):
    from signals.rules import age_on

    assert parties_to_inform(age_on(birth_date, TODAY)) == parties


def test_informing_must_reach_everyone_the_age_requires(professional_user, organisation):
    youth = YouthFactory(birth_date=datetime.date(2012, 1, 1))  # 14: youth and parents
    with pytest.raises(InformingIncomplete) as refusal:
        place(professional_user, organisation, youth, informed(TODAY, whom=("parents",)))
    assert "de jeugdige" in str(refusal.value.message)


def test_informing_needs_when_and_how(professional_user, organisation):
    youth = YouthFactory()
    with pytest.raises(InformingIncomplete):
        place(professional_user, organisation, youth, {"status": "informed", "whom": ["parents"], "how": "brief"})
    with pytest.raises(InformingIncomplete):
        place(professional_user, organisation, youth, {"status": "informed", "whom": ["parents"], "on": TODAY})
    future = TODAY + datetime.timedelta(days=1)
    with pytest.raises(InformingIncomplete):
        place(professional_user, organisation, youth, informed(future, whom=("parents",)))


@pytest.mark.parametrize("status", ["postponed", "omitted"])
def test_postponed_or_omitted_informing_requires_a_reason(professional_user, organisation, status):
    youth = YouthFactory()
    with pytest.raises(InformingIncomplete):
        place(professional_user, organisation, youth, {"status": status, "reason": "  "})
    signal = place(professional_user, organisation, youth, {"status": status, "reason": "gevaar voor de jeugdige"})
    assert (signal.informing_status, signal.informing_reason) == (status, "gevaar voor de jeugdige")


def test_objection_requires_the_reason_to_go_ahead(professional_user, organisation):
    youth = YouthFactory()
    informing = informed(TODAY, whom=("parents",)) | {"objection_voiced": True}
    with pytest.raises(InformingIncomplete):
        place(professional_user, organisation, youth, informing)
    signal = place(professional_user, organisation, youth, informing | {"objection_override_reason": "veiligheid"})
    assert signal.objection_voiced and signal.objection_override_reason == "veiligheid"


def test_placed_hooks_run_inside_the_transaction(professional_user, organisation, monkeypatch):
    monkeypatch.setattr(hooks.placed, "_handlers", [])
    seen = []
    hooks.register_signal_placed(lambda signal: seen.append(Signal.objects.filter(pk=signal.pk).exists()))
    place(professional_user, organisation, YouthFactory())
    assert seen == [True]


def test_failing_placed_hook_leaves_no_signal(professional_user, organisation, monkeypatch):
    monkeypatch.setattr(hooks.placed, "_handlers", [])

    def broken(signal):
        raise RuntimeError("matching down")

    hooks.register_signal_placed(broken)
    with pytest.raises(RuntimeError):
        place(professional_user, organisation, YouthFactory())
    assert not Signal.objects.exists()
    assert not LogEntry.objects.filter(action="signal_placed").exists()


def test_placing_without_as_of_uses_today(professional_user, organisation):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        signal = signal_place(
            professional=professional_user,
            organisation=organisation,
            youth=YouthFactory(),
            informing=informed(TODAY, whom=("parents",)),
        )
    assert signal.ends_on == datetime.date(2028, 3, 1)  # the day before the second anniversary


def test_a_placement_that_loses_the_race_to_the_database_gets_the_same_message_and_leaves_nothing(
    professional_user, organisation, monkeypatch
):
    """Two placements at the same moment both pass the check; the unique index refuses the second insert."""
    from signals import services

    youth = YouthFactory()
    place(professional_user, organisation, youth)
    logged = LogEntry.objects.count()
    monkeypatch.setattr(services, "signal_place_check", lambda **kwargs: None)  # the check ran before the other commit
    with pytest.raises(SignalAlreadyActive):
        place(professional_user, organisation, youth)
    # the transaction is usable again, and the refused placement wrote nothing
    assert Signal.objects.filter(youth=youth).count() == 1
    assert LogEntry.objects.count() == logged
