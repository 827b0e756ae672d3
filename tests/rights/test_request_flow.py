"""The municipal request flow as a sequence (issue 18, step 5): who acts next, the answer to the citizen recorded
and confirmed, long explanations refused, duplicates flagged, the citizen's grounds shown to the advising
professional."""

import pytest
from django.urls import reverse

from audit.models import LogEntry
from rights.models import AdviceTask, RequestStatus
from tests.conftest import client_for

from .conftest import YOUTH_BSN, register

pytestmark = pytest.mark.django_db


def _ask_advice(client, rights_request, *signals):
    return client.post(
        reverse("rights:request_advice", args=[rights_request.pk]), {"signals": [str(s.pk) for s in signals]}
    )


def test_after_the_advice_the_request_page_says_the_process_manager_decides_next(
    region, municipality, staff, youth, active_signal
):
    rights_request = register(staff, municipality, kind="objection")
    client = client_for(staff, region)
    page = client.get(reverse("rights:request_detail", args=[rights_request.pk])).content.decode()
    assert "Wie is aan de beurt: medewerker gemeente of procesmanager." in page

    _ask_advice(client, rights_request, active_signal)
    task = AdviceTask.objects.get(request=rights_request)
    professional_client = client_for(active_signal.professional, region)
    response = professional_client.post(
        reverse("rights:advice_detail", args=[task.pk]), {"advice": "keep", "advice_text": "Terecht afgegeven."}
    )
    assert response.status_code == 302

    page = client.get(reverse("rights:request_detail", args=[rights_request.pk])).content.decode()
    assert "Wie is aan de beurt: procesmanager." in page
    assert 'aria-current="step"' in page


def test_fifteen_thousand_characters_of_advice_are_refused_with_a_message(
    region, municipality, staff, youth, active_signal
):
    rights_request = register(staff, municipality, kind="objection")
    _ask_advice(client_for(staff, region), rights_request, active_signal)
    task = AdviceTask.objects.get(request=rights_request)

    response = client_for(active_signal.professional, region).post(
        reverse("rights:advice_detail", args=[task.pk]), {"advice": "keep", "advice_text": "x" * 15_000}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "De toelichting is te lang: gebruik hoogstens 2.000 tekens (het zijn er nu 15000)." in page
    # the limit is shown on the page, and the summary at the top links to the field
    assert "Hoogstens 2.000 tekens." in page
    assert 'href="#id_advice_text"' in page
    task.refresh_from_db()
    assert task.given_at is None and task.advice_text == ""


def test_the_advising_professional_sees_the_citizens_grounds(region, municipality, staff, youth, active_signal):
    rights_request = register(staff, municipality, kind="objection", description="Wij zijn nooit geïnformeerd.")
    _ask_advice(client_for(staff, region), rights_request, active_signal)
    task = AdviceTask.objects.get(request=rights_request)

    page = client_for(active_signal.professional, region).get(reverse("rights:advice_detail", args=[task.pk]))

    assert "Wij zijn nooit geïnformeerd." in page.content.decode()


def test_answering_the_citizen_is_confirmed_recorded_and_closes_the_request_once(region, municipality, staff, youth):
    rights_request = register(staff, municipality, kind="inspection")
    client = client_for(staff, region)
    url = reverse("rights:request_complete", args=[rights_request.pk])
    answer = {"answered_on": rights_request.received_on.isoformat(), "answered_how": "desk"}

    unconfirmed = client.post(url, answer)
    assert "Bevestig dat u het verzoek wilt afsluiten." in unconfirmed.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.status == RequestStatus.RECEIVED

    assert client.post(url, {**answer, "confirm": "on"}).status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.status == RequestStatus.COMPLETED
    assert (rights_request.answered_on, rights_request.answered_how) == (rights_request.received_on, "desk")
    assert LogEntry.objects.filter(action="rights_request_completed", details__answered_how="desk").count() == 1
    page = client.get(reverse("rights:request_detail", args=[rights_request.pk])).content.decode()
    assert "Aan de balie" in page and "Alle stappen zijn gedaan." in page

    again = client.post(url, {**answer, "confirm": "on"})
    assert "Dit verzoek is al afgehandeld." in again.content.decode()
    assert LogEntry.objects.filter(action="rights_request_completed").count() == 1


def test_an_objection_is_answered_only_after_the_decision(region, municipality, staff, manager, youth, active_signal):
    rights_request = register(staff, municipality, kind="objection")
    client = client_for(staff, region)
    _ask_advice(client, rights_request, active_signal)
    url = reverse("rights:request_complete", args=[rights_request.pk])
    answer = {"answered_on": rights_request.received_on.isoformat(), "answered_how": "letter", "confirm": "on"}

    early = client.post(url, answer)
    assert "pas afgehandeld na het besluit van de procesmanager" in early.content.decode()

    no_confirm = client_for(manager, region).post(
        reverse("rights:request_decide", args=[rights_request.pk]), {"decision": "rejected", "reason": "Terecht."}
    )
    assert "niet ongedaan worden gemaakt" in no_confirm.content.decode()
    client_for(manager, region).post(
        reverse("rights:request_decide", args=[rights_request.pk]),
        {"decision": "rejected", "reason": "Terecht.", "confirm": "on"},
    )
    assert client.post(url, answer).status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.status == RequestStatus.REJECTED
    assert rights_request.answered_how == "letter"


def test_a_second_open_request_for_the_same_youth_is_flagged(region, municipality, staff, youth):
    first = register(staff, municipality, kind="inspection")
    client = client_for(staff, region)
    response = client.post(
        reverse("rights:request_register"),
        {
            "kind": "copy",
            "bsn": YOUTH_BSN,
            "requester_name": "Manon Maasland",
            "requester_capacity": "parent",
            "identity_checked": "on",
            "identity_check_method": "id_document",
            "received_on": first.received_on.isoformat(),
        },
        follow=True,
    )
    page = response.content.decode()
    assert f"voor deze jeugdige loopt al een verzoek ({first.reference})" in page
    assert f'href="{reverse("rights:request_detail", args=[first.pk])}"' in page


def test_the_register_form_shows_today_in_the_date_field(region, municipality, staff):
    from django.utils import timezone

    page = client_for(staff, region).get(reverse("rights:request_register")).content.decode()

    assert f'value="{timezone.localdate():%d-%m-%Y}"' in page
