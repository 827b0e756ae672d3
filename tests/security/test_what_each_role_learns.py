"""What each role can learn in an hour about youths it has no signal on (issue #16, docs/adr/0003-look-up-limits.md).

Each test plays one role as an attacker with a list of BSNs and drives its channel to the end, its attempts spread
over one hour of clock time (time-machine): every attempt is in the logbook, the process managers are alerted as
documented, and then the channel is refused. What the role learned is counted from its own answers, and is never
more than the documented hourly limit.
"""

import datetime
import json

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from notifications.models import Notification
from persons.bsn import bsn_pseudonym
from persons.guards import (
    ALERT_ACTION,
    LOGBOOK_LOOKUP_ACTION,
    LOOKUP_ACTION,
    ORGANISATION_ALERT_ACTION,
    REFUSED_ACTION,
    RIGHTS_LOOKUP_ACTION,
)
from tests.accounts.factories import (
    followup_monitor,
    municipal_staff,
    organisation_coordinator,
    process_manager,
    professional,
)
from tests.api.test_place import SIGNALS, place_body
from tests.conftest import client_for
from tests.persons.factories import FREE_BSNS, YouthFactory
from tests.regions.factories import MunicipalityFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


def _living_youths(count: int) -> list[tuple[str, datetime.date]]:
    """(BSN, date of birth) of living persons of the BRP test set younger than 22 today, with a full date."""
    with open(django_settings.BRP_TEST_DATA, encoding="utf-8") as handle:
        persons = json.load(handle)
    youngest_allowed = timezone.localdate().replace(day=1, month=1)
    youngest_allowed = youngest_allowed.replace(year=youngest_allowed.year - 22)
    found = []
    for person in persons:
        born = (person.get("geboorte") or {}).get("datum", "")
        if (
            "overlijden" in person
            or person.get("opschortingBijhouding")
            or len(born) != 8
            or "00" in (born[4:6], born[6:])
        ):
            continue
        date = datetime.date(int(born[:4]), int(born[4:6]), int(born[6:]))
        if date > youngest_allowed:
            found.append((person["burgerservicenummer"], date))
    assert len(found) >= count, "the BRP test set has too few living youths for this test"
    return found[:count]


def _across_an_hour(items: list):
    """Each item in turn, with the clock moved on so that the attempts spread evenly over 59 minutes."""
    start = timezone.now()
    step = datetime.timedelta(minutes=59) / max(len(items) - 1, 1)
    for index, item in enumerate(items):
        with time_machine.travel(start + index * step, tick=False):
            yield item


def _alerted(manager, actor, action) -> bool:
    return (
        LogEntry.objects.filter(action=action, actor_id=actor.pk).count() == 1
        and Notification.objects.filter(recipient=manager, kind="bsn_enumeration_alert").exists()
    )


def test_a_professional_learns_at_most_the_hourly_limit_of_youths(brp_embedded, region, organisation):
    limit = django_settings.BSN_LOOKUP_LIMIT_PER_HOUR
    attacker = professional(organisation)
    manager = process_manager(region)
    youths = _living_youths(limit + 5)
    client = client_for(attacker, region)

    learned = 0
    for bsn, born in _across_an_hour(youths):
        response = client.post(reverse("signals:place"), {"bsn": bsn, "birth_date": born.isoformat()})
        learned += response.status_code == 302  # on to "is this the youth you mean?", with name and address
    assert learned == limit
    for bsn, _born in youths[:limit]:
        assert LogEntry.objects.filter(action=LOOKUP_ACTION, actor_id=attacker.pk, youth_pseudonym=bsn_pseudonym(bsn))
    for bsn, _born in youths[limit:]:
        assert LogEntry.objects.filter(action=REFUSED_ACTION, actor_id=attacker.pk, youth_pseudonym=bsn_pseudonym(bsn))
    assert _alerted(manager, attacker, ALERT_ACTION)


def test_an_api_client_learns_at_most_its_organisations_hourly_limit(brp_embedded, api_a, org_a, settings):
    # smaller numbers than in production keep the test quick; the counting is the same
    settings.BSN_LOOKUP_LIMIT_PER_HOUR = 3
    settings.BSN_LOOKUP_LIMIT_PER_HOUR_API_ORGANISATION = 5
    manager = process_manager(org_a.region)
    professionals = [professional(org_a) for _ in range(3)]
    youths = _living_youths(12)

    answers = []
    for index, (bsn, born) in enumerate(_across_an_hour(youths)):
        acting = professionals[index % 3]
        answers.append(api_a.post(SIGNALS, place_body(acting, bsn=bsn, birth_date=born.isoformat())).status_code)
    # an answer other than 429 tells something about the person (placed, or refused by the rules after a match)
    assert len([status for status in answers if status != 429]) == 5  # the organisation's limit, not 3 x 3
    assert set(answers[5:]) == {429}
    assert LogEntry.objects.filter(action=LOOKUP_ACTION, details__api_organisation_id=org_a.pk).count() == 5
    assert LogEntry.objects.filter(action=REFUSED_ACTION).count() == 7
    assert LogEntry.objects.filter(action=ORGANISATION_ALERT_ACTION).count() >= 1
    assert Notification.objects.filter(recipient=manager, kind="bsn_enumeration_alert").exists()


def _youths_in(cbs_code: str, count: int) -> list[str]:
    bsns = []
    for _ in range(count):
        bsn = next(FREE_BSNS)
        SignalFactory(youth=YouthFactory(bsn=bsn, municipality_code=cbs_code))
        bsns.append(bsn)
    return bsns


def test_municipal_staff_learn_at_most_the_hourly_limit_for_requests(region):
    limit = django_settings.RIGHTS_LOOKUP_LIMIT_PER_HOUR
    municipality = MunicipalityFactory(cbs_code="0363", name="Amsterdam", region=region)
    attacker = municipal_staff(municipality)
    manager = process_manager(region)
    bsns = _youths_in("0363", limit + 5)
    client = client_for(attacker, region)

    learned = 0
    for bsn in _across_an_hour(bsns):
        response = client.post(
            reverse("rights:request_register"),
            {
                "kind": "inspection",
                "bsn": bsn,
                "requester_name": "X",
                "requester_capacity": "parent",
                "identity_checked": "on",
                "identity_check_method": "id_document",
                "received_on": timezone.localdate().isoformat(),
            },
        )
        learned += response.status_code == 302  # a request whose page says whether the youth is registered
    assert learned == limit
    assert LogEntry.objects.filter(action=RIGHTS_LOOKUP_ACTION, actor_id=attacker.pk).count() == limit
    assert LogEntry.objects.filter(action=REFUSED_ACTION, actor_id=attacker.pk).count() == 5
    assert _alerted(manager, attacker, ALERT_ACTION)


def test_a_process_manager_searches_the_logbook_by_bsn_at_most_the_hourly_limit(region):
    limit = django_settings.RIGHTS_LOOKUP_LIMIT_PER_HOUR
    attacker = process_manager(region)
    colleague = process_manager(region)
    bsns = [next(FREE_BSNS) for _ in range(limit + 3)]
    client = client_for(attacker, region)

    learned = 0
    for bsn in _across_an_hour(bsns):
        response = client.post(reverse("audit:logbook"), {"bsn": bsn})
        learned += response.status_code == 302  # on to the entries about that youth
    assert learned == limit
    assert LogEntry.objects.filter(action=LOGBOOK_LOOKUP_ACTION, actor_id=attacker.pk).count() == limit
    assert LogEntry.objects.filter(action=REFUSED_ACTION, actor_id=attacker.pk).count() == 3
    assert _alerted(colleague, attacker, ALERT_ACTION)


@pytest.mark.parametrize("role", ["coordinator", "monitor"])
def test_coordinators_and_monitors_have_no_channel_that_takes_a_bsn(brp_embedded, region, organisation, role):
    attacker = organisation_coordinator(organisation) if role == "coordinator" else followup_monitor(region)
    ((bsn, born),) = _living_youths(1)
    client = client_for(attacker, region)
    refused = [
        client.post(reverse("signals:place"), {"bsn": bsn, "birth_date": born.isoformat()}).status_code,
        client.post(reverse("rights:request_register"), {"bsn": bsn}).status_code,
        client.post(reverse("audit:logbook"), {"bsn": bsn}).status_code,
    ]
    assert set(refused) == {403}
    assert not LogEntry.objects.filter(youth_pseudonym=bsn_pseudonym(bsn)).exists()
