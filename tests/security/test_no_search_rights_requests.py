"""Issue #16 finding 1: municipal staff probing BSNs through citizens' requests, as the attacker would.

As a staff member: POST /verzoeken/nieuw/ (inzage) for one BSN after another; each detail page says whether
the youth is in the verwijsindex. The look-up limit for requests stops that, every look-up is logged, the
process managers are alerted and see each staff member's look-ups per week; the youth's own inzage names
who registered requests about them; and a request cannot be deleted to hide a look-up.
"""

import datetime

import pytest
from django.conf import settings
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from notifications.models import Notification
from persons.bsn import bsn_pseudonym
from rights.models import RightsRequest
from tests.accounts.factories import municipal_staff, process_manager
from tests.conftest import client_for
from tests.persons.factories import FREE_BSNS, YouthFactory
from tests.regions.factories import MunicipalityFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

# the logbook's actions, spelled out so that this test runs (and fails) on code without the guards
RIGHTS_LOOKUP_ACTION = "rights_youth_lookup"
REFUSED_ACTION = "brp_lookup_refused"
ALERT_ACTION = "bsn_enumeration_suspected"


def _form(bsn: str) -> dict:
    return {
        "kind": "inspection",
        "bsn": bsn,
        "requester_name": "A. de Vries",
        "requester_capacity": "parent",
        "identity_checked": "on",
        "identity_check_method": "id_document",
        "received_on": timezone.localdate().isoformat(),
    }


def _youths_in(cbs_code: str, count: int) -> list[str]:
    """BSNs of youths in the verwijsindex who live in this municipality, each with a signal."""
    bsns = []
    for _ in range(count):
        bsn = next(FREE_BSNS)
        SignalFactory(youth=YouthFactory(bsn=bsn, birth_date=datetime.date(2012, 1, 1), municipality_code=cbs_code))
        bsns.append(bsn)
    return bsns


def test_staff_probing_bsns_through_requests_is_stopped_logged_and_alerted(region):
    municipality = MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=region)
    staff = municipal_staff(municipality)
    manager = process_manager(region)
    limit = getattr(settings, "RIGHTS_LOOKUP_LIMIT_PER_HOUR", 10)
    assert limit < settings.BSN_LOOKUP_LIMIT_PER_HOUR  # lower than for professionals
    bsns = _youths_in("0518", limit + 3)
    client = client_for(staff, region)

    answered = 0
    for bsn in bsns:
        response = client.post(reverse("rights:request_register"), _form(bsn))
        if response.status_code == 302:
            answered += 1
            continue
        assert response.status_code == 200
        assert "procesmanager" in response.content.decode()

    assert answered == limit
    assert RightsRequest.objects.filter(registered_by=staff).count() == limit
    # every attempt is in the logbook by pseudonym: the answered ones as look-ups, the others as refusals
    for bsn in bsns[:limit]:
        assert LogEntry.objects.filter(action=RIGHTS_LOOKUP_ACTION, youth_pseudonym=bsn_pseudonym(bsn)).exists()
    for bsn in bsns[limit:]:
        assert LogEntry.objects.filter(action=REFUSED_ACTION, youth_pseudonym=bsn_pseudonym(bsn)).exists()
        assert not LogEntry.objects.filter(action=RIGHTS_LOOKUP_ACTION, youth_pseudonym=bsn_pseudonym(bsn)).exists()
    assert LogEntry.objects.filter(action=ALERT_ACTION, actor_id=staff.pk).count() == 1
    alert = Notification.objects.get(recipient=manager, kind="bsn_enumeration_alert")
    assert not any(bsn in alert.subject or bsn in str(alert.context) for bsn in bsns)


def test_a_rights_request_cannot_be_deleted(region, municipality, staff):
    (bsn,) = _youths_in(municipality.cbs_code, 1)
    client_for(staff, region).post(reverse("rights:request_register"), _form(bsn))
    rights_request = RightsRequest.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        rights_request.delete()
    assert RightsRequest.objects.filter(pk=rights_request.pk).exists()


def test_process_managers_see_each_staff_members_requests_per_week_with_outliers_flagged(
    region, municipality, staff, settings
):
    quiet = municipal_staff(municipality)
    manager = process_manager(region)
    bsns = _youths_in(municipality.cbs_code, 9)
    client_for(quiet, region).post(reverse("rights:request_register"), _form(bsns[0]))
    prober = client_for(staff, region)
    for bsn in bsns[1:]:
        prober.post(reverse("rights:request_register"), _form(bsn))

    response = client_for(manager, region).get(reverse("rights:staff_activity"))
    assert response.status_code == 200
    rows = {row.actor_id: row for _starts in [response.context["starts"]] for row, _weeks in response.context["rows"]}
    assert rows[staff.pk].weeks[-1] == 8 and rows[staff.pk].flagged
    assert rows[quiet.pk].weeks[-1] == 1 and not rows[quiet.pk].flagged
    page = response.content.decode()
    assert staff.full_name in page and quiet.full_name in page
    assert not any(bsn in page for bsn in bsns)


def test_the_youths_own_inzage_names_who_registered_requests_about_them(region, municipality, staff):
    (bsn,) = _youths_in(municipality.cbs_code, 1)
    snoop = municipal_staff(municipality)
    client_for(snoop, region).post(reverse("rights:request_register"), _form(bsn))
    client = client_for(staff, region)
    client.post(reverse("rights:request_register"), _form(bsn))
    own = RightsRequest.objects.filter(registered_by=staff).get()

    page = client.get(reverse("rights:request_overview", args=[own.pk])).content.decode()
    assert "Verzoeken over deze jeugdige" in page
    assert snoop.full_name in page and staff.full_name in page
