"""Step 1 of placing a signal through the real BRP HTTP path: BSN + date of birth, and every refusal."""

import datetime

import pytest
from django.urls import reverse

from persons.models import Youth
from tests.accounts.factories import professional
from tests.conftest import client_for
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

MIRA = "999970033"  # born 1 January 2017, lives in 's-Gravenhage
MANON = "999999126"  # born 1988: too old
DECEASED_CHILD = "999970422"
UNKNOWN = "111222333"  # passes the elfproef, not in the register


def lookup(client, bsn, birth_date):
    return client.post(reverse("signals:place"), {"bsn": bsn, "birth_date": birth_date})


def test_found_youth_goes_to_confirmation_and_the_session_holds_no_bsn(brp, professional_user, region):
    client = client_for(professional_user, region)
    response = lookup(client, MIRA, "2017-01-01")
    assert response.status_code == 302 and response["Location"] == reverse("signals:place_confirm")
    state = client.session["signal_place"]
    assert state["youth_id"] == Youth.objects.get().pk
    assert MIRA not in str(dict(client.session.items()))
    page = client.get(response["Location"]).content.decode()
    assert "Mira" in page and MIRA not in page


def test_bsn_with_spaces_and_dots_is_accepted(brp, professional_user, region):
    response = lookup(client_for(professional_user, region), "9999.70 033", "2017-01-01")
    assert response.status_code == 302


def test_date_of_birth_that_does_not_match_the_brp_is_refused_and_input_kept(brp, professional_user, region):
    response = lookup(client_for(professional_user, region), MIRA, "2017-01-02")
    content = response.content.decode()
    assert "Er is geen persoon gevonden met dit burgerservicenummer en deze geboortedatum" in content
    assert 'value="02-01-2017"' in content  # kept, in the Dutch order of the date field


def test_invalid_bsn_is_refused_with_a_clear_message(brp, professional_user, region):
    response = lookup(client_for(professional_user, region), "123456789", "2017-01-01")
    assert "Dit is geen geldig burgerservicenummer" in response.content.decode()


def test_unknown_person_is_refused(brp, professional_user, region):
    response = lookup(client_for(professional_user, region), UNKNOWN, "2017-01-01")
    assert "Er is geen persoon gevonden met dit burgerservicenummer en deze geboortedatum" in response.content.decode()


def test_deceased_person_is_refused(brp, professional_user, region):
    response = lookup(client_for(professional_user, region), DECEASED_CHILD, "2021-10-12")
    assert "overleden" in response.content.decode()


def test_person_of_23_or_older_is_refused(brp, professional_user, region):
    response = lookup(client_for(professional_user, region), MANON, "1988-02-01")
    assert "23 jaar of ouder" in response.content.decode()


def test_existing_active_signal_of_the_same_professional_is_refused(brp, professional_user, organisation, region):
    client = client_for(professional_user, region)
    lookup(client, MIRA, "2017-01-01")
    SignalFactory(professional=professional_user, organisation=organisation, youth=Youth.objects.get())
    response = lookup(client, MIRA, "2017-01-01")
    assert "al een actief signaal" in response.content.decode()


def test_inactive_organisation_is_refused_before_the_brp_is_asked(brp, region):
    organisation = OrganisationFactory(region=region, active=False)
    response = lookup(client_for(professional(organisation), region), MIRA, "2017-01-01")
    assert "neemt op dit moment niet deel" in response.content.decode()
    assert not Youth.objects.exists()


def test_unreachable_brp_shows_the_form_again_with_the_input_kept(db, settings, professional_user, region):
    settings.BRP_CLIENT = "haal_centraal"
    settings.BRP_BASE_URL = "http://127.0.0.1:9/brp"
    response = lookup(client_for(professional_user, region), MIRA, "2017-01-01")
    assert response.status_code == 200
    content = response.content.decode()
    assert "De BRP is op dit moment niet bereikbaar" in content
    assert f'value="{MIRA}"' in content and 'value="01-01-2017"' in content


def test_whole_flow_through_the_browser_places_the_signal(brp, professional_user, region):
    client = client_for(professional_user, region)
    lookup(client, MIRA, "2017-01-01")
    client.post(reverse("signals:place_confirm"))
    client.post(reverse("signals:place_profile"), {"weighed": "on"})
    today = datetime.date.today().isoformat()
    response = client.post(
        reverse("signals:place_informing"), {"status": "informed", "whom": ["parents"], "on": today, "how": "gesprek"}
    )
    assert response.status_code == 302
    assert professional_user.signals.get().youth.first_names == "Mira"
