"""A process manager runs the region in the browser: organisations, municipalities, rules, addresses, settings, look."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Membership
from audit.models import LogEntry
from persons.bsn import bag_pseudonym
from regions.models import CoordinatorRule, InstitutionalAddress, Municipality, Organisation, Region
from reports.models import Counter, Metric
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NEW_ORGANISATION = {
    "name": "Wijkteam Zeist",
    "code": "wijkteam-zeist",
    "sector": "social_support",
    "subtype": "wijkteam",
    "convenant_date": "2026-01-01",
    "email": "info@wijkteam-zeist.example.nl",
    "phone": "030 765 4321",
}


@pytest.fixture
def pm(world):
    return client_for(world.process_manager, world.region)


def test_process_manager_adds_an_organisation_to_their_own_region(pm, world):
    response = pm.post(reverse("regions:organisation_create"), NEW_ORGANISATION)
    organisation = Organisation.objects.get(code="wijkteam-zeist")
    assert response.status_code == 302
    assert organisation.region == world.region
    assert str(organisation.convenant_date) == "2026-01-01"
    assert LogEntry.objects.filter(action="organisation_created", region_id=world.region.pk).exists()
    assert "Wijkteam Zeist" in pm.get(reverse("regions:organisation_list")).content.decode()


def test_organisation_code_in_use_is_refused_in_dutch_and_the_input_is_kept(pm, world):
    response = pm.post(
        reverse("regions:organisation_create"), {**NEW_ORGANISATION, "code": world.other_organisation.code}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Deze code is al in gebruik" in page
    assert 'value="Wijkteam Zeist"' in page
    assert Organisation.objects.filter(name="Wijkteam Zeist").count() == 0


def test_process_manager_changes_the_convenant_date(pm, world):
    data = {
        **NEW_ORGANISATION,
        "name": world.organisation.name,
        "code": world.organisation.code,
        "convenant_date": "2027-03-01",
    }
    response = pm.post(reverse("regions:organisation_detail", args=[world.organisation.pk]), data)
    world.organisation.refresh_from_db()
    assert response.status_code == 302
    assert str(world.organisation.convenant_date) == "2027-03-01"


def test_a_bad_date_gets_a_dutch_message(pm, world):
    data = {**NEW_ORGANISATION, "convenant_date": "31-31-2026"}
    page = pm.post(reverse("regions:organisation_create"), data).content.decode()
    assert "De datum 31-31-2026 bestaat niet." in page


def test_deactivating_an_organisation_switches_off_its_roles(pm, world):
    url = reverse("regions:organisation_deactivate", args=[world.organisation.pk])
    refused = pm.post(url, {})
    assert "Bevestig dat u de organisatie wilt deactiveren" in refused.content.decode()
    response = pm.post(url, {"confirm": "on"})
    world.organisation.refresh_from_db()
    assert response.status_code == 302
    assert world.organisation.active is False
    assert not Membership.objects.filter(organisation=world.organisation, active=True).exists()
    # the professional can no longer act in the region
    assert client_for(world.professional, world.region).get(reverse("home")).status_code == 403


def test_reactivated_organisation_is_active_again(pm, world):
    world.organisation.active = False
    world.organisation.save()
    pm.post(reverse("regions:organisation_reactivate", args=[world.organisation.pk]))
    world.organisation.refresh_from_db()
    assert world.organisation.active is True


def test_process_manager_adds_a_municipality_by_cbs_code(pm, world):
    response = pm.post(reverse("regions:municipality_list"), {"cbs_code": "0355", "name": "Zeist"})
    assert response.status_code == 302
    assert Municipality.objects.get(cbs_code="0355").region == world.region


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("344", "precies vier cijfers"),
        ("0344", "hoort al bij uw regio"),
        ("0518", "hoort bij een andere regio"),
    ],
)
def test_municipality_codes_that_cannot_be_added_are_explained(pm, world, code, message):
    response = pm.post(reverse("regions:municipality_list"), {"cbs_code": code, "name": "Iets"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert world.other_municipality.region == world.other_region


def test_process_manager_renames_a_municipality(pm, world):
    pm.post(reverse("regions:municipality_edit", args=[world.municipality.pk]), {"name": "Gemeente Utrecht"})
    world.municipality.refresh_from_db()
    assert world.municipality.name == "Gemeente Utrecht"


def _rules(region):
    return [
        (r.position, r.sector, r.subtype) for r in CoordinatorRule.objects.filter(region=region).order_by("position")
    ]


def test_coordinator_rules_are_added_moved_and_removed_in_order(pm, world):
    url = reverse("regions:coordinator_rules")
    pm.post(url, {"action": "add", "sector": "youth_health_care", "subtype": "ggd"})
    pm.post(url, {"action": "add", "sector": "education", "subtype": ""})
    assert _rules(world.region) == [
        (1, "youth_care", ""),
        (2, "youth_health_care", "ggd"),
        (3, "education", ""),
    ]
    education = CoordinatorRule.objects.get(region=world.region, sector="education")
    pm.post(url, {"action": "up", "rule": education.pk})
    pm.post(url, {"action": "up", "rule": education.pk})
    pm.post(url, {"action": "up", "rule": education.pk})  # already first: nothing changes
    assert _rules(world.region) == [(1, "education", ""), (2, "youth_care", ""), (3, "youth_health_care", "ggd")]
    pm.post(url, {"action": "down", "rule": world.rule.pk})
    assert _rules(world.region) == [(1, "education", ""), (2, "youth_health_care", "ggd"), (3, "youth_care", "")]
    pm.post(url, {"action": "remove", "rule": education.pk})
    assert _rules(world.region) == [(1, "youth_health_care", "ggd"), (2, "youth_care", "")]
    assert _rules(world.other_region) == [(1, "youth_care", "")]


def test_the_same_rule_twice_is_refused(pm, world):
    response = pm.post(reverse("regions:coordinator_rules"), {"action": "add", "sector": "youth_care", "subtype": ""})
    assert "staat al in de lijst" in response.content.decode()
    assert len(_rules(world.region)) == 1


def test_institutional_address_is_found_in_the_register_and_stored_only_as_pseudonym(pm, world):
    response = pm.post(
        reverse("regions:institutional_addresses"),
        {"description": "Opvang Koningskade", "postcode": "2596 aa", "house_number": "4"},
    )
    assert response.status_code == 302
    address = InstitutionalAddress.objects.get(description="Opvang Koningskade")
    assert address.postcode == "2596AA"
    assert address.bag_pseudonym == bag_pseudonym("0518010000837535")
    assert "0518010000837535" not in str(InstitutionalAddress.objects.filter(pk=address.pk).values().first())


def test_institutional_address_with_a_house_letter_is_found(pm, world):
    pm.post(
        reverse("regions:institutional_addresses"),
        {"description": "Gezinshuis", "postcode": "1079TX", "house_number": "2", "house_letter": "a"},
    )
    assert InstitutionalAddress.objects.get(description="Gezinshuis").bag_pseudonym == bag_pseudonym("0363010012101960")


def test_unknown_institutional_address_asks_for_the_bag_id_and_keeps_the_input(pm, world):
    response = pm.post(
        reverse("regions:institutional_addresses"),
        {"description": "AZC Zeist", "postcode": "3701AA", "house_number": "99"},
    )
    page = response.content.decode()
    assert "geen woning in de BAG gevonden" in page
    assert 'value="AZC Zeist"' in page
    response = pm.post(
        reverse("regions:institutional_addresses"),
        {"description": "AZC Zeist", "postcode": "3701AA", "house_number": "99", "bag_id": "0355010000123456"},
    )
    assert response.status_code == 302
    assert InstitutionalAddress.objects.get(description="AZC Zeist").bag_pseudonym == bag_pseudonym("0355010000123456")


def test_institutional_address_twice_is_refused(pm, world):
    data = {"description": "Opvang", "postcode": "2596AA", "house_number": "4"}
    pm.post(reverse("regions:institutional_addresses"), data)
    response = pm.post(reverse("regions:institutional_addresses"), data)
    assert "staat al op de lijst" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "12345", "Vul een postcode in als 1234 AB"),
        ("house_number", "4a", "als getal"),
        ("bag_id", "12", "16 cijfers"),
    ],
)
def test_bad_address_input_gets_a_dutch_message(pm, world, field, value, message):
    data = {"description": "Opvang", "postcode": "2596AA", "house_number": "4", field: value}
    assert message in pm.post(reverse("regions:institutional_addresses"), data).content.decode()


def test_institutional_address_is_removed(pm, world):
    pm.post(reverse("regions:institutional_address_remove", args=[world.address.pk]))
    assert not InstitutionalAddress.objects.filter(pk=world.address.pk).exists()


# the region's periods and unborn-child weeks as the settings page shows them (regions/test_region_parameters.py)
PARAMETERS = {
    "max_age": "23",
    "active_years": "2",
    "archive_years": "5",
    "unborn_overdue_weeks": "4",
    "unborn_end_weeks": "4",
    "informing_postponed_weeks": "6",
}


def test_region_settings_are_saved(pm, world):
    data = {
        **PARAMETERS,
        "reminder_weeks": "6",
        "followup_days": "21",
        "request_deadline_days": "42",
        "advice_days": "7",
    }
    response = pm.post(reverse("regions:region_settings"), data)  # internal matches unticked
    region = Region.objects.get(pk=world.region.pk)
    assert response.status_code == 302
    assert (region.internal_matches_reported, region.reminder_weeks, region.followup_days) == (False, 6, 21)
    assert (region.request_deadline_days, region.advice_days) == (42, 7)


def test_region_settings_out_of_range_are_refused(pm, world):
    data = {
        **PARAMETERS,
        "reminder_weeks": "0",
        "followup_days": "21",
        "request_deadline_days": "42",
        "advice_days": "7",
    }
    response = pm.post(reverse("regions:region_settings"), data)
    assert response.status_code == 200
    assert Region.objects.get(pk=world.region.pk).reminder_weeks == 4


def _image(fmt="PNG", size=(120, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#ffffff").save(buffer, format=fmt)
    return SimpleUploadedFile(f"logo.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}")


LOOK = {
    "name": "JeugdMATCH",
    "primary_colour": "#154273",
    "contrast_colour": "#ffffff",
    "font": "Verdana, Arial, sans-serif",
}


def test_region_look_sets_name_tokens_and_logo_and_the_theme_serves_them(pm, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = pm.post(reverse("regions:region_look"), {**LOOK, "logo": _image()})
    region = Region.objects.get(pk=world.region.pk)
    assert response.status_code == 302
    assert region.name == "JeugdMATCH"
    assert region.logo.name.endswith(".png")
    css = pm.get(reverse("regions:theme_css")).content.decode()
    assert "--vi-color-primary: #154273;" in css
    assert "--vi-font-family: Verdana, Arial, sans-serif;" in css


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"primary_colour": "red"}, "#rrggbb"),
        ({"primary_colour": "#ffff00"}, "contrast tussen de kleuren"),
        ({"font": "Comic Sans; } body { display: none"}, "Selecteer een geldige keuze"),
    ],
)
def test_region_look_refuses_unsafe_or_unreadable_tokens(pm, world, change, message):
    response = pm.post(reverse("regions:region_look"), {**LOOK, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Region.objects.get(pk=world.region.pk).name != "JeugdMATCH"


def test_logo_that_is_not_an_image_or_too_large_is_refused(pm, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("logo.png", b"<svg onload='alert(1)'></svg>", content_type="image/png")
    assert "geen afbeelding" in pm.post(reverse("regions:region_look"), {**LOOK, "logo": fake}).content.decode()
    gif = _image("GIF")
    assert "PNG-, JPEG- of WebP" in pm.post(reverse("regions:region_look"), {**LOOK, "logo": gif}).content.decode()
    huge = _image(size=(2500, 100))
    assert "2000 × 2000" in pm.post(reverse("regions:region_look"), {**LOOK, "logo": huge}).content.decode()
    big = SimpleUploadedFile("logo.png", b"0" * (600 * 1024), content_type="image/png")
    assert "512 kB" in pm.post(reverse("regions:region_look"), {**LOOK, "logo": big}).content.decode()
    assert not Region.objects.get(pk=world.region.pk).logo


def test_move_notice_is_marked_handled(pm, world):
    pm.post(reverse("regions:move_notice_handle", args=[world.notice.pk]))
    world.notice.refresh_from_db()
    assert world.notice.handled_by == world.process_manager


def test_deactivating_an_organisation_with_active_signals_asks_before_ending_them(pm, world):
    from signals.models import Signal, SignalStatus
    from tests.signals.factories import SignalFactory

    signals = [SignalFactory(organisation=world.organisation, professional=world.professional) for _ in range(2)]
    url = reverse("regions:organisation_deactivate", args=[world.organisation.pk])
    page = pm.get(url).content.decode()
    assert "nog 2 actieve signalen" in page and world.professional.full_name in page
    refused = pm.post(url, {"confirm": "on"})
    assert "Laat de coördinator ze overdragen" in refused.content.decode()
    world.organisation.refresh_from_db()
    assert world.organisation.active is True
    response = pm.post(url, {"confirm": "on", "end_active_signals": "on"})
    assert response.status_code == 302
    statuses = set(Signal.objects.filter(pk__in=[s.pk for s in signals]).values_list("status", "end_reason"))
    assert statuses == {(SignalStatus.ARCHIVED, "concern_gone")}
    assert Counter.objects.get(region=world.region, metric=Metric.SIGNAL_ENDED_EARLY).count == 2


def test_a_coordinator_rule_that_could_never_apply_is_refused(pm, world):
    response = pm.post(
        reverse("regions:coordinator_rules"), {"action": "add", "sector": "education", "subtype": "police"}
    )
    assert "Politie hoort niet bij de sector Onderwijs" in response.content.decode()
    assert len(_rules(world.region)) == 1
