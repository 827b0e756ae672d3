"""Cover (waarneming): a colleague of the same organisation acts for an absent professional for a while."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import LogEntry
from notifications.models import Notification
from signals.exceptions import CoverRefused
from signals.models import Cover
from signals.selectors import (
    cover_names_for_signals,
    mail_recipients_for_signal,
    may_act_on_signal,
    signals_covered_by,
)
from signals.services import cover_create, cover_withdraw, signal_extend
from tests.accounts.factories import organisation_coordinator, professional
from tests.conftest import client_for
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import SignalFactory, informed

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def signal(organisation, professional_user):
    with at(datetime.date(2026, 12, 1)):
        return SignalFactory(professional=professional_user, organisation=organisation)


def cover(organisation, absent, covering, *, actor=None, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=13)):
    return cover_create(
        organisation=organisation,
        absent=absent,
        covering=covering,
        starts_on=starts_on,
        ends_on=ends_on,
        actor=actor or absent,
        as_of=TODAY,
    )


def test_covering_colleague_receives_the_mail_and_may_act_from_the_first_to_the_last_day(
    organisation, professional_user, colleague, signal
):
    cover(organisation, professional_user, colleague, starts_on=TODAY + datetime.timedelta(days=1))
    first, last = TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=13)
    assert mail_recipients_for_signal(signal=signal, as_of=TODAY) == [professional_user]
    assert not may_act_on_signal(user=colleague, signal=signal, as_of=TODAY)
    for day in (first, last):
        assert mail_recipients_for_signal(signal=signal, as_of=day) == [professional_user, colleague]
        assert may_act_on_signal(user=colleague, signal=signal, as_of=day)
        assert list(signals_covered_by(user=colleague, as_of=day)) == [signal]
        assert cover_names_for_signals([signal.pk], as_of=day) == {signal.pk: [colleague.full_name]}
    # it ends by itself
    after = last + datetime.timedelta(days=1)
    assert mail_recipients_for_signal(signal=signal, as_of=after) == [professional_user]
    assert not may_act_on_signal(user=colleague, signal=signal, as_of=after)
    assert cover_names_for_signals([signal.pk], as_of=after) == {}


def test_the_logbook_shows_who_acted_during_a_cover(organisation, professional_user, colleague, signal):
    cover(organisation, professional_user, colleague)
    with at(TODAY):
        signal_extend(signal=signal, actor=colleague, informing=informed(TODAY))
    entry = LogEntry.objects.get(action="signal_extended")
    assert entry.actor_id == colleague.pk
    assert entry.details["on_behalf_of_user_id"] == professional_user.pk and entry.details["acted_as"] == "cover"
    created = LogEntry.objects.get(action="cover_created")
    assert created.details["covering_user_id"] == colleague.pk


def test_the_coordinator_names_the_cover_and_the_colleague_is_told(organisation, professional_user, colleague):
    coordinator = organisation_coordinator(organisation)
    made = cover(organisation, professional_user, colleague, actor=coordinator)
    assert made.created_by == coordinator
    assert Notification.objects.get(kind="cover_assigned").recipient == colleague


def test_cover_outside_the_organisation_is_refused(organisation, professional_user):
    outsider = professional(OrganisationFactory(region=organisation.region))
    with pytest.raises(CoverRefused, match="dezelfde organisatie"):
        cover(organisation, professional_user, outsider)
    assert not Cover.objects.exists()


def test_cover_in_the_past_is_refused(organisation, professional_user, colleague):
    with pytest.raises(CoverRefused, match="verleden"):
        cover(organisation, professional_user, colleague, starts_on=TODAY - datetime.timedelta(days=1))


def test_cover_ending_before_it_starts_or_longer_than_a_year_is_refused(organisation, professional_user, colleague):
    with pytest.raises(CoverRefused, match="vóór de begindatum"):
        cover(organisation, professional_user, colleague, ends_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(CoverRefused, match="hoogstens een jaar"):
        cover(organisation, professional_user, colleague, ends_on=TODAY + datetime.timedelta(days=400))


def test_cover_for_oneself_or_by_another_professional_is_refused(organisation, professional_user, colleague):
    with pytest.raises(CoverRefused, match="niet voor zichzelf"):
        cover(organisation, professional_user, professional_user)
    third = professional(organisation)
    with pytest.raises(CoverRefused, match="coördinator"):
        cover(organisation, professional_user, colleague, actor=third)


def test_a_withdrawn_cover_stops_at_once(organisation, professional_user, colleague, signal):
    made = cover(organisation, professional_user, colleague)
    cover_withdraw(cover=made, actor=professional_user)
    assert not may_act_on_signal(user=colleague, signal=signal, as_of=TODAY)
    assert LogEntry.objects.filter(action="cover_withdrawn").exists()


def test_covering_colleague_sees_the_signal_in_my_signals_and_can_open_it(
    organisation, professional_user, colleague, signal, region
):
    cover(organisation, professional_user, colleague)
    with at(TODAY):
        client = client_for(colleague, region)
        listing = client.get(reverse("signals:list"))
        assert [s.pk for s in listing.context["covered"]] == [signal.pk]
        detail = client.get(reverse("signals:detail", args=[signal.pk]))
        assert detail.status_code == 200 and "U neemt waar voor" in detail.content.decode()
    with at(TODAY + datetime.timedelta(days=14)):
        assert client_for(colleague, region).get(reverse("signals:detail", args=[signal.pk])).status_code == 404


def test_cover_pages_record_a_cover_and_show_refusals(organisation, professional_user, colleague, region):
    coordinator = organisation_coordinator(organisation)
    with at(TODAY):
        own = client_for(professional_user, region).post(
            reverse("signals:cover_own"),
            {"covering": colleague.pk, "starts_on": "2027-02-01", "ends_on": "2027-03-10"},
        )
        assert own.status_code == 200 and "verleden" in own.content.decode()
        response = client_for(coordinator, region).post(
            reverse("signals:organisation_covers"),
            {
                "absent": professional_user.pk,
                "covering": colleague.pk,
                "starts_on": "2027-03-01",
                "ends_on": "2027-03-10",
            },
        )
    assert response.status_code == 302
    made = Cover.objects.get()
    assert (made.absent, made.covering, made.created_by) == (professional_user, colleague, coordinator)


def test_cover_page_offers_only_colleagues_of_the_organisation(organisation, professional_user, colleague, region):
    outsider = professional(OrganisationFactory(region=organisation.region))
    with at(TODAY):
        response = client_for(professional_user, region).post(
            reverse("signals:cover_own"), {"covering": outsider.pk, "starts_on": "2027-03-01", "ends_on": "2027-03-10"}
        )
    assert response.status_code == 200 and "Kies een collega uit de lijst" in response.content.decode()
    assert not Cover.objects.exists()


def _reminders_on(day, signal, *, cover_starts_on, absent, colleague, organisation):
    from signals.lifecycle import signals_remind

    with at(day):
        cover_create(
            organisation=organisation,
            absent=absent,
            covering=colleague,
            starts_on=cover_starts_on,
            ends_on=cover_starts_on + datetime.timedelta(days=6),
            actor=absent,
            as_of=day,
        )
        signals_remind(as_of=day)
    return {n.recipient: n for n in Notification.objects.filter(kind="signal_expiry_reminder")}


def test_the_expiry_reminder_goes_to_the_covering_colleague_too(organisation, professional_user, colleague, signal):
    day = signal.ends_on - datetime.timedelta(weeks=organisation.region.reminder_weeks)
    reminders = _reminders_on(
        day, signal, cover_starts_on=day, absent=professional_user, colleague=colleague, organisation=organisation
    )
    assert set(reminders) == {professional_user, colleague}
    copy = reminders[colleague]
    assert copy.context["covering_for"] == signal.contact_name and copy.context["name"] == colleague.full_name
    assert signal.reference in copy.subject and reminders[professional_user].context["covering_for"] == ""


def test_the_expiry_reminder_goes_to_no_cover_that_has_not_started(organisation, professional_user, colleague, signal):
    day = signal.ends_on - datetime.timedelta(weeks=organisation.region.reminder_weeks)
    reminders = _reminders_on(
        day,
        signal,
        cover_starts_on=day + datetime.timedelta(days=1),
        absent=professional_user,
        colleague=colleague,
        organisation=organisation,
    )
    assert set(reminders) == {professional_user}


def test_the_covering_colleague_sees_the_match_count_without_a_link_to_a_match_page_that_is_not_theirs(
    organisation, professional_user, colleague, signal, region
):
    from matching.models import MatchKind, MatchLink

    other = SignalFactory(organisation=organisation)
    low, high = sorted((signal, other), key=lambda s: s.pk)
    MatchLink.objects.create(signal_a=low, signal_b=high, kind=MatchKind.ADDRESS)
    cover(organisation, professional_user, colleague)
    matches_url = reverse("matching:signal_matches", args=[signal.pk])
    with at(TODAY):
        client = client_for(colleague, region)
        listing = client.get(reverse("signals:list")).content.decode()
        detail = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
        assert client.get(matches_url).status_code == 404
        own_detail = client_for(professional_user, region).get(reverse("signals:detail", args=[signal.pk]))
    assert signal.reference in listing and matches_url not in listing
    assert "U neemt waar" in detail and matches_url not in detail
    assert matches_url in own_detail.content.decode()
