"""The guided placing flow in the browser (steps 2-5); the session holds ids only, never the BSN."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from signals.models import Signal
from signals.services import birth_date_matches
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


def flow_client(user, region, youth, organisation, step):
    client = client_for(user, region)
    session = client.session
    session["signal_place"] = {"youth_id": youth.pk, "organisation_id": organisation.pk, "step": step}
    session.save()
    return client


def test_confirm_step_shows_name_date_and_municipality_but_never_the_bsn(
    professional_user, organisation, region, municipality
):
    youth = YouthFactory(bsn="111222333", birth_date=datetime.date(2015, 6, 1), municipality_code="0344")
    client = flow_client(professional_user, region, youth, organisation, step=2)
    response = client.get(reverse("signals:place_confirm"))
    content = response.content.decode()
    assert youth.full_name in content and "01-06-2015" in content and "Utrecht" in content
    assert "111222333" not in content
    assert LogEntry.objects.filter(action="youth_data_viewed", youth_pseudonym=youth.pseudonym).exists()


def test_confirm_step_hides_the_address_of_a_confidential_youth(professional_user, organisation, region):
    youth = YouthFactory(confidential=True, street="Geheimstraat")
    response = flow_client(professional_user, region, youth, organisation, step=2).get(reverse("signals:place_confirm"))
    assert "Geheimstraat" not in response.content.decode()


def test_partial_date_of_birth_is_shown_as_far_as_known(professional_user, organisation, region):
    youth = YouthFactory(birth_date_brp="20150000", birth_date=datetime.date(2015, 1, 1))
    response = flow_client(professional_user, region, youth, organisation, step=2).get(reverse("signals:place_confirm"))
    assert response.context["birth_date"] == "2015"


def test_steps_cannot_be_skipped(professional_user, organisation, region):
    youth = YouthFactory()
    client = flow_client(professional_user, region, youth, organisation, step=2)
    for url in (reverse("signals:place_profile"), reverse("signals:place_informing")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("signals:place")


def test_profile_step_shows_the_organisations_profile_and_requires_weighing(professional_user, organisation, region):
    organisation.signalling_profile = "Signaleer bij zorgen over veiligheid thuis."
    organisation.save()
    youth = YouthFactory()
    client = flow_client(professional_user, region, youth, organisation, step=3)
    assert "zorgen over veiligheid thuis" in client.get(reverse("signals:place_profile")).content.decode()
    response = client.post(reverse("signals:place_profile"), {})
    assert "Bevestig dat u het signaleringsprofiel heeft gewogen." in response.content.decode()
    response = client.post(reverse("signals:place_profile"), {"weighed": "on"})
    assert response["Location"] == reverse("signals:place_informing")


def test_informing_step_names_whom_to_inform_and_places_the_signal(professional_user, organisation, region):
    youth = YouthFactory(birth_date=datetime.date(2012, 1, 1))
    client = flow_client(professional_user, region, youth, organisation, step=4)
    response = client.get(reverse("signals:place_informing"))
    assert "de jeugdige en de ouders/gezaghebbenden" in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("signals:place_informing"),
        {"status": "informed", "whom": ["youth", "parents"], "on": today, "how": "in een gesprek"},
    )
    signal = Signal.objects.get()
    assert response["Location"] == reverse("signals:placed", args=[signal.pk])
    assert "signal_place" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Wat gebeurt er nu?" in page


def test_incomplete_informing_keeps_the_input_and_says_what_is_missing(professional_user, organisation, region):
    youth = YouthFactory(birth_date=datetime.date(2012, 1, 1))
    client = flow_client(professional_user, region, youth, organisation, step=4)
    response = client.post(
        reverse("signals:place_informing"),
        {"status": "informed", "whom": ["parents"], "on": timezone.localdate().isoformat(), "how": "per brief"},
    )
    content = response.content.decode()
    assert "moet u ook de jeugdige informeren" in content
    assert 'value="per brief"' in content
    assert not Signal.objects.exists()


def test_refusal_at_the_last_step_is_a_message_not_an_error_page(professional_user, organisation, region):
    youth = YouthFactory()
    SignalFactory(professional=professional_user, organisation=organisation, youth=youth)
    client = flow_client(professional_user, region, youth, organisation, step=4)
    response = client.post(reverse("signals:place_informing"), {"status": "postponed", "reason": "gevaar"})
    assert response.status_code == 200
    assert "al een actief signaal" in response.content.decode()


def test_cancel_forgets_the_flow(professional_user, organisation, region):
    youth = YouthFactory()
    client = flow_client(professional_user, region, youth, organisation, step=3)
    client.post(reverse("signals:place_cancel"))
    assert "signal_place" not in client.session


def test_flow_of_another_organisation_cannot_be_continued(professional_user, region):
    from tests.regions.factories import OrganisationFactory

    other = OrganisationFactory(region=region)
    youth = YouthFactory()
    client = flow_client(professional_user, region, youth, other, step=4)
    response = client.get(reverse("signals:place_informing"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("brp_date", "entered", "matches"),
    [
        ("20170101", datetime.date(2017, 1, 1), True),
        ("20170101", datetime.date(2017, 1, 2), False),
        ("20170000", datetime.date(2017, 8, 9), True),
        ("20170000", datetime.date(2016, 8, 9), False),
        ("20170800", datetime.date(2017, 8, 9), True),
        ("20170800", datetime.date(2017, 7, 9), False),
    ],
)
def test_partial_brp_dates_compare_on_their_known_parts(brp_date, entered, matches):
    assert birth_date_matches(brp_date=brp_date, given=entered) is matches
