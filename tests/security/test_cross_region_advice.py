"""Issue #16 finding 7: an objection in one region about a signal of a professional of another region.

Matches are national, so an inzage lists signals of every region and an objection asks advice of their
professionals, wherever they work. The task must be answerable on the professional's own host, and the
e-mail must link there: otherwise the objection misses its legal deadline.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from notifications.models import Notification
from rights.models import AdviceTask
from rights.services import rights_advice_request
from tests.accounts.factories import professional
from tests.conftest import client_for, host_of
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory
from tests.rights.conftest import register
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


def test_advice_asked_across_regions_is_answered_on_the_professionals_own_host(
    region, other_region, municipality, staff
):
    far_organisation = OrganisationFactory(region=other_region)
    far_professional = professional(far_organisation)
    youth = YouthFactory(bsn="111222333", birth_date=datetime.date(2012, 3, 15), municipality_code="0344")
    signal = SignalFactory(youth=youth, organisation=far_organisation, professional=far_professional)
    objection = register(staff, municipality, kind="objection", bsn="111222333")
    (task,) = rights_advice_request(rights_request=objection, signal_ids=[signal.pk], actor=staff)

    notice = Notification.objects.get(recipient=far_professional, kind="rights_advice_requested")
    link = urlsplit(notice.context["url"])
    assert link.hostname == host_of(other_region)

    own_host = client_for(far_professional, other_region)
    assert task.signal_reference in own_host.get(reverse("rights:advice_list")).content.decode()
    assert own_host.get(link.path).status_code == 200
    answered = own_host.post(link.path, {"advice": "keep", "advice_text": "Zorg loopt nog."})
    assert answered.status_code == 302
    assert AdviceTask.objects.get(pk=task.pk).given_at is not None
