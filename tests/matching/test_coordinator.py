import datetime

import pytest
from django.core import mail
from django.utils import timezone

from matching.exceptions import MatchActionRefused, NoProposalForYou, NotAParticipant, NotCoordinator
from matching.models import Match, MatchParticipation
from matching.services import (
    match_follow_up_record,
    match_handover_accept,
    match_handover_decline,
    match_handover_propose,
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


def _coordinator(youth) -> Match:
    """The one match the youth's signals are in."""
    (match,) = (
        Match.objects.filter(participations__signal__youth=youth)
        .distinct()
        .select_related("coordinator_signal__professional")
    )
    return match


def test_without_rules_the_earliest_active_signal_coordinates(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    later = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(10))
    earliest = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(5))
    assert later.pk < earliest.pk
    assert _coordinator(youth).coordinator_signal == earliest


def test_the_rules_of_the_region_where_the_youth_lives_choose_the_coordinator(brp_youth, place, haaglanden):
    # the youth lives in 's-Gravenhage, served by Haaglanden; the placing organisations are elsewhere
    elsewhere = RegionFactory()
    CoordinatorRule.objects.create(region=elsewhere, position=1, sector=Sector.EDUCATION)
    CoordinatorRule.objects.create(region=haaglanden, position=1, sector=Sector.YOUTH_HEALTH_CARE)
    CoordinatorRule.objects.create(region=haaglanden, position=2, sector=Sector.YOUTH_CARE)
    youth = brp_youth(MAYA)
    place(youth=youth, organisation=_org(elsewhere, Sector.EDUCATION, Subtype.SCHOOL), placed_at=_at(1))
    youth_care = place(youth=youth, organisation=_org(elsewhere), placed_at=_at(2))
    assert _coordinator(youth).coordinator_signal == youth_care  # rule 2 matches, rule 1 has no signal yet
    jgz = place(youth=youth, organisation=_org(elsewhere, Sector.YOUTH_HEALTH_CARE, Subtype.GGD), placed_at=_at(3))
    assert (
        _coordinator(youth).coordinator_signal == jgz
    )  # rule 1 now has a signal: the rules decide over the active signals


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
    assert _coordinator(youth).coordinator_signal == first_gi


def test_a_youth_in_a_municipality_no_region_serves_gets_the_earliest_active_signal(brp_youth, place):
    region = RegionFactory()
    CoordinatorRule.objects.create(region=region, position=1, sector=Sector.EDUCATION)
    youth = brp_youth(MAYA)  # 0518 is not served here (no Municipality row)
    first = place(youth=youth, organisation=_org(region), placed_at=_at(1))
    place(youth=youth, organisation=_org(region, Sector.EDUCATION, Subtype.SCHOOL), placed_at=_at(2))
    assert _coordinator(youth).coordinator_signal == first


def test_archived_signals_never_coordinate(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    second = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    signal_end(signal=first, reason=EndReason.CONCERN_GONE, actor=first.professional)
    assert _coordinator(youth).coordinator_signal == second


def test_hand_over_is_proposed_by_the_coordinator_and_accepted_by_the_other(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    coordinator_signal = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    other = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    third = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(3))
    row = _coordinator(youth)
    mail.outbox.clear()

    with pytest.raises(NotCoordinator):
        match_handover_propose(match=row, actor=other.professional, to_signal_id=third.pk)
    match_handover_propose(match=row, actor=coordinator_signal.professional, to_signal_id=other.pk)
    row.refresh_from_db()
    assert row.proposed_signal == other and row.coordinator_signal == coordinator_signal
    with pytest.raises(NoProposalForYou):
        match_handover_accept(match=row, actor=third.professional)

    match_handover_accept(match=row, actor=other.professional)
    row.refresh_from_db()
    assert row.coordinator_signal == other and row.handed_over and row.proposed_signal is None
    told = {n.recipient_id for n in Notification.objects.filter(kind="match_coordinator_changed")}
    assert told == {coordinator_signal.professional_id, other.professional_id, third.professional_id}


def test_hand_over_only_to_a_participant_with_an_active_signal(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    stranger = place(youth=brp_youth("999970264"), organisation=_org(haaglanden))
    with pytest.raises(NotAParticipant):
        match_handover_propose(match=_coordinator(youth), actor=first.professional, to_signal_id=stranger.pk)


def test_hand_over_may_go_to_a_sibling_signals_professional_in_the_match(brp_youth, place, haaglanden):
    a = place(youth=brp_youth(SIBLING_1), organisation=_org(haaglanden))
    b = place(youth=brp_youth(SIBLING_2), organisation=_org(haaglanden))
    row = _coordinator(a.youth)
    assert row.coordinator_signal == a
    match_handover_propose(match=row, actor=a.professional, to_signal_id=b.pk)
    match_handover_decline(match=row, actor=b.professional)
    row.refresh_from_db()
    assert row.proposed_signal is None and row.coordinator_signal == a


def test_a_handed_over_coordinator_keeps_the_role_when_a_higher_ranked_signal_arrives(brp_youth, place, haaglanden):
    CoordinatorRule.objects.create(region=haaglanden, position=1, sector=Sector.POLICE_AND_JUSTICE)
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    second = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    row = _coordinator(youth)
    match_handover_propose(match=row, actor=first.professional, to_signal_id=second.pk)
    match_handover_accept(match=row, actor=second.professional)
    place(youth=youth, organisation=_org(haaglanden, Sector.POLICE_AND_JUSTICE, Subtype.POLICE), placed_at=_at(3))
    assert _coordinator(youth).coordinator_signal == second


def test_when_the_coordinators_signal_ends_the_role_moves_on_by_the_rules_and_everyone_is_told(
    brp_youth, place, haaglanden, django_capture_on_commit_callbacks
):
    CoordinatorRule.objects.create(region=haaglanden, position=1, sector=Sector.EDUCATION)
    youth = brp_youth(MAYA)
    school = place(youth=youth, organisation=_org(haaglanden, Sector.EDUCATION, Subtype.SCHOOL), placed_at=_at(1))
    earlier_care = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    later_school = place(youth=youth, organisation=_org(haaglanden, Sector.EDUCATION, Subtype.SCHOOL), placed_at=_at(3))
    assert _coordinator(youth).coordinator_signal == school
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        signal_end(signal=school, reason=EndReason.PLACED_WRONGLY, actor=school.professional)  # destroyed at once

    row = _coordinator(youth)
    assert row.coordinator_signal == later_school  # the rule still prefers a school over the earlier youth care signal
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
    assert _coordinator(youth).coordinator_signal is None
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
    assert row.coordinator_signal.professional == colleague


def test_the_coordinator_records_the_follow_up_per_participant_with_dates(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(1))
    second = place(youth=youth, organisation=_org(haaglanden), placed_at=_at(2))
    row = _coordinator(youth)
    today = timezone.localdate()
    with pytest.raises(NotCoordinator):
        match_follow_up_record(match=row, actor=second.professional, contacts={}, coordination_agreed_on=None)
    with pytest.raises(MatchActionRefused, match="vóór het ontstaan van de match"):
        match_follow_up_record(
            match=row,
            actor=first.professional,
            contacts={second.pk: today - datetime.timedelta(days=1)},
            coordination_agreed_on=None,
        )
    with pytest.raises(MatchActionRefused, match="in de toekomst"):
        match_follow_up_record(
            match=row, actor=first.professional, contacts={}, coordination_agreed_on=today + datetime.timedelta(days=1)
        )
    match_follow_up_record(
        match=row, actor=first.professional, contacts={second.pk: today}, coordination_agreed_on=today
    )
    participation = MatchParticipation.objects.get(signal=second)
    assert participation.contact_made_on == today and participation.recorded_by == first.professional
    row.refresh_from_db()
    assert row.coordination_agreed_on == today
