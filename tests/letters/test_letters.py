"""Letters: an informing letter per age group, and a decision letter for each kind of request; page and PDF."""

import datetime

import pytest
from django.urls import reverse

from audit.models import LogEntry
from rights.models import Authority, RequestKind, RequestStatus
from tests.accounts.factories import professional
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_with_contacts(region, municipality):
    municipality.contact_email = "verwijsindex@utrecht.example.nl"
    municipality.contact_phone = "14 030"
    municipality.save()
    region.theme_tokens = {"vi-color-primary": "#7a1f5c"}
    region.save()
    return region


@pytest.mark.parametrize(
    ("group", "greeting", "addressed"),
    [
        ("onder-12", "Beste ouder of voogd,", "over uw kind"),
        ("12-tot-16", "Beste jongere, en beste ouder of voogd,", "over jou"),
        ("16-plus", "Beste jongere,", "over jou"),
    ],
)
def test_informing_letter_per_age_group_names_the_region_what_is_registered_and_the_rights(
    region_with_contacts, organisation, group, greeting, addressed
):
    user = professional(organisation, user__full_name="Anna de Vries", user__phone="030 123 4567")
    content = client_for(user, region_with_contacts).get(reverse("letters:informing_letter", args=[group]))
    text = content.content.decode()
    assert content.status_code == 200
    assert greeting in text and addressed in text
    assert "Verwijsindex Midden-Nederland" in text
    assert "Wat staat er in de verwijsindex?" in text and "burgerservicenummer" in text
    assert "inzage" in text and "bezwaar" in text and "verwijsindex@utrecht.example.nl" in text
    assert "Anna de Vries" in text and organisation.name in text and "030 123 4567" in text
    assert "/informatie/" in text


def test_informing_letter_of_an_unknown_age_group_is_not_found(region, professional_user):
    assert client_for(professional_user, region).get("/brieven/informeren/onbekend/").status_code == 404


def test_informing_letter_pdf_is_a_pdf_with_the_regions_name(region_with_contacts, professional_user):
    response = client_for(professional_user, region_with_contacts).get(
        reverse("letters:informing_letter_pdf", args=["16-plus"])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="brief-verwijsindex-16-plus.pdf"' in response["Content-Disposition"]


def _request(region, municipality, staff, kind, **fields):
    from rights.models import RightsRequest

    return RightsRequest.objects.create(
        region=region,
        municipality=municipality,
        registered_by=staff,
        kind=kind,
        youth_pseudonym="p" * 64,
        bsn_encrypted="x",
        requester_name="J. Jansen",
        requester_capacity="parent",
        identity_checked=True,
        identity_check_method="id_document",
        authority=fields.pop("authority", Authority.ALONE),
        received_on=datetime.date(2026, 11, 2),
        deadline=datetime.date(2026, 11, 30),
        **fields,
    )


@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        (RequestKind.INSPECTION, RequestStatus.COMPLETED, "overzicht bekeken"),
        (RequestKind.COPY, RequestStatus.COMPLETED, "kopie"),
        (RequestKind.CORRECTION, RequestStatus.UPHELD, "onjuiste gegevens is verwijderd"),
        (RequestKind.OBJECTION, RequestStatus.UPHELD, "Het signaal is vernietigd"),
    ],
)
def test_decision_letter_granted_for_each_kind(region_with_contacts, municipality, staff, kind, status, expected):
    rights_request = _request(region_with_contacts, municipality, staff, kind, status=status)
    response = client_for(staff, region_with_contacts).get(reverse("letters:decision_letter", args=[rights_request.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "uw verzoek is toegekend" in text and expected in text
    assert "J. Jansen" in text and rights_request.reference in text and "binnen 6 weken" in text
    assert LogEntry.objects.filter(
        action="rights_decision_letter_made", details__rights_request_id=rights_request.pk
    ).exists()


@pytest.mark.parametrize("kind", [RequestKind.CORRECTION, RequestKind.OBJECTION])
def test_decision_letter_refused_gives_the_reason(region_with_contacts, municipality, staff, kind):
    rights_request = _request(
        region_with_contacts,
        municipality,
        staff,
        kind,
        status=RequestStatus.REJECTED,
        decision_reason="Het signaal is terecht gegeven: er is zorg.",
    )
    text = client_for(staff, region_with_contacts).get(reverse("letters:decision_letter", args=[rights_request.pk]))
    assert "uw verzoek is afgewezen" in text.content.decode()
    assert "Het signaal is terecht gegeven: er is zorg." in text.content.decode()


def test_decision_letter_refuses_an_inspection_the_requester_may_not_exercise(
    region_with_contacts, municipality, staff
):
    rights_request = _request(
        region_with_contacts, municipality, staff, RequestKind.INSPECTION, authority=Authority.NOT_ALLOWED, youth_age=17
    )
    text = client_for(staff, region_with_contacts).get(reverse("letters:decision_letter", args=[rights_request.pk]))
    assert "uw verzoek is afgewezen" in text.content.decode() and "16 jaar of ouder" in text.content.decode()


def test_no_decision_letter_before_the_decision(region_with_contacts, municipality, staff):
    rights_request = _request(region_with_contacts, municipality, staff, RequestKind.OBJECTION)
    response = client_for(staff, region_with_contacts).get(reverse("letters:decision_letter", args=[rights_request.pk]))
    assert response.status_code == 302 and response.url == reverse("rights:request_detail", args=[rights_request.pk])


def test_decision_letter_pdf(region_with_contacts, municipality, staff):
    rights_request = _request(
        region_with_contacts, municipality, staff, RequestKind.COPY, status=RequestStatus.COMPLETED
    )
    response = client_for(staff, region_with_contacts).get(
        reverse("letters:decision_letter_pdf", args=[rights_request.pk])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
