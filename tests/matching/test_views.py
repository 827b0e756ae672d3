import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.models import Match, MatchOverviewVisit, MatchParticipation
from notifications.models import Notification
from signals.models import EndReason
from signals.services import signal_end
from tests.accounts.factories import process_manager, professional
from tests.conftest import client_for, host_of
from tests.regions.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

MAYA = "999970021"
SIBLING = "999970033"  # Maya's half-brother: same mother, same dwelling


@pytest.fixture
def matched(brp_youth, place, haaglanden):
    """Two professionals of two organisations in Haaglanden with a same-youth match; the first coordinates."""
    youth = brp_youth(MAYA)
    first = place(
        youth=youth,
        organisation=OrganisationFactory(region=haaglanden, name="Jeugdteam Centrum"),
        contact_name="Fatima El Amrani",
        contact_email="fatima@jeugdteam.example.nl",
        contact_phone="070 111 2222",
        placed_at=datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC),
    )
    second = place(
        youth=youth,
        organisation=OrganisationFactory(region=haaglanden, name="GGD Haaglanden"),
        contact_name="Sven de Vries",
        contact_email="sven@ggd.example.nl",
        placed_at=datetime.datetime(2026, 1, 6, 10, tzinfo=datetime.UTC),
    )
    return first, second, MatchParticipation.objects.get(signal=first).match


def _url(name, *args):
    return reverse(f"matching:{name}", args=args)


# --- the match page --------------------------------------------------------------------------------------------


def test_professional_sees_the_match_with_contact_details_coordinator_and_own_youth_by_name(matched, haaglanden):
    first, second, match = matched
    page = client_for(second.professional, haaglanden).get(_url("match", match.reference))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        match.reference,
        "Fatima El Amrani",
        "Jeugdteam Centrum",
        "fatima@jeugdteam.example.nl",
        "070 111 2222",
        "Maya",
        "actief",
    ):
        assert text in html
    assert "999970021" not in html  # never the BSN


def test_a_sibling_is_shown_as_broer_zus_with_the_year_of_birth_never_by_name(matched, brp_youth, place, haaglanden):
    first, _second, match = matched
    sibling = place(youth=brp_youth(SIBLING), organisation=OrganisationFactory(region=haaglanden))
    html = client_for(sibling.professional, haaglanden).get(_url("match", match.reference)).content.decode()
    assert "broer/zus (geboren in 2015)" in html  # Maya, as her brother's professional may see her
    assert "Maya" not in html
    own = client_for(first.professional, haaglanden).get(_url("match", match.reference)).content.decode()
    assert "Maya" in own and "broer/zus (geboren in 2017)" in own


def test_the_old_signal_link_leads_to_the_match(matched, haaglanden):
    first, _, match = matched
    response = client_for(first.professional, haaglanden).get(_url("signal_matches", first.pk))
    assert response.status_code == 302 and response.url == _url("match", match.reference)


def test_an_archived_participant_is_shown_labelled_gearchiveerd_to_those_still_active(matched, haaglanden):
    first, second, match = matched
    signal_end(signal=first, reason=EndReason.CONCERN_GONE, actor=first.professional)
    html = client_for(second.professional, haaglanden).get(_url("match", match.reference)).content.decode()
    assert "gearchiveerd" in html and "Fatima El Amrani" in html


def test_professional_of_another_organisation_gets_404(matched, haaglanden):
    _, _, match = matched
    outsider = professional(OrganisationFactory(region=haaglanden))
    assert client_for(outsider, haaglanden).get(_url("match", match.reference)).status_code == 404
    assert client_for(outsider, haaglanden).get(_url("match", "M-999999")).status_code == 404


def test_professional_of_another_region_is_refused_on_this_regions_host(matched, haaglanden):
    _, _, match = matched
    elsewhere = professional(OrganisationFactory(region=RegionFactory()))
    assert client_for(elsewhere, haaglanden).get(_url("match", match.reference)).status_code == 403


def test_own_match_is_not_shown_on_another_regions_host(matched, haaglanden):
    first, _, match = matched
    other = RegionFactory()
    professional(OrganisationFactory(region=other), user=first.professional)
    assert client_for(first.professional, other).get(_url("match", match.reference)).status_code == 404


def test_other_roles_may_not_see_match_pages(matched, haaglanden):
    _, _, match = matched
    client = client_for(process_manager(haaglanden), haaglanden)
    assert client.get(_url("match", match.reference)).status_code == 403
    assert client.get(_url("my_matches")).status_code == 403


def test_anonymous_is_sent_to_login(matched, anonymous_client, haaglanden):
    _, _, match = matched
    anonymous_client.defaults["HTTP_HOST"] = host_of(haaglanden)
    for url in (
        _url("my_matches"),
        _url("match", match.reference),
        _url("follow_up", match.reference),
        _url("handover", match.reference),
    ):
        response = anonymous_client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- my matches ------------------------------------------------------------------------------------------------


def test_my_matches_groups_by_match_and_shows_what_is_new_since_it_was_marked_seen(place, matched, haaglanden):
    first, second, match = matched

    def visit(day):
        with time_machine.travel(timezone.now() + datetime.timedelta(days=day)):
            page = client_for(first.professional, haaglanden).get(_url("my_matches"))
        assert page.status_code == 200
        return page.content.decode()

    def mark_seen(day):
        with time_machine.travel(timezone.now() + datetime.timedelta(days=day)):
            assert client_for(first.professional, haaglanden).post(_url("my_matches_seen")).status_code == 302

    assert match.reference in visit(1) and "Markeren als gezien" in visit(1)
    mark_seen(1)
    html = visit(2)
    assert ">nieuw<" not in html and "Sven de Vries" in html and "Markeren als gezien" not in html
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        place(youth=first.youth, organisation=OrganisationFactory(region=haaglanden), contact_name="Nieuwe Nina")
    for day in (4, 5):  # opening the page again and again does not make it old: only marking it does
        html = visit(day)
        assert html.count(f"Match {match.reference}") == 1  # one entry for the match, not one per signal or youth
        assert "1 nieuwe betrokkene" in html and "Nieuwe Nina" in html and html.count(">nieuw<") == 1
    mark_seen(5)
    assert ">nieuw<" not in visit(6)


def test_opening_my_matches_changes_nothing_and_marking_seen_needs_a_post(matched, haaglanden):
    first, _, _ = matched
    client = client_for(first.professional, haaglanden)
    client.get(_url("my_matches"))
    assert not MatchOverviewVisit.objects.filter(user=first.professional).exists()
    assert client.get(_url("my_matches_seen")).status_code == 405
    assert not MatchOverviewVisit.objects.filter(user=first.professional).exists()


def test_my_matches_lists_only_own_matches(matched, haaglanden):
    outsider = professional(OrganisationFactory(region=haaglanden))
    html = client_for(outsider, haaglanden).get(_url("my_matches")).content.decode()
    assert "Fatima El Amrani" not in html and "Sven de Vries" not in html


# --- hand-over -------------------------------------------------------------------------------------------------


def test_coordinator_proposes_the_email_links_to_accept_and_decline_and_everyone_hears(
    matched, brp_youth, place, haaglanden
):
    first, second, match = matched
    third = place(youth=brp_youth(MAYA), organisation=OrganisationFactory(region=haaglanden))
    coordinator_page = client_for(first.professional, haaglanden).get(_url("match", match.reference)).content.decode()
    # each active participant once in the hand-over list (and not the coordinator)
    assert coordinator_page.count(f'value="{second.pk}"') == 1 and coordinator_page.count(f'value="{third.pk}"') == 1
    mail.outbox.clear()
    response = client_for(first.professional, haaglanden).post(
        _url("handover_propose", match.reference), {"signal": second.pk}
    )
    assert response.status_code == 302
    proposal = Notification.objects.get(kind="match_handover_proposed")
    assert proposal.recipient == second.professional
    link = f"http://haaglanden.localhost{_url('handover', match.reference)}"
    assert proposal.context["url"] == link

    client = client_for(second.professional, haaglanden)
    page = client.get(_url("handover", match.reference)).content.decode()
    assert "Matchregie accepteren" in page and "Weigeren" in page
    response = client.post(_url("handover", match.reference), {"decision": "accept"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.coordinator_signal_id == second.pk and match.handed_over
    told = {n.recipient_id for n in Notification.objects.filter(kind="match_coordinator_changed")}
    assert told == {first.professional_id, second.professional_id, third.professional_id}


def test_a_declined_hand_over_is_told_to_the_proposer(matched, haaglanden):
    first, second, match = matched
    client_for(first.professional, haaglanden).post(_url("handover_propose", match.reference), {"signal": second.pk})
    client_for(second.professional, haaglanden).post(_url("handover", match.reference), {"decision": "decline"})
    match.refresh_from_db()
    assert match.coordinator_signal_id == first.pk and match.proposed_signal_id is None
    declined = Notification.objects.get(kind="match_handover_declined")
    assert declined.recipient == first.professional and match.reference in declined.subject


def test_hand_over_to_someone_outside_the_match_shows_a_dutch_message(matched, haaglanden):
    first, _, match = matched
    client = client_for(first.professional, haaglanden)
    response = client.post(_url("handover_propose", match.reference), {"signal": 999999}, follow=True)
    assert "Kies een van de betrokken professionals." in response.content.decode()
    match.refresh_from_db()
    assert match.proposed_signal is None


def test_only_the_coordinator_may_propose_a_hand_over(matched, haaglanden):
    first, second, match = matched
    response = client_for(second.professional, haaglanden).post(
        _url("handover_propose", match.reference), {"signal": first.pk}
    )
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.proposed_signal is None


def test_only_the_proposed_professional_may_accept(matched, haaglanden):
    first, second, match = matched
    client_for(first.professional, haaglanden).post(_url("handover_propose", match.reference), {"signal": second.pk})
    outsider = professional(OrganisationFactory(region=haaglanden))
    assert (
        client_for(outsider, haaglanden).post(_url("handover", match.reference), {"decision": "accept"}).status_code
        == 404
    )
    response = client_for(first.professional, haaglanden).post(
        _url("handover", match.reference), {"decision": "accept"}
    )
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.coordinator_signal_id == first.pk


def test_hand_over_proposal_needs_post(matched, haaglanden):
    first, _, match = matched
    assert client_for(first.professional, haaglanden).get(_url("handover_propose", match.reference)).status_code == 405


# --- follow-up -------------------------------------------------------------------------------------------------


def test_coordinator_records_contact_per_participant_and_afgestemd_for_the_match(matched, haaglanden):
    first, second, match = matched
    today = timezone.localdate().isoformat()
    client = client_for(first.professional, haaglanden)
    assert client.get(_url("follow_up", match.reference)).status_code == 200
    response = client.post(
        _url("follow_up", match.reference), {f"contact_{second.pk}": today, "coordination_agreed_on": today}
    )
    assert response.status_code == 302
    assert MatchParticipation.objects.get(signal=second).contact_made_on == timezone.localdate()
    match.refresh_from_db()
    assert match.coordination_agreed_on == timezone.localdate()


def test_follow_up_with_a_bad_date_gets_a_dutch_message_and_keeps_the_input(matched, haaglanden):
    first, second, match = matched
    today = f"{timezone.localdate():%d-%m-%Y}"
    response = client_for(first.professional, haaglanden).post(
        _url("follow_up", match.reference), {f"contact_{second.pk}": today, "coordination_agreed_on": "gisteren"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul de datum in als dd-mm-jjjj" in html and today in html and "gisteren" in html
    assert MatchParticipation.objects.get(signal=second).contact_made_on is None


def test_follow_up_dates_cannot_lie_before_the_match_arose_nor_in_the_future(matched, haaglanden):
    first, second, match = matched
    client = client_for(first.professional, haaglanden)
    before = (timezone.localdate(match.created_at) - datetime.timedelta(days=1)).isoformat()
    html = client.post(_url("follow_up", match.reference), {f"contact_{second.pk}": before}).content.decode()
    assert "Deze datum ligt vóór het ontstaan van de match" in html
    html = client.post(_url("follow_up", match.reference), {f"contact_{second.pk}": "2099-01-10"}).content.decode()
    assert "Deze datum ligt in de toekomst." in html
    assert MatchParticipation.objects.get(signal=second).contact_made_on is None


def test_afgestemd_needs_contact_with_everyone_first(matched, haaglanden):
    first, _second, match = matched
    today = timezone.localdate().isoformat()
    html = (
        client_for(first.professional, haaglanden)
        .post(_url("follow_up", match.reference), {"coordination_agreed_on": today})
        .content.decode()
    )
    assert "Leg eerst vast dat er met iedere betrokkene contact is." in html
    assert Match.objects.get(pk=match.pk).coordination_agreed_on is None


def test_only_the_coordinator_may_record_follow_up(matched, haaglanden):
    _, second, match = matched
    outsider = professional(OrganisationFactory(region=haaglanden))
    for user in (second.professional, outsider):
        assert client_for(user, haaglanden).get(_url("follow_up", match.reference)).status_code == 404
