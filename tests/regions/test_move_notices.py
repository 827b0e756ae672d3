"""A youth with active signals moves into another region: that region's process managers get a notice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from regions.models import MoveNotice
from regions.services import move_notice_record
from signals.models import Signal
from tests.accounts.factories import process_manager, professional
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _signal(organisation, youth, status="active"):
    user = professional(organisation)
    return Signal.objects.create(
        youth=youth,
        professional=user,
        organisation=organisation,
        contact_name=user.full_name,
        contact_email=user.email,
        placed_at=timezone.now(),
        ends_on=timezone.localdate() + datetime.timedelta(days=700),
        informing_status="informed",
        status=status,
    )


@pytest.fixture
def moving(region, other_region):
    """A youth of The Hague (Haaglanden) with two active signals and one archived, moving to Utrecht."""
    MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)
    MunicipalityFactory(cbs_code="0307", name="Amersfoort", region=region)
    MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=other_region)
    youth = YouthFactory(municipality_code="0344", first_names="Verhuisde", surname="Jeugdige")
    signals = [
        _signal(OrganisationFactory(region=other_region, name="Jeugdhulp Den Haag"), youth),
        _signal(OrganisationFactory(region=other_region, name="Veilig Thuis Haaglanden"), youth),
        _signal(OrganisationFactory(region=other_region, name="Oud Archief"), youth, status="archived"),
    ]
    managers = [process_manager(region), process_manager(region)]
    return youth, signals, managers


def test_move_into_another_region_creates_a_notice_with_references_and_organisations(moving, region):
    youth, signals, _managers = moving
    notice = move_notice_record(youth=youth, old_municipality_code="0518", new_municipality_code="0344")
    assert notice.region == region
    assert notice.signal_references == [signals[0].reference, signals[1].reference]
    assert notice.organisation_names == ["Jeugdhulp Den Haag", "Veilig Thuis Haaglanden"]


def test_every_process_manager_of_the_new_region_is_mailed_without_personal_data(moving, region):
    youth, signals, managers = moving
    notice = move_notice_record(youth=youth, old_municipality_code="0518", new_municipality_code="0344")
    mails = Notification.objects.filter(kind="move_notice")
    assert sorted(m.recipient_id for m in mails) == sorted(u.pk for u in managers)
    from django.template.loader import render_to_string

    for mail in mails:
        text = mail.subject + render_to_string(f"{mail.template}.txt", mail.context)
        text += render_to_string(f"{mail.template}.html", mail.context)
        assert notice.reference in text
        for secret in ("Verhuisde", "Jeugdige", youth.pseudonym, signals[0].reference, "Jeugdhulp Den Haag"):
            assert secret not in text


@pytest.mark.parametrize(
    ("old", "new"),
    [("0344", "0307"), ("0518", "0518"), ("0518", "9999"), ("0518", "")],
    ids=["within-the-region", "no-move", "unserved-municipality", "emigrated"],
)
def test_no_notice_when_the_youth_did_not_move_into_another_served_region(moving, old, new):
    youth, _signals, _managers = moving
    assert move_notice_record(youth=youth, old_municipality_code=old, new_municipality_code=new) is None
    assert not MoveNotice.objects.exists()


def test_no_notice_for_a_youth_with_only_archived_signals(moving):
    youth, signals, _managers = moving
    Signal.objects.filter(pk__in=[signals[0].pk, signals[1].pk]).update(status="archived")
    assert move_notice_record(youth=youth, old_municipality_code="0518", new_municipality_code="0344") is None


def test_process_manager_sees_the_notice_behind_login_and_the_old_region_does_not(moving, region, other_region):
    youth, signals, managers = moving
    notice = move_notice_record(youth=youth, old_municipality_code="0518", new_municipality_code="0344")
    page = client_for(managers[0], region).get(reverse("regions:move_notice_list")).content.decode()
    assert notice.reference in page and signals[0].reference in page and "Veilig Thuis Haaglanden" in page
    assert "Verhuisde" not in page
    other_page = client_for(process_manager(other_region), other_region).get(reverse("regions:move_notice_list"))
    assert notice.reference not in other_page.content.decode()


def test_the_brp_refresh_event_of_a_move_leads_to_a_notice(moving, region):
    from persons.events import YouthChange, youth_change_dispatch

    youth, signals, _managers = moving
    youth_change_dispatch(YouthChange(youth_id=youth.pk, old_municipality_code="0518", new_municipality_code="0344"))
    notice = MoveNotice.objects.get()
    assert notice.region == region
    assert notice.signal_references == [signals[0].reference, signals[1].reference]
