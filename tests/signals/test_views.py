"""Pages of the signals app: my signals, detail, ending, the placed page, and coordinators' transfers."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Membership
from audit.models import LogEntry
from signals.models import Signal, SignalStatus
from tests.accounts.factories import organisation_coordinator, professional
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal(professional_user, organisation):
    return SignalFactory(professional=professional_user, organisation=organisation)


def signal_pages(signal):
    return [
        reverse("signals:detail", args=[signal.pk]),
        reverse("signals:end", args=[signal.pk]),
        reverse("signals:placed", args=[signal.pk]),
    ]


def test_my_signals_lists_own_active_and_archived_signals_only(professional_user, organisation, colleague, region):
    mine = SignalFactory(professional=professional_user, organisation=organisation, youth__surname="Eigen")
    SignalFactory(professional=professional_user, organisation=organisation, status=SignalStatus.ARCHIVED)
    SignalFactory(professional=colleague, organisation=organisation, youth__surname="Vreemd")
    response = client_for(professional_user, region).get(reverse("signals:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert mine.reference in content and "Eigen" in content
    assert "Vreemd" not in content
    assert len(response.context["active"]) == 1 and len(response.context["archived"]) == 1


def test_detail_shows_the_youth_without_bsn_and_logs_the_view(professional_user, region, signal):
    response = client_for(professional_user, region).get(reverse("signals:detail", args=[signal.pk]))
    assert response.status_code == 200
    assert signal.youth.full_name in response.content.decode()
    assert LogEntry.objects.filter(action="youth_data_viewed", signal_id=signal.pk).exists()


def test_detail_of_a_confidential_youth_hides_the_address(professional_user, organisation, region):
    youth = YouthFactory(confidential=True, street="Geheimstraat")
    signal = SignalFactory(professional=professional_user, organisation=organisation, youth=youth)
    response = client_for(professional_user, region).get(reverse("signals:detail", args=[signal.pk]))
    assert "Geheimstraat" not in response.content.decode()


def test_signals_of_other_professionals_are_not_found(colleague, region, signal):
    client = client_for(colleague, region)
    for url in signal_pages(signal):
        assert client.get(url).status_code == 404


def test_professional_of_another_organisation_gets_not_found(region, signal):
    outsider = professional(OrganisationFactory(region=region))
    client = client_for(outsider, region)
    for url in signal_pages(signal):
        assert client.get(url).status_code == 404


def test_user_of_another_region_is_refused(other_region, region, signal):
    outsider = professional(OrganisationFactory(region=other_region))
    client = client_for(outsider, region)
    for url in [reverse("signals:list"), reverse("signals:place"), *signal_pages(signal)]:
        assert client.get(url).status_code == 403


def test_anonymous_user_is_sent_to_login(anonymous_client, signal):
    for url in [reverse("signals:list"), reverse("signals:place"), *signal_pages(signal)]:
        response = anonymous_client.get(url)
        assert response.status_code == 302 and "/account/" in response["Location"]


def test_coordinator_may_not_use_the_professionals_pages(coordinator, region, signal):
    client = client_for(coordinator, region)
    for url in [reverse("signals:list"), reverse("signals:place"), reverse("signals:detail", args=[signal.pk])]:
        assert client.get(url).status_code == 403


def test_ending_for_concern_gone_asks_for_confirmation_then_archives(professional_user, region, signal):
    client = client_for(professional_user, region)
    url = reverse("signals:end", args=[signal.pk])
    response = client.post(url, {"reason": "concern_gone"})
    assert response.status_code == 200
    assert "Weet u het zeker" in response.content.decode()
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.ACTIVE
    response = client.post(url, {"reason": "concern_gone", "confirmed": "True"})
    assert response.status_code == 302
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.ARCHIVED


def test_ending_as_placed_wrongly_destroys_after_confirmation(professional_user, region, signal):
    client = client_for(professional_user, region)
    client.post(reverse("signals:end", args=[signal.pk]), {"reason": "placed_wrongly", "confirmed": "True"})
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_ending_without_a_reason_shows_a_dutch_message(professional_user, region, signal):
    response = client_for(professional_user, region).post(reverse("signals:end", args=[signal.pk]), {})
    assert "Kies een reden." in response.content.decode()


def test_placed_page_shows_the_archive_of_others_once(professional_user, organisation, colleague, region):
    youth = YouthFactory(birth_date=datetime.date.today() - datetime.timedelta(days=5 * 365))
    old = SignalFactory(
        professional=colleague,
        organisation=organisation,
        youth=youth,
        status=SignalStatus.ARCHIVED,
        ended_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    client = client_for(professional_user, region)
    session = client.session
    session["signal_place"] = {"youth_id": youth.pk, "organisation_id": organisation.pk, "step": 4}
    session.save()
    # the showing is decided when the signal is placed (a POST); the page after it only shows it
    placed = client.post(
        reverse("signals:place_informing"),
        {"status": "informed", "whom": ["parents"], "on": datetime.date.today().isoformat(), "how": "gesprek"},
    )
    assert placed.status_code == 302
    first = client.get(placed["Location"])
    assert [entry.pk for entry in first.context["archive"]] == [old.pk]
    assert old.contact_email in first.content.decode()
    assert client.get(placed["Location"]).status_code == 200  # opening it again changes and logs nothing
    assert LogEntry.objects.filter(action="signal_archive_shown").count() == 1
    # another session (another day) does not see it again
    later = client_for(professional_user, region).get(placed["Location"])
    assert later.context["archive"] == []
    assert old.contact_email not in later.content.decode()


# Organisation coordinators


def test_coordinator_sees_professionals_with_their_number_of_active_signals(
    coordinator, professional_user, organisation, region
):
    SignalFactory.create_batch(2, professional=professional_user, organisation=organisation)
    response = client_for(coordinator, region).get(reverse("signals:organisation_professionals"))
    assert response.status_code == 200
    counts = {m.user_id: m.active_signal_count for m in response.context["memberships"]}
    assert counts[professional_user.pk] == 2


def test_coordinator_transfers_one_signal_to_a_colleague(coordinator, colleague, region, signal):
    client = client_for(coordinator, region)
    url = reverse("signals:organisation_signal_transfer", args=[signal.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"to_professional": colleague.pk})
    assert response.status_code == 302
    assert Signal.objects.get(pk=signal.pk).professional_id == colleague.pk


def test_coordinator_cannot_transfer_to_someone_outside_the_organisation(coordinator, region, signal):
    outsider = professional(OrganisationFactory(region=region))
    response = client_for(coordinator, region).post(
        reverse("signals:organisation_signal_transfer", args=[signal.pk]), {"to_professional": outsider.pk}
    )
    assert response.status_code == 200
    assert "Kies een collega uit de lijst." in response.content.decode()
    assert Signal.objects.get(pk=signal.pk).professional_id == signal.professional_id


def test_deactivating_a_professional_with_active_signals_asks_for_the_transfer_first(
    coordinator, professional_user, colleague, region, signal
):
    membership = Membership.objects.get(user=professional_user)
    client = client_for(coordinator, region)
    url = reverse("signals:organisation_professional", args=[membership.pk])
    response = client.post(url, {"action": "deactivate"})
    assert "Draag ze eerst over" in response.content.decode()
    membership.refresh_from_db()
    assert membership.active
    response = client.post(url, {"action": "deactivate", "deactivate-to_professional": colleague.pk})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.active
    assert Signal.objects.get(pk=signal.pk).professional_id == colleague.pk


def test_coordinator_transfers_all_signals_of_a_professional(coordinator, professional_user, colleague, region, signal):
    membership = Membership.objects.get(user=professional_user)
    response = client_for(coordinator, region).post(
        reverse("signals:organisation_professional", args=[membership.pk]),
        {"action": "transfer_all", "all-to_professional": colleague.pk},
    )
    assert response.status_code == 302
    assert not Signal.objects.filter(professional=professional_user).exists()


def test_coordinator_of_another_organisation_gets_not_found(region, professional_user, signal):
    other = organisation_coordinator(OrganisationFactory(region=region))
    membership = Membership.objects.get(user=professional_user)
    client = client_for(other, region)
    assert client.get(reverse("signals:organisation_professional", args=[membership.pk])).status_code == 404
    assert client.get(reverse("signals:organisation_signal_transfer", args=[signal.pk])).status_code == 404


def test_professional_may_not_use_the_coordinators_pages(professional_user, region, signal):
    client = client_for(professional_user, region)
    membership = Membership.objects.get(user=professional_user)
    for url in [
        reverse("signals:organisation_professionals"),
        reverse("signals:organisation_professional", args=[membership.pk]),
        reverse("signals:organisation_signal_transfer", args=[signal.pk]),
    ]:
        assert client.get(url).status_code == 403


def test_coordinator_pages_refuse_anonymous_and_other_region(anonymous_client, other_region, region, signal):
    outsider = organisation_coordinator(OrganisationFactory(region=other_region))
    client = client_for(outsider, region)
    for url in [
        reverse("signals:organisation_professionals"),
        reverse("signals:organisation_signal_transfer", args=[signal.pk]),
    ]:
        assert anonymous_client.get(url).status_code == 302
        assert client.get(url).status_code == 403
