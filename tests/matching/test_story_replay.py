"""What a user still saw when the story of issue 15 was replayed with the demo data (three sisters, two regions).

Mother 999999126's children live in 's-Gravenhage (Haaglanden); one professional in Midden-Nederland, two in
Haaglanden; later a fourth professional signals the half-sister.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from matching.models import MatchParticipation
from matching.selectors import match_counts_for_signals
from signals.models import EndReason
from signals.services import signal_end
from tests.accounts.factories import professional
from tests.conftest import client_for
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MAYA, MIRA, MEIKE, MIRTHE = "999970021", "999970033", "999970045", "999999151"
# every child is well under 23 on these days, whatever day the tests run
DAY = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def family(brp_youth, place, haaglanden, utrecht_region):
    """Maya signalled in Midden-Nederland, her half-sisters Mira and Meike in Haaglanden, one match."""
    with time_machine.travel(DAY, tick=True):
        maya = place(youth=brp_youth(MAYA), organisation=OrganisationFactory(region=utrecht_region))
        mira = place(youth=brp_youth(MIRA), organisation=OrganisationFactory(region=haaglanden))
        meike = place(youth=brp_youth(MEIKE), organisation=OrganisationFactory(region=haaglanden))
    return maya, mira, meike, MatchParticipation.objects.get(signal=maya).match


def _archive_meike_then_signal_mirthe(family, brp_youth, place, haaglanden):
    maya, mira, meike, match = family
    with time_machine.travel(DAY + datetime.timedelta(days=2), tick=True):
        signal_end(signal=meike, reason=EndReason.CONCERN_GONE, actor=meike.professional)
    with time_machine.travel(DAY + datetime.timedelta(days=5), tick=True):
        mirthe = place(youth=brp_youth(MIRTHE), organisation=OrganisationFactory(region=haaglanden))
    assert MatchParticipation.objects.get(signal=mirthe).match == match
    meike.refresh_from_db()
    return mirthe


def test_the_match_count_of_an_archived_signal_does_not_grow_with_signals_placed_after_the_archiving(
    family, brp_youth, place, haaglanden
):
    maya, mira, meike, match = family
    assert match_counts_for_signals([meike.pk]) == {meike.pk: 2}
    mirthe = _archive_meike_then_signal_mirthe(family, brp_youth, place, haaglanden)

    # Meike's professional: still the two of her time, in the list of signals and on the signal's page
    assert match_counts_for_signals([meike.pk, mira.pk]) == {meike.pk: 2, mira.pk: 3}
    client = client_for(meike.professional, haaglanden)
    assert client.get(reverse("signals:detail", args=[meike.pk])).context["match_count"] == 2
    listed = {s.pk: s.match_count for s in client.get(reverse("signals:list")).context["archived"]}
    assert listed == {meike.pk: 2}
    # the newcomer's own count includes the archived signal as history
    assert match_counts_for_signals([mirthe.pk])[mirthe.pk] == 3


def test_the_api_shows_an_archived_signals_professional_no_follow_up_recorded_after_the_archiving(
    family, brp_youth, place, haaglanden
):
    from matching.services import match_follow_up_record
    from tests.api.conftest import ApiCaller
    from tests.api.factories import api_client_with_token

    maya, mira, meike, match = family
    mirthe = _archive_meike_then_signal_mirthe(family, brp_youth, place, haaglanden)
    match.refresh_from_db()
    coordinator = match.coordinator_signal
    with time_machine.travel(DAY + datetime.timedelta(days=6), tick=True):
        others = [s for s in (maya, mira, mirthe) if s.pk != coordinator.pk]
        match_follow_up_record(
            match=match,
            actor=coordinator.professional,
            contacts=dict.fromkeys([s.pk for s in others], datetime.date(2027, 3, 6)),
            coordination_agreed_on=datetime.date(2027, 3, 6),
        )
        _, token = api_client_with_token(meike.organisation)
        answer = ApiCaller(token).get(f"/api/v1/signals/{meike.pk}/matches/").json()["match"]
        active_view = ApiCaller(api_client_with_token(mirthe.organisation)[1]).get(
            f"/api/v1/signals/{mirthe.pk}/matches/"
        )
    # as on the page: the follow-up is not shown to a professional whose signal is archived
    assert answer["coordination_agreed_on"] is None
    assert {p["contact_made_on"] for p in answer["participants"]} == {None}
    assert mirthe.reference not in {p["reference"] for p in answer["participants"]}
    # those still at work in the match see it
    body = active_view.json()["match"]
    assert body["coordination_agreed_on"] == "2027-03-06"
    assert "2027-03-06" in {p["contact_made_on"] for p in body["participants"]}


def _new_matches_task(user, region) -> list[str]:
    # a new session each time: the days the test travels through would end an idle one
    page = client_for(user, region).get("/")
    groups = [g for _, section in page.context["sections"] for g in section if str(g.title) == "Nieuwe matches"]
    return [task.text for task in groups[0].tasks]


def test_the_start_page_counts_matches_with_newcomers_not_the_newcomers_on_every_page_of_my_matches(
    family, brp_youth, place, haaglanden, utrecht_region
):
    from tests.matching.factories import SignalFactory, match_of
    from tests.persons.factories import YouthFactory

    maya, mira, meike, match = family
    # one match, two professionals joined Maya's: one match with news, not "2 nieuwe match(es)"
    assert _new_matches_task(maya.professional, utrecht_region) == ["1 match met nieuwe betrokkenen in Mijn matches"]
    with time_machine.travel(DAY + datetime.timedelta(days=1), tick=True):
        # ten newer matches of Maya's professional fill the first page of "My matches"; all seen
        for _ in range(10):
            youth = YouthFactory()
            own = SignalFactory(youth=youth, professional=maya.professional, organisation=maya.organisation)
            match_of(own, SignalFactory(youth=youth, organisation=OrganisationFactory(region=utrecht_region)))
    with time_machine.travel(DAY + datetime.timedelta(days=2), tick=True):
        client_for(maya.professional, utrecht_region).post(reverse("matching:my_matches_seen"))
    assert _new_matches_task(maya.professional, utrecht_region) == []
    # someone joins the family's match, now on the second page
    with time_machine.travel(DAY + datetime.timedelta(days=3), tick=True):
        place(youth=brp_youth(MIRTHE), organisation=OrganisationFactory(region=haaglanden))
        assert _new_matches_task(maya.professional, utrecht_region) == [
            "1 match met nieuwe betrokkenen in Mijn matches"
        ]


def test_an_archived_signals_professional_is_not_told_of_newcomers_on_the_start_page(
    family, brp_youth, place, haaglanden
):
    maya, mira, meike, match = family
    with time_machine.travel(DAY + datetime.timedelta(days=1), tick=True):
        client_for(meike.professional, haaglanden).post(reverse("matching:my_matches_seen"))
    _archive_meike_then_signal_mirthe(family, brp_youth, place, haaglanden)
    with time_machine.travel(DAY + datetime.timedelta(days=6), tick=True):
        assert _new_matches_task(meike.professional, haaglanden) == []


def test_the_link_of_a_hand_over_e_mail_that_no_longer_waits_leads_to_the_match_with_a_word_why(family, haaglanden):
    maya, mira, meike, match = family
    match.refresh_from_db()
    coordinator = match.coordinator_signal
    first, second = [s for s in (maya, mira, meike) if s.pk != coordinator.pk]
    giver = client_for(coordinator.professional, coordinator.organisation.region)
    giver.post(reverse("matching:handover_propose", args=[match.reference]), {"signal": first.pk})
    # the coordinator asks the other one instead: the first e-mail's link is stale
    giver.post(reverse("matching:handover_propose", args=[match.reference]), {"signal": second.pk})
    stale = client_for(first.professional, first.organisation.region)
    page = stale.get(reverse("matching:handover", args=[match.reference]), follow=True)
    assert page.redirect_chain == [(reverse("matching:match", args=[match.reference]), 302)]
    assert "Er wacht geen overdracht van de matchregie van match" in page.content.decode()
    # deciding on it is still refused
    assert stale.post(reverse("matching:handover", args=[match.reference]), {"decision": "accept"}).status_code == 404
    match.refresh_from_db()
    assert match.coordinator_signal == coordinator and match.proposed_signal == second
    # someone outside the match still gets nothing
    outsider = client_for(professional(OrganisationFactory(region=haaglanden)), haaglanden)
    assert outsider.get(reverse("matching:handover", args=[match.reference])).status_code == 404


def test_each_professional_in_the_table_and_in_my_matches_is_shown_with_their_youth_as_broer_zus_and_its_year(
    family, utrecht_region
):
    maya, mira, meike, match = family
    client = client_for(maya.professional, utrecht_region)
    page = client.get(reverse("matching:match", args=[match.reference]))
    rows = {p.signal.pk: p for p in page.context["view"].participants}
    assert rows[mira.pk].youth_label == "broer/zus" and rows[mira.pk].youth_birth_year == 2017
    assert rows[maya.pk].youth_birth_year is None  # her own youth, by name
    html = page.content.decode()
    table = html[html.index("<table") :]
    # Mira and Meike (2017) in the table, each next to their professional; never by name
    assert table.count("broer/zus (geboren in 2017)") == 2 and "Mira" not in html and "Meike" not in html
    overview = client.get(reverse("matching:my_matches")).content.decode()
    for signal in (mira, meike):
        assert f"{signal.contact_name}, {signal.organisation.name} — broer/zus (geboren in 2017)" in overview


def test_the_coordinators_own_row_does_not_read_as_contact_still_missing(family, haaglanden, utrecht_region):
    maya, mira, meike, match = family
    match.refresh_from_db()
    coordinator = match.coordinator_signal
    client = client_for(maya.professional, utrecht_region)
    html = client.get(reverse("matching:match", args=[match.reference])).content.decode()
    rows = html[html.index("<tbody") :].split("</tr>")
    (own_row,) = [row for row in rows if coordinator.contact_name in row]
    # nobody records contact with the coordinator (the follow-up form has no field for them)
    assert "n.v.t. (matchregisseur)" in own_row and "nog niet" not in own_row
    assert sum("nog niet" in row for row in rows) == 2


def test_a_professional_joining_an_existing_match_is_told_as_new_participants_in_it_not_as_a_new_match(
    brp_youth, place, haaglanden, utrecht_region
):
    from django.core import mail

    with time_machine.travel(DAY, tick=True):
        maya = place(youth=brp_youth(MAYA), organisation=OrganisationFactory(region=utrecht_region))
        mira = place(youth=brp_youth(MIRA), organisation=OrganisationFactory(region=haaglanden))
        reference = MatchParticipation.objects.get(signal=maya).match.reference
        first = {m.to[0]: m for m in mail.outbox}
        assert first[maya.contact_email].subject.startswith(f"Verwijsindex: nieuwe match {reference} ")
        assert "een nieuwe match ontstaan: match " + reference in first[mira.contact_email].body
        mail.outbox.clear()
        meike = place(youth=brp_youth(MEIKE), organisation=OrganisationFactory(region=haaglanden))
    later = {m.to[0]: m for m in mail.outbox}
    assert set(later) == {maya.contact_email, mira.contact_email, meike.contact_email}
    for message in later.values():
        # the same match, its reference known to those in it: no "nieuwe match" a second and third time
        assert f"nieuwe betrokkenen bij match {reference}" in message.subject
        assert "nieuwe match" not in message.subject and "een nieuwe match ontstaan" not in message.body
        assert f"Er zijn nieuwe betrokkenen bij match {reference}" in message.body
        html = message.alternatives[0][0] if message.alternatives else ""
        assert f"Er zijn nieuwe betrokkenen bij match {reference}" in html


def test_contact_with_a_later_joiner_cannot_be_recorded_before_the_day_they_joined(
    family, brp_youth, place, haaglanden
):
    from matching.exceptions import MatchActionRefused
    from matching.services import match_follow_up_record

    maya, mira, meike, match = family
    with time_machine.travel(DAY + datetime.timedelta(days=5), tick=True):
        mirthe = place(youth=brp_youth(MIRTHE), organisation=OrganisationFactory(region=haaglanden))
    match.refresh_from_db()
    coordinator = match.coordinator_signal
    url = reverse("matching:follow_up", args=[match.reference])
    with time_machine.travel(DAY + datetime.timedelta(days=8), tick=True):
        client = client_for(coordinator.professional, coordinator.organisation.region)
        # the match arose on 1 March, Mirthe's professional joined on 6 March: no contact with them on 2 March
        page = client.post(url, {f"contact_{mirthe.pk}": "02-03-2027"})
        assert page.status_code == 200
        assert "Deze datum ligt vóór de dag waarop deze professional bij de match kwam (06-03-2027)." in (
            page.content.decode()
        )
        with pytest.raises(MatchActionRefused):
            match_follow_up_record(
                match=match,
                actor=coordinator.professional,
                contacts={mirthe.pk: datetime.date(2027, 3, 2)},
                coordination_agreed_on=None,
            )
        assert MatchParticipation.objects.get(signal=mirthe).contact_made_on is None
        # an older participant's contact may be on 2 March, Mirthe's from 6 March on
        other = next(s for s in (maya, mira, meike) if s.pk != coordinator.pk)
        page = client.post(url, {f"contact_{other.pk}": "02-03-2027", f"contact_{mirthe.pk}": "06-03-2027"})
        assert page.status_code == 302, page.content.decode()[:2000]
    assert MatchParticipation.objects.get(signal=mirthe).contact_made_on == datetime.date(2027, 3, 6)
    assert MatchParticipation.objects.get(signal=other).contact_made_on == datetime.date(2027, 3, 2)


def test_a_match_around_a_youth_in_a_municipality_no_region_serves_still_has_one_monitor(
    brp_youth, place, haaglanden, utrecht_region
):
    from matching.monitor import matches_overdue

    half_in_ede, half_in_utrecht = "999995996", "999995984"  # share their father; Ede is served by no region
    with time_machine.travel(DAY, tick=True):
        first = place(youth=brp_youth(half_in_ede), organisation=OrganisationFactory(region=utrecht_region))
        place(youth=brp_youth(half_in_utrecht), organisation=OrganisationFactory(region=haaglanden))
    match = MatchParticipation.objects.get(signal=first).match
    # the earliest active signal's youth lives in Ede: the region of that signal's organisation monitors the match
    assert match.region == utrecht_region
    later = DAY + datetime.timedelta(days=utrecht_region.followup_days + 1)
    assert list(matches_overdue(region=utrecht_region, as_of=later)) == [match]
    assert list(matches_overdue(region=haaglanden, as_of=later)) == []


def test_an_api_call_that_records_afgestemd_keeps_the_contact_dates_recorded_on_the_page(family, utrecht_region):
    from tests.api.conftest import ApiCaller
    from tests.api.factories import api_client_with_token

    maya, mira, meike, match = family
    match.refresh_from_db()
    coordinator = match.coordinator_signal
    others = [s for s in (maya, mira, meike) if s.pk != coordinator.pk]
    with time_machine.travel(DAY + datetime.timedelta(days=4), tick=True):
        client = client_for(coordinator.professional, coordinator.organisation.region)
        page = client.post(
            reverse("matching:follow_up", args=[match.reference]),
            {f"contact_{others[0].pk}": "02-03-2027", f"contact_{others[1].pk}": "03-03-2027"},
        )
        assert page.status_code == 302
        api = ApiCaller(api_client_with_token(coordinator.organisation)[1])
        answer = api.post(
            f"/api/v1/signals/{coordinator.pk}/follow-up/",
            {"contact_made_on": None, "coordination_agreed_on": "2027-03-04"},
        )
        assert answer.status_code == 200, answer.content
        # and a contact date sent without afgestemd keeps the afgestemd date
        assert (
            api.post(
                f"/api/v1/signals/{coordinator.pk}/follow-up/",
                {"contact_made_on": "2027-03-04", "coordination_agreed_on": None},
            ).status_code
            == 200
        )
    match.refresh_from_db()
    assert match.coordination_agreed_on == datetime.date(2027, 3, 4)
    dates = dict(MatchParticipation.objects.filter(match=match).values_list("signal_id", "contact_made_on"))
    assert dates[others[0].pk] == dates[others[1].pk] == datetime.date(2027, 3, 4)


def test_an_api_call_with_only_afgestemd_does_not_wipe_the_contact_dates(family, utrecht_region):
    from tests.api.conftest import ApiCaller
    from tests.api.factories import api_client_with_token

    maya, mira, meike, match = family
    match.refresh_from_db()
    coordinator = match.coordinator_signal
    others = [s for s in (maya, mira, meike) if s.pk != coordinator.pk]
    with time_machine.travel(DAY + datetime.timedelta(days=4), tick=True):
        client = client_for(coordinator.professional, coordinator.organisation.region)
        client.post(
            reverse("matching:follow_up", args=[match.reference]),
            {f"contact_{others[0].pk}": "02-03-2027", f"contact_{others[1].pk}": "03-03-2027"},
        )
        api = ApiCaller(api_client_with_token(coordinator.organisation)[1])
        api.post(
            f"/api/v1/signals/{coordinator.pk}/follow-up/",
            {"contact_made_on": None, "coordination_agreed_on": "2027-03-04"},
        )
    dates = dict(MatchParticipation.objects.filter(match=match).values_list("signal_id", "contact_made_on"))
    assert (dates[others[0].pk], dates[others[1].pk]) == (datetime.date(2027, 3, 2), datetime.date(2027, 3, 3))


def test_coordination_is_agreed_only_after_contact_with_everyone_in_every_way_in(family):
    """The page's form refused "afgestemd" before contact with everyone; the service (and so the API) did not."""
    from matching.exceptions import MatchActionRefused
    from matching.services import match_follow_up_record

    *signals, match = family
    coordinator = match.coordinator_signal
    others = [s for s in signals if s.pk != coordinator.pk]
    with time_machine.travel(DAY + datetime.timedelta(days=8), tick=True):
        with pytest.raises(MatchActionRefused, match="Leg eerst vast dat er met iedere betrokkene contact is"):
            match_follow_up_record(
                match=match,
                actor=coordinator.professional,
                contacts={others[0].pk: datetime.date(2027, 3, 3)},
                coordination_agreed_on=datetime.date(2027, 3, 4),
            )
        with pytest.raises(MatchActionRefused, match="De afstemming kan niet vóór het contact liggen"):
            match_follow_up_record(
                match=match,
                actor=coordinator.professional,
                contacts=dict.fromkeys((s.pk for s in others), datetime.date(2027, 3, 5)),
                coordination_agreed_on=datetime.date(2027, 3, 4),
            )
        match.refresh_from_db()
        assert match.coordination_agreed_on is None
        match_follow_up_record(
            match=match,
            actor=coordinator.professional,
            contacts=dict.fromkeys((s.pk for s in others), datetime.date(2027, 3, 3)),
            coordination_agreed_on=datetime.date(2027, 3, 4),
        )
        match.refresh_from_db()
        assert match.coordination_agreed_on == datetime.date(2027, 3, 4)
