import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from matching.models import MatchCoordinator, MatchFollowUp
from signals.models import SignalStatus
from tests.accounts.factories import process_manager, professional
from tests.conftest import client_for, host_of
from tests.regions.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

MAYA = "999970021"


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
    return first, second, MatchCoordinator.objects.get(youth=youth)


def _url(name, *args):
    return reverse(f"matching:{name}", args=args)


# --- matches of a signal ---------------------------------------------------------------------------------------


def test_professional_sees_the_matches_of_own_signal_with_contact_details_and_coordinator(matched, haaglanden):
    first, second, _ = matched
    page = client_for(second.professional, haaglanden).get(_url("signal_matches", second.pk))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "Fatima El Amrani",
        "Jeugdteam Centrum",
        "fatima@jeugdteam.example.nl",
        "070 111 2222",
        "Zelfde jeugdige",
    ):
        assert text in html
    assert "Actief" in html
    assert "999970021" not in html  # never the BSN


def test_archived_partner_is_shown_with_status_archived(matched, haaglanden):
    first, second, _ = matched
    first.status = SignalStatus.ARCHIVED
    first.save()
    html = client_for(second.professional, haaglanden).get(_url("signal_matches", second.pk)).content.decode()
    assert "Gearchiveerd" in html and "Fatima El Amrani" in html


def test_matched_colleague_cannot_open_the_page_of_the_other_signal(matched, haaglanden):
    first, second, _ = matched
    assert client_for(second.professional, haaglanden).get(_url("signal_matches", first.pk)).status_code == 404


def test_professional_of_another_organisation_gets_404(matched, haaglanden):
    first, _, _ = matched
    outsider = professional(OrganisationFactory(region=haaglanden))
    assert client_for(outsider, haaglanden).get(_url("signal_matches", first.pk)).status_code == 404


def test_professional_of_another_region_is_refused_on_this_regions_host(matched, haaglanden):
    first, _, _ = matched
    elsewhere = professional(OrganisationFactory(region=RegionFactory()))
    assert client_for(elsewhere, haaglanden).get(_url("signal_matches", first.pk)).status_code == 403


def test_own_signal_is_not_shown_on_another_regions_host(matched, haaglanden):
    first, _, _ = matched
    other = RegionFactory()
    # the same person also works for an organisation in another region
    professional(OrganisationFactory(region=other), user=first.professional)
    assert client_for(first.professional, other).get(_url("signal_matches", first.pk)).status_code == 404


def test_other_roles_may_not_see_match_pages(matched, haaglanden):
    first, _, _ = matched
    manager = process_manager(haaglanden)
    client = client_for(manager, haaglanden)
    assert client.get(_url("signal_matches", first.pk)).status_code == 403
    assert client.get(_url("my_matches")).status_code == 403


def test_anonymous_is_sent_to_login(matched, anonymous_client, haaglanden):
    first, _, coordinator = matched
    anonymous_client.defaults["HTTP_HOST"] = host_of(haaglanden)
    for url in (
        _url("my_matches"),
        _url("signal_matches", first.pk),
        _url("follow_up", coordinator.pk),
    ):
        response = anonymous_client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- my matches ------------------------------------------------------------------------------------------------


def test_my_matches_shows_what_is_new_since_the_last_visit(place, matched, haaglanden):
    first, second, _ = matched

    def visit(day):
        # a new login each day (the session would have timed out); the professional marks the news as seen
        # (a POST: opening the page changes nothing)
        with time_machine.travel(timezone.now() + datetime.timedelta(days=day)):
            client = client_for(first.professional, haaglanden)
            page = client.get(_url("my_matches"))
            client.post(_url("my_matches"))
        assert page.status_code == 200
        return page.content.decode()

    assert visit(1).count("vi-badge") == 1  # first visit: everything is new
    html = visit(2)
    assert "vi-badge" not in html
    assert "Sven de Vries" in html
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        place(youth=first.youth, organisation=OrganisationFactory(region=haaglanden), contact_name="Nieuwe Nina")
    html = visit(4)
    assert html.count("vi-badge") == 1
    assert "1 nieuwe match" in html


def test_my_matches_lists_only_own_signals(matched, haaglanden):
    outsider = professional(OrganisationFactory(region=haaglanden))
    html = client_for(outsider, haaglanden).get(_url("my_matches")).content.decode()
    assert "Fatima El Amrani" not in html and "Sven de Vries" not in html


# --- hand-over -------------------------------------------------------------------------------------------------


def test_coordinator_proposes_a_hand_over_and_the_other_accepts(matched, haaglanden):
    first, second, coordinator = matched
    response = client_for(first.professional, haaglanden).post(
        _url("coordinator_handover", coordinator.pk), {"signal": second.pk}
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.proposed_signal_id == second.pk

    client = client_for(second.professional, haaglanden)
    assert "Matchregie accepteren" in client.get(_url("signal_matches", second.pk)).content.decode()
    response = client.post(_url("coordinator_decision", coordinator.pk), {"decision": "accept"})
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.signal_id == second.pk


def test_hand_over_to_someone_outside_the_match_shows_a_dutch_message(matched, haaglanden):
    first, _, coordinator = matched
    stranger = professional(OrganisationFactory(region=haaglanden))
    client = client_for(first.professional, haaglanden)
    response = client.post(_url("coordinator_handover", coordinator.pk), {"signal": 999999}, follow=True)
    assert "Kies een van de betrokken professionals." in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.proposed_signal is None
    assert stranger  # exists, but not a participant


def test_only_the_coordinator_may_propose_a_hand_over(matched, haaglanden):
    first, second, coordinator = matched
    response = client_for(second.professional, haaglanden).post(
        _url("coordinator_handover", coordinator.pk), {"signal": first.pk}
    )
    assert response.status_code == 404


def test_only_the_proposed_professional_may_accept(matched, haaglanden):
    first, second, coordinator = matched
    client_for(first.professional, haaglanden).post(_url("coordinator_handover", coordinator.pk), {"signal": second.pk})
    outsider = professional(OrganisationFactory(region=haaglanden))
    for user in (outsider, first.professional):
        response = client_for(user, haaglanden).post(
            _url("coordinator_decision", coordinator.pk), {"decision": "accept"}
        )
        assert response.status_code == 404
    coordinator.refresh_from_db()
    assert coordinator.signal_id == first.pk


def test_hand_over_needs_post(matched, haaglanden):
    first, _, coordinator = matched
    assert (
        client_for(first.professional, haaglanden).get(_url("coordinator_handover", coordinator.pk)).status_code == 405
    )


# --- follow-up -------------------------------------------------------------------------------------------------


def test_coordinator_records_follow_up_dates(matched, haaglanden):
    first, _, coordinator = matched
    client = client_for(first.professional, haaglanden)
    assert client.get(_url("follow_up", coordinator.pk)).status_code == 200
    response = client.post(
        _url("follow_up", coordinator.pk), {"contact_made_on": "2026-01-10", "coordination_agreed_on": "2026-01-20"}
    )
    assert response.status_code == 302
    follow_up = MatchFollowUp.objects.get(youth=first.youth)
    assert follow_up.contact_made_on == datetime.date(2026, 1, 10)


def test_follow_up_with_a_bad_date_gets_a_dutch_message_and_keeps_the_input(matched, haaglanden):
    first, _, coordinator = matched
    response = client_for(first.professional, haaglanden).post(
        _url("follow_up", coordinator.pk), {"contact_made_on": "2026-01-10", "coordination_agreed_on": "gisteren"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul een geldige datum in" in html
    assert "2026-01-10" in html and "gisteren" in html
    assert not MatchFollowUp.objects.exists()


@pytest.mark.parametrize("data", [{}, {"contact_made_on": "", "coordination_agreed_on": ""}])
def test_follow_up_without_any_date_says_what_to_fill_in(matched, haaglanden, data):
    first, _, coordinator = matched
    response = client_for(first.professional, haaglanden).post(_url("follow_up", coordinator.pk), data)
    assert response.status_code == 200
    assert "Vul ten minste de datum in waarop contact is gelegd." in response.content.decode()
    assert not MatchFollowUp.objects.exists()


def test_blank_dates_clear_a_recorded_follow_up(matched, haaglanden):
    first, _, coordinator = matched
    client = client_for(first.professional, haaglanden)
    client.post(_url("follow_up", coordinator.pk), {"contact_made_on": "2026-01-10"})
    response = client.post(_url("follow_up", coordinator.pk), {"contact_made_on": "", "coordination_agreed_on": ""})
    assert response.status_code == 302
    assert MatchFollowUp.objects.get(youth=first.youth).contact_made_on is None


def test_follow_up_in_the_future_is_refused(matched, haaglanden):
    first, _, coordinator = matched
    response = client_for(first.professional, haaglanden).post(
        _url("follow_up", coordinator.pk), {"contact_made_on": "2099-01-10"}
    )
    assert "Deze datum ligt in de toekomst." in response.content.decode()


def test_only_the_coordinator_may_record_follow_up(matched, haaglanden):
    _, second, coordinator = matched
    outsider = professional(OrganisationFactory(region=haaglanden))
    for user in (second.professional, outsider):
        assert client_for(user, haaglanden).get(_url("follow_up", coordinator.pk)).status_code == 404
