"""The start page is a task list per role, and every page carries the navigation of the person's roles with the
current page marked (issue 18, steps 2 and 3)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import MatchKind, MatchLink
from rights.models import AdviceTask, RequestStatus
from signals.models import InformingStatus, Signal
from tests.accounts.factories import municipal_staff, process_manager, professional
from tests.conftest import client_for
from tests.rights.conftest import register
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


def _navigation(page: str) -> list[tuple[str, bool]]:
    nav = page.split('aria-label="Hoofdmenu"', 1)[1].split("</nav>", 1)[0]
    return [
        (label, "aria-current" in attrs)
        for attrs, label in re.findall(r'<a class="vi-nav-list__link" href="[^"]+"([^>]*)>([^<]+)</a>', nav)
    ]


def test_each_role_gets_the_pages_it_uses_with_the_current_one_marked(region, organisation, municipality):
    client = client_for(professional(organisation), region)
    page = client.get(reverse("signals:place")).content.decode()
    assert _navigation(page) == [
        ("Start", False),
        ("Mijn signalen", False),
        ("Signaal afgeven", True),
        ("Mijn matches", False),
        ("Adviesvragen", False),
        ("Brieven", False),
        ("Mijn gegevens", False),
    ]
    staff_page = client_for(municipal_staff(municipality), region).get(reverse("rights:queue")).content.decode()
    assert _navigation(staff_page) == [("Start", False), ("Verzoeken", True), ("Verzoek registreren", False)]
    manager_page = client_for(process_manager(region), region).get(reverse("home")).content.decode()
    assert [label for label, _ in _navigation(manager_page)] == [
        "Start", "Verzoeken", "Beheer", "Statistiek", "Logboek", "Gebruikers"
    ]  # fmt: skip
    assert _navigation(manager_page)[0] == ("Start", True)


def test_a_professionals_start_page_lists_advice_requests_expiring_and_postponed_signals(
    region, organisation, municipality
):
    user = professional(organisation)
    today = timezone.localdate()
    expiring = SignalFactory(professional=user, organisation=organisation, ends_on=today + datetime.timedelta(days=10))
    postponed = SignalFactory(professional=user, organisation=organisation, informing_status=InformingStatus.POSTPONED)
    # the region's weeks after the informing was postponed, it is on the list (tests/foundation/test_start_page_tasks)
    Signal.objects.filter(pk=postponed.pk).update(
        informing_recorded_on=today - datetime.timedelta(weeks=region.informing_postponed_weeks)
    )
    staff = municipal_staff(municipality)
    rights_request = register(staff, municipality, kind="objection")
    task = AdviceTask.objects.create(
        request=rights_request,
        professional=user,
        signal_id=expiring.pk,
        signal_reference=expiring.reference,
        organisation_name=organisation.name,
        due_on=today + datetime.timedelta(days=7),
    )

    page = client_for(user, region).get(reverse("home")).content.decode()

    assert f'href="{reverse("rights:advice_detail", args=[task.pk])}">Advies over signaal {expiring.reference}' in page
    assert f'href="{reverse("signals:extend", args=[expiring.pk])}">Signaal {expiring.reference} is actief' in page
    postponed_group = page.split("Informeren nog uitgesteld", 1)[1].split("vi-task-group", 1)[0]
    assert postponed.reference in postponed_group and expiring.reference not in postponed_group
    # no youth's name on the start page: that would be a view of youth data without a logbook line
    assert expiring.youth.surname not in page


def test_municipal_staff_see_open_requests_with_their_deadline_and_process_managers_the_decisions(region, municipality):
    staff = municipal_staff(municipality)
    open_request = register(staff, municipality, kind="objection")
    waiting = register(staff, municipality, kind="objection", bsn="999970033")
    waiting.status = RequestStatus.ADVICE_REQUESTED
    waiting.save()

    staff_page = client_for(staff, region).get(reverse("home")).content.decode()
    manager_page = client_for(process_manager(region), region).get(reverse("home")).content.decode()

    assert open_request.reference in staff_page and waiting.reference in staff_page
    assert f"uiterlijk {open_request.deadline.day}" in staff_page
    decisions = manager_page.split("Besluiten die op u wachten", 1)[1].split("vi-task-group", 1)[0]
    assert waiting.reference in decisions and open_request.reference not in decisions


def test_my_signals_and_the_signal_page_link_to_the_matches(region, organisation):
    user = professional(organisation)
    own = SignalFactory(professional=user, organisation=organisation)
    for _ in range(2):
        other = SignalFactory(organisation=organisation)
        low, high = sorted((own, other), key=lambda s: s.pk)
        MatchLink.objects.create(signal_a=low, signal_b=high, kind=MatchKind.ADDRESS)
    client = client_for(user, region)
    matches_url = reverse("matching:signal_matches", args=[own.pk])

    listing = client.get(reverse("signals:list")).content.decode()
    detail = client.get(reverse("signals:detail", args=[own.pk])).content.decode()

    assert (
        f'<a class="utrecht-link" href="{matches_url}" aria-label="2 matches van signaal {own.reference}">2</a>'
        in listing
    )
    assert f'href="{matches_url}">2 matches bekijken</a>' in detail
