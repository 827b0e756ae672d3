"""The start page is a task list for every role (issue 18 with the everyday items of issue 19): the matchregisseur's
follow-ups, postponed informing past the region's weeks, signals ending soon, cover periods; the organisation
coordinator's hand-overs and covers; the monitor's matches without contact. Each task links to where it is done."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from matching.models import MatchParticipation
from matching.services import match_detect
from signals.models import Cover, InformingStatus, Signal
from tests.accounts.factories import followup_monitor, organisation_coordinator, professional
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.regions.factories import MunicipalityFactory, OrganisationFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

MATCHED = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


def _group(page: str, title: str) -> str:
    return page.split(f'vi-task-group__title">{title}', 1)[1].split("vi-task-group", 1)[0]


def _signal(organisation, youth, when, name):
    user = professional(organisation, user__full_name=name)
    with time_machine.travel(when, tick=False):
        signal = Signal.objects.create(
            youth=youth,
            professional=user,
            organisation=organisation,
            contact_name=name,
            contact_email=user.email,
            placed_at=timezone.now(),
            ends_on=(timezone.now() + datetime.timedelta(days=730)).date(),
            informing_status="informed",
        )
        match_detect(signal_id=signal.pk)
    return signal


@pytest.fixture
def matched(region):
    """One match in the region (follow-up days 14): the first signal's professional is the matchregisseur."""
    MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)
    youth = YouthFactory(municipality_code="0344")
    ggd = OrganisationFactory(region=region, name="GGD Regio Utrecht", code="ggd", sector="youth_health_care")
    school = OrganisationFactory(region=region, name="Het College", code="college", sector="education")
    first = _signal(ggd, youth, MATCHED - datetime.timedelta(days=1), "Greet GGD")
    second = _signal(school, youth, MATCHED, "Sam School")
    match = MatchParticipation.objects.get(signal=second).match
    assert match.coordinator_signal_id in (first.pk, second.pk)
    return match


def test_the_matchregisseur_and_the_monitor_see_a_match_without_contact_after_the_regions_days(matched, region):
    coordinator = matched.coordinator_signal.professional
    monitor = followup_monitor(region)
    title = "Opvolging als matchregisseur"
    with time_machine.travel(MATCHED + datetime.timedelta(days=13)):
        early = client_for(coordinator, region).get(reverse("home")).content.decode()
        early_monitor = client_for(monitor, region).get(reverse("home")).content.decode()
    assert matched.reference not in _group(early, title)
    assert "Er staat geen opvolging open." in early
    assert matched.reference not in early_monitor
    with time_machine.travel(MATCHED + datetime.timedelta(days=15)):
        page = client_for(coordinator, region).get(reverse("home")).content.decode()
        monitor_page = client_for(monitor, region).get(reverse("home")).content.decode()
    match_url = reverse("matching:match", args=[matched.reference])
    assert f'href="{match_url}">Match {matched.reference}: contact met 1 betrokkene nog niet vastgelegd' in _group(
        page, title
    )
    assert (
        f'href="{reverse("matching:monitor")}">Match {matched.reference}: 15 dagen zonder vastgelegd contact'
        in _group(monitor_page, "Matches zonder contact")
    )


def test_informing_comes_on_the_start_page_after_the_regions_weeks_and_an_ending_signal_links_to_extend(
    region, organisation
):
    region.informing_postponed_weeks = 3
    region.save()
    user = professional(organisation)
    today = timezone.localdate()
    postponed = SignalFactory(professional=user, organisation=organisation, informing_status=InformingStatus.POSTPONED)
    Signal.objects.filter(pk=postponed.pk).update(informing_recorded_on=today - datetime.timedelta(weeks=3))
    fresh = SignalFactory(professional=user, organisation=organisation, informing_status=InformingStatus.POSTPONED)
    Signal.objects.filter(pk=fresh.pk).update(informing_recorded_on=today - datetime.timedelta(weeks=2))
    ending = SignalFactory(professional=user, organisation=organisation, ends_on=today + datetime.timedelta(days=10))

    page = client_for(user, region).get(reverse("home")).content.decode()

    informing = _group(page, "Informeren nog uitgesteld")
    assert f'href="{reverse("signals:informing", args=[postponed.pk])}"' in informing
    assert fresh.reference not in informing
    expiring = _group(page, "Signalen die binnenkort aflopen")
    assert f'href="{reverse("signals:extend", args=[ending.pk])}">Signaal {ending.reference} is actief tot' in expiring
    assert ending.youth.surname not in page


def test_cover_periods_show_for_the_absent_and_the_covering_professional_and_their_coordinator(region, organisation):
    anna = professional(organisation, user__full_name="Anna de Vries")
    carla = professional(organisation, user__full_name="Carla Bos")
    coordinator = organisation_coordinator(organisation)
    today = timezone.localdate()
    Cover.objects.create(
        organisation=organisation,
        absent=anna,
        covering=carla,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=6),
        created_by=coordinator,
    )
    period = f"{today.day} {_month(today)} {today.year} tot en met {(today + datetime.timedelta(days=6)).day}"

    anna_page = client_for(anna, region).get(reverse("home")).content.decode()
    carla_page = client_for(carla, region).get(reverse("home")).content.decode()
    coordinator_page = client_for(coordinator, region).get(reverse("home")).content.decode()

    assert f'href="{reverse("signals:cover_own")}">Carla Bos neemt voor u waar: {period}' in _group(
        anna_page, "Waarneming"
    )
    assert f'href="{reverse("signals:list")}">U neemt waar voor Anna de Vries: {period}' in _group(
        carla_page, "Waarneming"
    )
    assert "Carla Bos neemt waar voor Anna de Vries" in _group(coordinator_page, "Waarnemingen")


def test_the_organisation_coordinator_sees_the_signals_of_a_professional_who_left(region, organisation):
    coordinator = organisation_coordinator(organisation)
    leaver = professional(organisation, user__full_name="Lotte Weg")
    SignalFactory.create_batch(2, professional=leaver, organisation=organisation)
    stayer = professional(organisation, user__full_name="Bram Blijft")
    SignalFactory(professional=stayer, organisation=organisation)
    membership = Membership.objects.get(user=leaver, role=Role.PROFESSIONAL)
    membership.active = False
    membership.save()

    page = client_for(coordinator, region).get(reverse("home")).content.decode()

    group = _group(page, "Signalen over te dragen")
    url = reverse("signals:organisation_professional", args=[membership.pk])
    assert f'href="{url}">Lotte Weg is vertrokken: 2 actieve signalen overdragen' in group
    assert "Bram Blijft" not in group


def _month(day: datetime.date) -> str:
    return ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december"][day.month - 1]  # fmt: skip
