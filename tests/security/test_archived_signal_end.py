"""Finding 6 of issue 16: an archived signal cannot be ended a second time, by any way in.

The attack: end a signal with "concern gone" (archived, kept 5 years as history for new parties), then end it again
with "placed wrongly", which would destroy the archive at once. The browser view refused it; the API did not.
"""

import pytest

from signals import services
from signals.exceptions import SignalNotActive
from signals.models import Signal
from tests.api.test_authentication import assert_error
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


def test_the_api_cannot_destroy_an_archived_signal(api_a, org_a, prof_a):
    signal = SignalFactory(professional=prof_a, organisation=org_a)
    assert api_a.post(f"/api/v1/signals/{signal.pk}/end/", {"reason": "concern_gone"}).status_code == 200
    response = api_a.post(f"/api/v1/signals/{signal.pk}/end/", {"reason": "placed_wrongly"})
    assert_error(response, 422, "signal_not_active")
    signal.refresh_from_db()
    assert signal.status == "archived" and signal.end_reason == "concern_gone"


def test_the_service_itself_refuses_to_end_an_archived_signal_again(org_a, prof_a):
    signal = SignalFactory(professional=prof_a, organisation=org_a)
    services.signal_end(signal=signal, reason="concern_gone", actor=prof_a)
    with pytest.raises(SignalNotActive):
        services.signal_end(signal=signal, reason="placed_wrongly", actor=prof_a)
    assert Signal.objects.get(pk=signal.pk).status == "archived"
