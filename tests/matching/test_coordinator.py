import datetime

import pytest
from django.core import mail
from django.utils import timezone

from matching.exceptions import NoProposalForYou, NotAParticipant, NotCoordinator
from matching.models import MatchCoordinator, MatchFollowUp
from matching.services import (
    match_coordinator_accept,
    match_coordinator_decline,
    match_coordinator_propose,
    match_follow_up_record,
)
from notifications.models import Notification
from regions.models import CoordinatorRule, Sector, Subtype
from signals.models import EndReason, SignalStatus
from signals.services import signal_end
from tests.accounts.factories import professional
from tests.regions.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

MAYA = "999970021"  # lives in 's-Gravenhage (0518)
SIBLING_1, SIBLING_2 = "999970033", "999970045"


def _org(region, sector=Sector.YOUTH_CARE, subtype=Subtype.YOUTH_CARE_PROVIDER, **kwargs):
    return OrganisationFactory(region=region, sector=sector, subtype=subtype, **kwargs)


def _at(minutes: int):
    return timezone.now() - datetime.timedelta(days=1) + datetime.timedelta(minutes=minutes)


def _coordinator(youth):
    return MatchCoordinator.objects.select_related("signal").get(youth=youth)


def test_without_rules_the_earliest_active_signal_coordinates(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    later = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(10))
    earliest = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(5))
    assert later.pk < earliest.pk
    assert _coordinator(youth).signal == earliest


def test_the_rules_of_the_region_where_the_youth_lives_choose_the_coordinator(brp_youth, place, haaglanden):
    # the youth lives in 's-Gravenhage, served by Haaglanden; the placing organisations are elsewhere
    elsewhere = RegionFactory()
    CoordinatorRule.objects.create(region=elsewhere, position=1, sector=Sector.EDUCATION)
    CoordinatorRule.objects.create(region=haaglanden, position=1, sector=Sector.YOUTH_HEALTH_CARE)
    CoordinatorRule.objects.create(region=haaglanden, position=2, sector=Sector.YOUTH_CARE)
    youth = brp_youth(MAYA)
    place(youth=youth, organisation=_org(elsewhere, Sector.EDUCATION, Subtype.SCHOOL), placed_at=_at(1))
    youth_care = place(youth=youth, organisation=_org(elsewhere), placed_at=_at(2))
    assert _coordinator(youth).signal == youth_care  # rule 2 matches, rule 1 has no signal yet
    jgz = place(youth=youth, organisation=_org(elsewhere, Sector.YOUTH_HEALTH_CARE, Subtype.GGD), placed_at=_at(3))
    assert _coordinator(youth).signal == jgz  # rule 1 now has a signal: the rules decide over the active signals


def test_a_rule_with_a_subtype_needs_that_subtype_and_ties_go_to_the_earliest(brp_youth, place, haaglanden):
    CoordinatorRule.objects.create(
        region=haaglanden, position=1, sector=Sector.YOUTH_CARE, subtype=Subtype.CERTIFIED_INSTITUTION
    )
    youth = brp_youth(MAYA)
    place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    first_gi = place(
        youth=youth, organisation=_org(haaglanden, subtype=Subtype.CERTIFIED_INSTITUTION), placed_at=_at(2)
    )
    place(youth=youth, organisation=_org(haaglanden, subtype=Subtype.CERTIFIED_INSTITUTION), placed_at=_at(3))
    assert _coordinator(youth).signal == first_gi


def test_a_youth_in_a_municipality_no_region_serves_gets_the_earliest_active_signal(brp_youth, place):
    region = RegionFactory()
    CoordinatorRule.objects.create(region=region, position=1, sector=Sector.EDUCATION)
    youth = brp_youth(MAYA)  # 0518 is not served here (no Municipality row)
    first = place(youth=youth, organisation=_org(region), placed_at=_at(1))
    place(youth=youth, organisation=_org(region, Sector.EDUCATION, Subtype.SCHOOL), placed_at=_at(2))
    assert _coordinator(youth).signal == first


def test_archived_signals_never_coordinate(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    second = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    signal_end(signal=first, reason=EndReason.CONCERN_GONE, actor=first.professional)
    assert _coordinator(youth).signal == second


def test_hand_over_is_proposed_by_the_coordinator_and_accepted_by_the_other(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    coordinator_signal = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    other = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    third = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(3))
    row = _coordinator(youth)
    mail.outbox.clear()

    with pytest.raises(NotCoordinator):
        match_coordinator_propose(coordinator=row, actor=other.professional, to_signal=third)
    match_coordinator_propose(coordinator=row, actor=coordinator_signal.professional, to_signal=other)
    row.refresh_from_db()
    assert row.proposed_signal == other and row.signal == coordinator_signal
    with pytest.raises(NoProposalForYou):
        match_coordinator_accept(coordinator=row, actor=third.professional)

    match_coordinator_accept(coordinator=row, actor=other.professional)
    row.refresh_from_db()
    assert row.signal == other and row.handed_over and row.proposed_signal is None
    told = {n.recipient_id for n in Notification.objects.filter(kind="match_coordinator_changed")}
    assert told == {coordinator_signal.professional_id, other.professional_id, third.professional_id}


def test_hand_over_only_to_a_participant_with_an_active_signal(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    stranger = place(youth=brp_youth("999970264"), organisation=_org(haaglanden))
    with pytest.raises(NotAParticipant):
        match_coordinator_propose(coordinator=_coordinator(youth), actor=first.professional, to_signal=stranger)


def test_hand_over_may_go_to_a_sibling_signals_professional_in_the_match(brp_youth, place, haaglanden):
    a = place(youth=brp_youth(SIBLING_1), organisation=_org(haaglanden))
    b = place(youth=brp_youth(SIBLING_2), organisation=_org(haaglanden))
    row = _coordinator(a.youth)
    assert row.signal == a
    match_coordinator_propose(coordinator=row, actor=a.professional, to_signal=b)
    match_coordinator_decline(coordinator=row, actor=b.professional)
    row.refresh_from_db()
    assert row.proposed_signal is None and row.signal == a


def test_a_handed_over_coordinator_keeps_the_role_when_a_higher_ranked_signal_arrives(brp_youth, place, haaglanden):
    CoordinatorRule.objects.create(region=haaglanden, position=1, sector=Sector.POLICE_AND_JUSTICE)
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    second = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    row = _coordinator(youth)
    match_coordinator_propose(coordinator=row, actor=first.professional, to_signal=second)
    match_coordinator_accept(coordinator=row, actor=second.professional)
    place(youth=youth, organisation=_org(haaglanden, Sector.POLICE_AND_JUSTICE, Subtype.POLICE), placed_at=_at(3))
    assert _coordinator(youth).signal == second


def test_when_the_coordinators_signal_ends_the_role_moves_on_by_the_rules_and_everyone_is_told(
    brp_youth, place, haaglanden, django_capture_on_commit_callbacks
):
    CoordinatorRule.objects.create(region=haaglanden, position=1, sector=Sector.EDUCATION)
    youth = brp_youth(MAYA)
    school = place(youth=youth, organisation=_org(haaglanden, Sector.EDUCATION, Subtype.SCHOOL), placed_at=_at(1))
    earlier_care = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    later_school = place(youth=youth, organisation=_org(haaglanden, Sector.EDUCATION, Subtype.SCHOOL), placed_at=_at(3))
    assert _coordinator(youth).signal == school
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        signal_end(signal=school, reason=EndReason.PLACED_WRONGLY, actor=school.professional)  # destroyed at once

    row = _coordinator(youth)
    assert row.signal == later_school  # the rule still prefers a school over the earlier youth care signal
    told = {n.recipient_id for n in Notification.objects.filter(kind="match_coordinator_changed")}
    assert told == {earlier_care.professional_id, later_school.professional_id}
    new_coordinator_mail = [m for m in mail.outbox if m.to == [later_school.professional.email]][0]
    assert "U bent nu de matchregisseur" in new_coordinator_mail.body
    other_mail = [m for m in mail.outbox if m.to == [earlier_care.professional.email]][0]
    assert later_school.contact_name in other_mail.body


def test_when_the_last_active_signal_ends_there_is_no_coordinator(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    second = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    signal_end(signal=first, reason=EndReason.CONCERN_GONE, actor=first.professional)
    signal_end(signal=second, reason=EndReason.CONCERN_GONE, actor=second.professional)
    assert _coordinator(youth).signal is None
    assert youth.signals.filter(status=SignalStatus.ARCHIVED).count() == 2


def test_a_transferred_coordinator_signal_takes_the_role_to_the_colleague(brp_youth, place, haaglanden):
    from signals.services import signal_transfer

    organisation = _org(haaglanden)
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=organisation, placed_at=_at(1))
    place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    colleague = professional(organisation)
    signal_transfer(signal=first, to_professional=colleague, actor=first.professional)
    row = _coordinator(youth)
    assert row.signal.professional == colleague


def test_the_coordinator_records_the_follow_up_with_dates(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    second = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    row = _coordinator(youth)
    with pytest.raises(NotCoordinator):
        match_follow_up_record(
            coordinator=row,
            actor=second.professional,
            contact_made_on=datetime.date(2026, 3, 1),
            coordination_agreed_on=None,
        )
    match_follow_up_record(
        coordinator=row,
        actor=first.professional,
        contact_made_on=datetime.date(2026, 3, 1),
        coordination_agreed_on=datetime.date(2026, 3, 8),
    )
    follow_up = MatchFollowUp.objects.get(youth=youth)
    assert follow_up.contact_made_on == datetime.date(2026, 3, 1)
    assert follow_up.coordination_agreed_on == datetime.date(2026, 3, 8)
    assert follow_up.recorded_by == first.professional
