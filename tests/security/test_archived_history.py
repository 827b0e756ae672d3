"""The professional of an archived signal sees and hears nothing that arose after the archiving, on the pages and
through the API; those still active see the archived signal as history, labelled, and it is never e-mailed."""

import pytest
from django.urls import reverse

from matching.models import MatchParticipation
from matching.services import match_detect
from notifications.models import Notification
from signals.models import EndReason
from signals.services import signal_end
from tests.accounts.factories import professional
from tests.api.conftest import ApiCaller
from tests.api.factories import api_client_with_token
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(region):
    youth = YouthFactory()
    archived_org = OrganisationFactory(region=region, name="Oude Organisatie")
    archived = SignalFactory(
        youth=youth, organisation=archived_org, professional=professional(archived_org), contact_name="Oud Contact"
    )
    active = SignalFactory(youth=youth, organisation=OrganisationFactory(region=region), contact_name="Blijft Actief")
    for signal in (archived, active):
        match_detect(signal_id=signal.pk)
    signal_end(signal=archived, reason=EndReason.CONCERN_GONE, actor=archived.professional)
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    newcomer = SignalFactory(youth=youth, organisation=OrganisationFactory(region=region), contact_name="Nieuwe Nadia")
    match_detect(signal_id=newcomer.pk)
    match = MatchParticipation.objects.get(signal=archived).match
    assert MatchParticipation.objects.get(signal=newcomer).match == match  # the newcomer joined the same match
    return archived, active, newcomer, match, before


def test_the_archived_signals_professional_sees_no_newcomer_on_the_pages(history, region):
    archived, _active, newcomer, match, _before = history
    client = client_for(archived.professional, region)
    page = client.get(reverse("matching:match", args=[match.reference])).content.decode()
    overview = client.get(reverse("matching:my_matches")).content.decode()
    for html in (page, overview):
        assert "Blijft Actief" in html  # the match as it was at the archiving
        assert "Nieuwe Nadia" not in html and newcomer.contact_email not in html
    # no hand-over, no follow-up: history only
    assert client.get(reverse("matching:follow_up", args=[match.reference])).status_code == 404


def test_the_archived_signals_professional_sees_no_newcomer_through_the_api(history):
    archived, _active, newcomer, _match, _before = history
    api = ApiCaller(api_client_with_token(archived.organisation)[1])
    response = api.get(f"/api/v1/signals/{archived.pk}/matches/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Blijft Actief" in body
    assert "Nieuwe Nadia" not in body and newcomer.reference not in body


def test_the_archived_signal_is_never_emailed(history):
    archived, active, newcomer, _match, before = history
    sent = Notification.objects.filter(pk__gt=before)
    recipients = set(sent.values_list("recipient_id", flat=True))
    assert recipients == {active.professional_id, newcomer.professional_id}
    assert archived.professional_id not in recipients


def test_the_active_see_the_archived_signal_as_labelled_history_with_its_contact_details(history, region):
    archived, _active, newcomer, match, _before = history
    html = client_for(newcomer.professional, region).get(reverse("matching:match", args=[match.reference]))
    html = html.content.decode()
    assert "Oud Contact" in html and archived.contact_email in html and "gearchiveerd" in html
    api = ApiCaller(api_client_with_token(newcomer.organisation)[1])
    (shown,) = [
        p
        for p in api.get(f"/api/v1/signals/{newcomer.pk}/matches/").json()["match"]["participants"]
        if p["reference"] == archived.reference
    ]
    assert shown["archived"] and shown["professional"]["name"] == "Oud Contact"


def test_a_match_that_arises_after_the_archiving_is_not_shown_to_the_archived_signals_professional(region):
    """Archived alone (no match yet), then a newcomer on the same youth: the match arises with the archived signal
    as history for the newcomer, and the archived signal's professional sees nothing of it, on pages or the API."""
    youth = YouthFactory()
    archived_org = OrganisationFactory(region=region)
    archived = SignalFactory(youth=youth, organisation=archived_org, professional=professional(archived_org))
    match_detect(signal_id=archived.pk)
    signal_end(signal=archived, reason=EndReason.CONCERN_GONE, actor=archived.professional)
    assert not MatchParticipation.objects.filter(signal=archived).exists()
    newcomer = SignalFactory(youth=youth, organisation=OrganisationFactory(region=region), contact_name="Nieuwe Nadia")
    match_detect(signal_id=newcomer.pk)
    match = MatchParticipation.objects.get(signal=archived).match  # the archived signal is history in it
    assert MatchParticipation.objects.get(signal=newcomer).match == match

    client = client_for(archived.professional, region)
    assert client.get(reverse("matching:match", args=[match.reference])).status_code == 404
    overview = client.get(reverse("matching:my_matches")).content.decode()
    assert match.reference not in overview and "Nieuwe Nadia" not in overview
    api = ApiCaller(api_client_with_token(archived_org)[1])
    response = api.get(f"/api/v1/signals/{archived.pk}/matches/")
    assert response.status_code == 200 and response.json()["match"] is None
    # the newcomer sees the archived signal as history
    shown = client_for(newcomer.professional, region).get(reverse("matching:match", args=[match.reference]))
    assert archived.contact_email in shown.content.decode()
