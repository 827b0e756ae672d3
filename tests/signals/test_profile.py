"""The professional's own contact details, and an organisation's team mailbox and phone shown on matches."""

import pytest
from django.urls import reverse

from audit.models import LogEntry
from signals.models import SignalStatus
from signals.services import organisation_team_contact_set, professional_contact_update
from tests.accounts.factories import organisation_coordinator
from tests.conftest import client_for
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


def test_contact_change_updates_the_active_signals_only_when_asked(professional_user, organisation):
    active = SignalFactory(professional=professional_user, organisation=organisation)
    archived = SignalFactory(professional=professional_user, organisation=organisation, status=SignalStatus.ARCHIVED)
    assert (
        professional_contact_update(
            user=professional_user,
            full_name="Anna de Vries",
            phone="030 123 4567",
            contact_email="",
            update_signals=False,
        )
        == 0
    )
    active.refresh_from_db()
    assert active.contact_name != "Anna de Vries"
    count = professional_contact_update(
        user=professional_user,
        full_name="Anna de Vries",
        phone="030 123 4567",
        contact_email="anna@team.example.nl",
        update_signals=True,
    )
    assert count == 1
    active.refresh_from_db()
    archived.refresh_from_db()
    assert (active.contact_name, active.contact_email, active.contact_phone) == (
        "Anna de Vries",
        "anna@team.example.nl",
        "030 123 4567",
    )
    assert archived.contact_name != "Anna de Vries"  # the details of its time
    assert LogEntry.objects.filter(action="contact_details_changed", details__signals_updated=1).exists()


def test_team_contact_replaces_the_professionals_address_and_phone_on_the_organisations_signals(
    professional_user, organisation
):
    signal = SignalFactory(professional=professional_user, organisation=organisation)
    coordinator = organisation_coordinator(organisation)
    assert (
        organisation_team_contact_set(
            organisation=organisation, team_email="jeugdteam@example.nl", team_phone="030 765 4321", actor=coordinator
        )
        == 1
    )
    signal.refresh_from_db()
    assert (signal.contact_name, signal.contact_email, signal.contact_phone) == (
        professional_user.full_name,
        "jeugdteam@example.nl",
        "030 765 4321",
    )
    organisation_team_contact_set(organisation=organisation, team_email="", team_phone="", actor=coordinator)
    signal.refresh_from_db()
    assert signal.contact_email == professional_user.email


def test_profile_page_asks_to_confirm_before_changing_the_signals(professional_user, organisation, region):
    signal = SignalFactory(professional=professional_user, organisation=organisation)
    client = client_for(professional_user, region)
    data = {"full_name": "Anna de Vries", "contact_email": "", "phone": "0301234567", "update_signals": "on"}
    asked = client.post(reverse("signals:profile"), data)
    assert asked.status_code == 200 and "Weet u het zeker?" in asked.content.decode()
    signal.refresh_from_db()
    assert signal.contact_name != "Anna de Vries"
    done = client.post(reverse("signals:profile"), {**data, "confirmed": "True"}, follow=True)
    assert "op 1 actieve signalen aangepast" in done.content.decode()
    signal.refresh_from_db()
    assert (signal.contact_name, signal.contact_phone) == ("Anna de Vries", "030 123 4567")


def test_profile_page_refuses_a_bad_phone_number_and_keeps_what_was_typed(professional_user, region):
    response = client_for(professional_user, region).post(
        reverse("signals:profile"), {"full_name": "Anna de Vries", "contact_email": "geen-adres", "phone": "12"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "geldig telefoonnummer" in content and "geldig e-mailadres" in content
    assert response.context["form"]["full_name"].value() == "Anna de Vries"


def test_team_contact_page_for_the_coordinator(organisation, region):
    coordinator = organisation_coordinator(organisation)
    response = client_for(coordinator, region).post(
        reverse("signals:organisation_team_contact"), {"team_email": "team@example.nl", "team_phone": ""}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.team_email == "team@example.nl"
