"""One professional looking up many different BSNs is stopped, and the process managers are alerted."""

import datetime
import json

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from audit.models import LogEntry
from notifications.models import Notification
from persons.guards import ALERT_ACTION, LookupRateLimited
from persons.services import youth_by_bsn
from tests.accounts.factories import process_manager


def _living_youth_bsns(count: int) -> list[tuple[str, datetime.date]]:
    """(BSN, date of birth) of living youths with a full date of birth in the test set."""
    with open(django_settings.BRP_TEST_DATA, encoding="utf-8") as handle:
        persons = json.load(handle)
    found = []
    for person in persons:
        born = (person.get("geboorte") or {}).get("datum", "0")
        if "overlijden" not in person and born[:4] >= "2005" and born[4:6] != "00" and born[6:] != "00":
            found.append((person["burgerservicenummer"], datetime.date(int(born[:4]), int(born[4:6]), int(born[6:]))))
    return found[:count]


@pytest.mark.django_db
def test_many_different_lookups_by_one_professional_are_refused_and_reported(
    brp_embedded, settings, region, professional_user
):
    settings.BSN_LOOKUP_LIMIT_PER_HOUR = 5
    manager = process_manager(region)
    request = RequestFactory().get("/", HTTP_HOST=f"{region.slug}.localhost")
    request.region = region
    request.user = professional_user
    bsns = _living_youth_bsns(7)

    for bsn, born in bsns[:5]:
        youth_by_bsn(bsn=bsn, birth_date=born, actor=professional_user, request=request)
    # looking up a youth already looked up is no enumeration
    youth_by_bsn(bsn=bsns[0][0], birth_date=bsns[0][1], actor=professional_user, request=request)

    with pytest.raises(LookupRateLimited) as refused:
        youth_by_bsn(bsn=bsns[5][0], birth_date=bsns[5][1], actor=professional_user, request=request)
    assert "procesmanager" in str(refused.value.message)
    with pytest.raises(LookupRateLimited):
        youth_by_bsn(bsn=bsns[6][0], birth_date=bsns[6][1], actor=professional_user, request=request)

    alerts = LogEntry.objects.filter(action=ALERT_ACTION, actor_id=professional_user.pk)
    assert alerts.count() == 1
    notices = Notification.objects.filter(recipient=manager, kind="bsn_enumeration_alert")
    assert notices.count() == 1
    for bsn, _born in bsns:
        assert bsn not in notices.get().subject
        assert bsn not in json.dumps(notices.get().context)


@pytest.mark.django_db
def test_a_colleague_can_still_look_up_while_one_professional_is_blocked(brp_embedded, settings, region):
    from tests.accounts.factories import professional

    settings.BSN_LOOKUP_LIMIT_PER_HOUR = 2
    first, second = professional(), professional()
    bsns = _living_youth_bsns(3)
    youth_by_bsn(bsn=bsns[0][0], birth_date=bsns[0][1], actor=first)
    youth_by_bsn(bsn=bsns[1][0], birth_date=bsns[1][1], actor=first)
    with pytest.raises(LookupRateLimited):
        youth_by_bsn(bsn=bsns[2][0], birth_date=bsns[2][1], actor=first)
    assert youth_by_bsn(bsn=bsns[2][0], birth_date=bsns[2][1], actor=second).pk
