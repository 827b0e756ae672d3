"""Cover (waarneming, issue 19) in matching: while a colleague covers for an absent professional, the colleague gets
the match e-mails, sees and acts on the match (follow-up as coordinator, accepting a hand-over, logged as acting for
the absent professional), and matched colleagues see both names; before and after the cover, nothing of it."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from audit.models import LogEntry
from matching.exceptions import NoProposalForYou, NotCoordinator
from matching.models import MatchParticipation
from matching.services import match_follow_up_record, match_handover_accept, match_handover_propose
from notifications.models import Notification, NotificationKind
from signals.services import cover_create
from tests.accounts.factories import professional
from tests.api.conftest import ApiCaller
from tests.api.factories import api_client_with_token
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)
LAST_DAY = TODAY + datetime.timedelta(days=13)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def team(haaglanden):
    """Anna (absent from TODAY to LAST_DAY) and Cees, who covers for her, of one team; Olga of another organisation."""
    team = OrganisationFactory(region=haaglanden, name="Jeugdteam Centrum")
    anna = professional(team, user__full_name="Anna Afwezig")
    cees = professional(team, user__full_name="Cees Waarnemer")
    ggd = OrganisationFactory(region=haaglanden, name="GGD Haaglanden")
    olga = professional(ggd, user__full_name="Olga Ander")
    return team, anna, cees, ggd, olga


def _cover(team, anna, cees):
    with at(TODAY - datetime.timedelta(days=3)):
        return cover_create(
            organisation=team, absent=anna, covering=cees, starts_on=TODAY, ends_on=LAST_DAY, actor=anna
        )


def _match_of(signal):
    return MatchParticipation.objects.select_related("match").get(signal=signal).match


@pytest.fixture
def matched(team, place):
    """Anna's signal (the earliest: she coordinates) and Olga's on one youth, placed before the cover."""
    team_org, anna, cees, ggd, olga = team
    youth = YouthFactory(bag_id="")
    with at(days(-30)):
        annas = place(youth=youth, organisation=team_org, professional=anna)
    with at(days(-29)):
        olgas = place(youth=youth, organisation=ggd, professional=olga)
    _cover(team_org, anna, cees)
    match = _match_of(annas)
    assert match.coordinator_signal_id == annas.pk
    return youth, annas, olgas, match


def test_the_covering_colleague_gets_a_copy_of_the_match_email_during_the_cover_and_not_after(team, place, matched):
    team_org, anna, cees, ggd, olga = team
    youth, annas, olgas, match = matched
    mail.outbox.clear()
    with at(days(2)):
        newcomer = place(youth=youth, organisation=OrganisationFactory(region=team_org.region))
    mails = Notification.objects.filter(kind=NotificationKind.MATCH, context__trigger_signal_id=newcomer.pk)
    assert {n.recipient for n in mails} == {anna, cees, olga, newcomer.professional}
    copy = mails.get(recipient=cees)
    assert copy.context["covering_for"] == annas.contact_name
    assert copy.context["match_reference"] == match.reference
    assert copy.context["coordinator"] == mails.get(recipient=anna).context["coordinator"]
    sent = next(m for m in mail.outbox if m.to == [cees.email])
    assert f"U ontvangt dit bericht als waarnemer voor {annas.contact_name}." in sent.body
    # the newcomer reads both names: Anna's, and that Cees covers for her
    (to_newcomer,) = mails.get(recipient=newcomer.professional).context["matches"]
    (anna_line,) = [o for o in to_newcomer["others"] if o["signal_id"] == annas.pk]
    (olga_line,) = [o for o in to_newcomer["others"] if o["signal_id"] == olgas.pk]
    assert anna_line["covered_by"] == ["Cees Waarnemer"] and olga_line["covered_by"] == []

    with at(LAST_DAY + datetime.timedelta(days=1)):
        later = place(youth=youth, organisation=OrganisationFactory(region=team_org.region))
    mails = Notification.objects.filter(kind=NotificationKind.MATCH, context__trigger_signal_id=later.pk)
    assert anna in {n.recipient for n in mails} and cees not in {n.recipient for n in mails}


def test_before_the_cover_starts_the_colleague_gets_nothing(team, place, matched):
    team_org, anna, cees, _ggd, _olga = team
    youth, _annas, _olgas, _match = matched
    with at(days(-1)):
        newcomer = place(youth=youth, organisation=OrganisationFactory(region=team_org.region))
    recipients = {n.recipient for n in Notification.objects.filter(context__trigger_signal_id=newcomer.pk)}
    assert anna in recipients and cees not in recipients


def test_matched_colleagues_see_both_names_on_the_match_page_and_in_the_api(team, matched):
    team_org, anna, cees, ggd, olga = team
    _youth, annas, olgas, match = matched
    with at(days(1)):
        html = client_for(olga, ggd.region).get(reverse("matching:match", args=[match.reference])).content.decode()
        body = ApiCaller(api_client_with_token(ggd)[1]).get(f"/api/v1/signals/{olgas.pk}/matches/").json()
    assert annas.contact_name in html and "waarneming: Cees Waarnemer" in html
    shown = {p["reference"]: p for p in body["match"]["participants"]}
    assert shown[annas.reference]["covered_by"] == ["Cees Waarnemer"]
    assert shown[olgas.reference]["covered_by"] == []
    with at(LAST_DAY + datetime.timedelta(days=1)):
        html = client_for(olga, ggd.region).get(reverse("matching:match", args=[match.reference])).content.decode()
    assert "Cees Waarnemer" not in html  # the cover ended by itself


def test_the_covering_colleague_records_the_follow_up_as_coordinator_and_the_logbook_shows_who_acted(team, matched):
    team_org, anna, cees, _ggd, _olga = team
    _youth, annas, olgas, match = matched
    with at(days(1)):
        client = client_for(cees, team_org.region)
        page = client.get(reverse("matching:match", args=[match.reference])).content.decode()
        assert f"U bent de matchregisseur van match {match.reference}" in page
        # the hand-over may go to Olga, not to Anna, whose place Cees takes
        assert f'value="{olgas.pk}"' in page and f'value="{annas.pk}"' not in page
        response = client.post(
            reverse("matching:follow_up", args=[match.reference]),
            {f"contact_{olgas.pk}": days(1).isoformat(), "coordination_agreed_on": ""},
        )
    assert response.status_code == 302
    participation = MatchParticipation.objects.get(signal=olgas)
    assert participation.contact_made_on == days(1) and participation.recorded_by == cees
    entry = LogEntry.objects.filter(action="match_follow_up_recorded").latest("pk")
    assert entry.actor_id == cees.pk
    assert entry.details["on_behalf_of_user_id"] == anna.pk and entry.details["acted_as"] == "cover"


def test_after_the_cover_the_colleague_can_neither_open_nor_act_on_the_match(team, matched):
    team_org, _anna, cees, _ggd, _olga = team
    _youth, _annas, olgas, match = matched
    with at(LAST_DAY + datetime.timedelta(days=1)):
        client = client_for(cees, team_org.region)
        assert client.get(reverse("matching:match", args=[match.reference])).status_code == 404
        assert client.get(reverse("matching:follow_up", args=[match.reference])).status_code == 404
        with pytest.raises(NotCoordinator):
            match_follow_up_record(match=match, actor=cees, contacts={olgas.pk: days(1)}, coordination_agreed_on=None)


def test_a_colleague_covering_in_another_organisation_does_not_act_for_the_signal_of_this_one(
    team, matched, haaglanden
):
    """Anna also works for a second organisation, where Cees covers for her: her signal of the team is not his."""
    team_org, anna, cees, _ggd, _olga = team
    _youth, _annas, _olgas, match = matched
    second = OrganisationFactory(region=haaglanden)
    professional(second, user=anna)
    dora = professional(team_org, user__full_name="Dora Derde")
    professional(second, user=dora)
    with at(TODAY - datetime.timedelta(days=3)):
        cover_create(organisation=second, absent=anna, covering=dora, starts_on=TODAY, ends_on=LAST_DAY, actor=anna)
    with at(days(1)):
        # Dora is of the team, but covers for Anna only in the second organisation
        assert client_for(dora, haaglanden).get(reverse("matching:match", args=[match.reference])).status_code == 404


def test_the_covering_colleague_receives_and_accepts_a_hand_over_proposed_to_the_absent_professional(team, place):
    team_org, anna, cees, ggd, olga = team
    youth = YouthFactory(bag_id="")
    with at(days(-30)):
        olgas = place(youth=youth, organisation=ggd, professional=olga)
    with at(days(-29)):
        annas = place(youth=youth, organisation=team_org, professional=anna)
    _cover(team_org, anna, cees)
    match = _match_of(olgas)
    assert match.coordinator_signal_id == olgas.pk
    with at(days(1)):
        match_handover_propose(match=match, actor=olga, to_signal_id=annas.pk)
        proposals = Notification.objects.filter(kind="match_handover_proposed")
        assert {n.recipient for n in proposals} == {anna, cees}
        assert (
            proposals.get(recipient=cees).context["url"].endswith(reverse("matching:handover", args=[match.reference]))
        )
        client = client_for(cees, team_org.region)
        assert (
            "Matchregie accepteren" in client.get(reverse("matching:handover", args=[match.reference])).content.decode()
        )
        response = client.post(reverse("matching:handover", args=[match.reference]), {"decision": "accept"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.coordinator_signal_id == annas.pk and match.handed_over
    entry = LogEntry.objects.filter(action="match_coordinator_changed", details__reason="handover").latest("pk")
    assert entry.actor_id == cees.pk and entry.details["on_behalf_of_user_id"] == anna.pk
    # everyone hears the outcome, the cover too
    told = {n.recipient for n in Notification.objects.filter(kind="match_coordinator_changed")}
    assert told == {olga, anna, cees}


def test_a_colleague_who_does_not_cover_cannot_accept_the_hand_over(team, place):
    team_org, anna, cees, ggd, olga = team
    youth = YouthFactory(bag_id="")
    with at(days(-30)):
        olgas = place(youth=youth, organisation=ggd, professional=olga)
    with at(days(-29)):
        annas = place(youth=youth, organisation=team_org, professional=anna)
    match = _match_of(olgas)
    with at(days(1)):
        match_handover_propose(match=match, actor=olga, to_signal_id=annas.pk)
        assert {n.recipient for n in Notification.objects.filter(kind="match_handover_proposed")} == {anna}
        assert (
            client_for(cees, team_org.region).get(reverse("matching:handover", args=[match.reference])).status_code
            == 404
        )
        with pytest.raises(NoProposalForYou):
            match_handover_accept(match=match, actor=cees)
