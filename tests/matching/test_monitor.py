"""The follow-up monitor sees the region's matches whose follow-up is overdue, and nothing about the youth."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from matching.models import FollowUpCheck, MatchParticipation
from matching.services import match_detect, match_follow_up_record
from reports.models import Counter, Metric
from signals.models import Signal
from tests.accounts.factories import followup_monitor, organisation_coordinator, process_manager, professional
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

MATCHED = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


def _signal(organisation, youth, when):
    user = professional(organisation, user__full_name=f"Prof {organisation.code}")
    with time_machine.travel(when, tick=False):
        signal = Signal.objects.create(
            youth=youth,
            professional=user,
            organisation=organisation,
            contact_name=user.full_name,
            contact_email=user.email,
            contact_phone="030 111 2222",
            placed_at=timezone.now(),
            ends_on=(timezone.now() + datetime.timedelta(days=730)).date(),
            informing_status="informed",
        )
        match_detect(signal_id=signal.pk)
    return signal


@pytest.fixture
def matched(region, other_region):
    """A youth of Utrecht with signals of a GGD and a school of the region: one match, follow-up 14 days."""
    MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)
    MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=other_region)
    youth = YouthFactory(municipality_code="0344", first_names="Geheime", surname="Naamsen")
    ggd = OrganisationFactory(region=region, name="GGD Regio Utrecht", code="ggd", sector="youth_health_care")
    school = OrganisationFactory(region=region, name="Het College", code="college", sector="education")
    first = _signal(ggd, youth, MATCHED - datetime.timedelta(days=1))
    second = _signal(school, youth, MATCHED)
    return youth, first, second, MatchParticipation.objects.get(signal=second).match


def test_overdue_match_shows_the_coordinator_and_the_professionals_but_not_the_youth(matched, region):
    youth, first, second, coordinator = matched
    with time_machine.travel(MATCHED + datetime.timedelta(days=15)):
        page = client_for(followup_monitor(region), region).get(reverse("matching:monitor")).content.decode()
    assert f"M-{coordinator.pk:06d}" in page
    assert first.contact_email in page and second.contact_email in page
    assert "GGD Regio Utrecht" in page and "Het College" in page
    assert "Geheime" not in page and "Naamsen" not in page
    assert youth.pseudonym not in page


def test_match_within_the_followup_days_is_not_shown(matched, region):
    _youth, _first, _second, coordinator = matched
    with time_machine.travel(MATCHED + datetime.timedelta(days=13)):
        page = client_for(followup_monitor(region), region).get(reverse("matching:monitor")).content.decode()
    assert f"M-{coordinator.pk:06d}" not in page


def test_match_with_recorded_contact_is_not_shown_and_counts_in_the_statistics(matched, region):
    _youth, _first, _second, coordinator = matched
    with time_machine.travel(MATCHED + datetime.timedelta(days=20)):
        match_follow_up_record(
            match=coordinator,
            actor=coordinator.coordinator_signal.professional,
            contacts={_second.pk: (MATCHED + datetime.timedelta(days=9)).date()},
            coordination_agreed_on=None,
        )
        page = client_for(followup_monitor(region), region).get(reverse("matching:monitor")).content.decode()
    assert f"M-{coordinator.pk:06d}" not in page
    recorded = Counter.objects.get(region=region, metric=Metric.FOLLOWUP_RECORDED)
    assert (recorded.days, recorded.count, recorded.month) == (9, 1, datetime.date(2026, 3, 1))
    assert Counter.objects.get(region=region, metric=Metric.FOLLOWUP_DUE).count == 1
    assert Counter.objects.get(region=region, metric=Metric.MATCH_SAME_YOUTH).count == 1


def test_region_setting_decides_when_a_match_is_overdue(matched, region):
    _youth, _first, _second, coordinator = matched
    region.followup_days = 30
    region.save()
    with time_machine.travel(MATCHED + datetime.timedelta(days=20)):
        page = client_for(followup_monitor(region), region).get(reverse("matching:monitor")).content.decode()
    assert f"M-{coordinator.pk:06d}" not in page


def test_monitor_notes_that_they_followed_up(matched, region):
    _youth, _first, _second, coordinator = matched
    monitor = followup_monitor(region)
    with time_machine.travel(MATCHED + datetime.timedelta(days=15)):
        client = client_for(monitor, region)
        response = client.post(
            reverse("matching:monitor_check", args=[coordinator.reference]),
            {f"m{coordinator.pk}-note": "Matchregisseur gebeld"},
        )
        page = client.get(reverse("matching:monitor")).content.decode()
    assert response.status_code == 302
    check = FollowUpCheck.objects.get(match=coordinator)
    assert (check.monitor, check.note) == (monitor, "Matchregisseur gebeld")
    assert "Matchregisseur gebeld" in page


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("x" * 501, "De notitie is te lang: gebruik hoogstens 500 tekens."),
        ("gebeld\x00", "Null-tekens zijn niet toegestaan."),
    ],
)
def test_a_note_that_cannot_be_kept_is_refused_with_the_reason(matched, region, note, message):
    _youth, _first, _second, coordinator = matched
    with time_machine.travel(MATCHED + datetime.timedelta(days=15)):
        client = client_for(followup_monitor(region), region)
        response = client.post(
            reverse("matching:monitor_check", args=[coordinator.reference]),
            {f"m{coordinator.pk}-note": note},
            follow=True,
        )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [message]
    assert not FollowUpCheck.objects.exists()


def test_monitor_of_another_region_neither_sees_nor_notes_the_match(matched, region, other_region):
    _youth, _first, _second, coordinator = matched
    other_monitor = followup_monitor(other_region)
    with time_machine.travel(MATCHED + datetime.timedelta(days=15)):
        own_host = client_for(other_monitor, other_region)
        page = own_host.get(reverse("matching:monitor")).content.decode()
        refused = own_host.post(reverse("matching:monitor_check", args=[coordinator.reference]), {})
        wrong_host = client_for(other_monitor, region).get(reverse("matching:monitor"))
    assert f"M-{coordinator.pk:06d}" not in page
    assert refused.status_code == 404
    assert wrong_host.status_code == 403
    assert not FollowUpCheck.objects.exists()


@pytest.mark.parametrize("who", ["process_manager", "coordinator", "professional"])
def test_monitor_pages_refuse_other_roles(matched, region, who):
    _youth, first, _second, coordinator = matched
    user = {
        "process_manager": lambda: process_manager(region),
        "coordinator": lambda: organisation_coordinator(first.organisation),
        "professional": lambda: first.professional,
    }[who]()
    client = client_for(user, region)
    assert client.get(reverse("matching:monitor")).status_code == 403
    assert client.post(reverse("matching:monitor_check", args=[coordinator.reference]), {}).status_code == 403


def test_monitor_pages_send_anonymous_users_to_the_login(matched, anonymous_client):
    _youth, _first, _second, coordinator = matched
    assert anonymous_client.get(reverse("matching:monitor")).status_code == 302
    assert anonymous_client.post(reverse("matching:monitor_check", args=[coordinator.reference])).status_code == 302


def test_contact_recorded_on_a_siblings_side_counts_in_the_one_match_of_the_family(matched, region):
    """The case that misled the monitor: contact recorded for the professional of the youth's sister."""
    youth, first, second, match = matched
    # the sister shares their mother; the stored keys of the youth's signals learn of the mother first
    youth.parent_pseudonyms = ["moeder-pseudoniem"]
    youth.save()
    for signal in (first, second):
        match_detect(signal_id=signal.pk)
    sister = YouthFactory(municipality_code="0344", parent_pseudonyms=["moeder-pseudoniem"], bag_id="")
    care = OrganisationFactory(region=region, name="Jeugdhulp Zus", code="zus", sector="youth_care")
    sisters = _signal(care, sister, MATCHED + datetime.timedelta(days=1))
    match.refresh_from_db()
    assert MatchParticipation.objects.get(signal=sisters).match == match  # one match for the family
    coordinator = match.coordinator_signal
    others = [s for s in (first, second, sisters) if s != coordinator]
    with time_machine.travel(MATCHED + datetime.timedelta(days=20)):
        # contact with the sister's professional only: the match still waits for the other one
        match_follow_up_record(
            match=match,
            actor=coordinator.professional,
            contacts={sisters.pk: (MATCHED + datetime.timedelta(days=5)).date()},
            coordination_agreed_on=None,
        )
        page = client_for(followup_monitor(region), region).get(reverse("matching:monitor")).content.decode()
        waiting = [s for s in others if s != sisters]
        assert match.reference in page
        assert all(s.contact_email in page for s in waiting) and sisters.contact_email not in page
        # then with everyone: no longer listed, in this region or any
        match_follow_up_record(
            match=match,
            actor=coordinator.professional,
            contacts={s.pk: (MATCHED + datetime.timedelta(days=6)).date() for s in others},
            coordination_agreed_on=None,
        )
        page = client_for(followup_monitor(region), region).get(reverse("matching:monitor")).content.decode()
    assert match.reference not in page
