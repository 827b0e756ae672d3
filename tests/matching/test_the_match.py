"""The match as one object (docs/adr/0001-the-match.md): one match and one matchregisseur per family, merge, split."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from matching.models import Match, MatchParticipation
from notifications.models import Notification, NotificationKind
from regions.models import CoordinatorRule, Sector, Subtype
from signals.models import EndReason
from signals.services import signal_end
from tests.conftest import client_for
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# mother 999999126 and her four children, all living in 's-Gravenhage (0518, served by Haaglanden); born 2015-2017
MOTHER = "999999126"
CHILDREN = ("999970021", "999970033", "999970045", "999999151")
# every child is well under 23 on this day, whatever day the tests run
DAY = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _org(region, sector=Sector.YOUTH_CARE, subtype=Subtype.YOUTH_CARE_PROVIDER):
    return OrganisationFactory(region=region, sector=sector, subtype=subtype)


def _match_of(signal) -> Match:
    return MatchParticipation.objects.select_related("match__coordinator_signal").get(signal=signal).match


def _named_coordinators(since_id: int) -> set[str]:
    """The coordinator e-mail addresses named in every match and coordinator e-mail written after `since_id`."""
    named = set()
    for notification in Notification.objects.filter(pk__gt=since_id):
        coordinator = notification.context.get("coordinator")
        named.add(coordinator["email"] if coordinator else None)
    return named


def _last_notification_id() -> int:
    last = Notification.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_the_family_placed_across_two_regions_has_one_coordinator_chosen_by_the_rules_named_everywhere(
    brp_youth, place, haaglanden, utrecht_region
):
    # the rules of the region where the youth of the earliest active signal lives (Haaglanden) decide:
    # wijkteam first; Midden-Nederland's own rule (school first) does not apply to this family
    CoordinatorRule.objects.create(
        region=haaglanden, position=1, sector=Sector.SOCIAL_SUPPORT, subtype=Subtype.WIJKTEAM
    )
    CoordinatorRule.objects.create(region=utrecht_region, position=1, sector=Sector.EDUCATION)
    with time_machine.travel(DAY, tick=True):
        youths = [brp_youth(bsn) for bsn in CHILDREN]
        plan = [
            (youths[0], _org(utrecht_region, Sector.EDUCATION, Subtype.SCHOOL)),
            (youths[1], _org(haaglanden)),
            (youths[2], _org(utrecht_region, Sector.SOCIAL_SUPPORT, Subtype.WIJKTEAM)),
            (youths[3], _org(haaglanden, Sector.SOCIAL_SUPPORT, Subtype.WIJKTEAM)),
            (youths[0], _org(haaglanden, Sector.HEALTH_CARE, Subtype.GENERAL_PRACTITIONER)),
        ]
        signals = []
        for youth, organisation in plan:
            before = _last_notification_id()
            signals.append(place(youth=youth, organisation=organisation))
            if len(signals) > 1:
                # every e-mail of this event names one and the same coordinator: the match's
                assert _named_coordinators(before) == {_match_of(signals[0]).coordinator_signal.contact_email}

    matches = {_match_of(signal).pk for signal in signals}
    assert len(matches) == 1 and Match.objects.count() == 1
    match = Match.objects.get()
    wijkteam_utrecht = signals[2]
    assert match.coordinator_signal == wijkteam_utrecht  # the earliest wijkteam signal, though of another region
    assert match.region == haaglanden  # the region where the youth of the earliest active signal lives
    # the first two were told of the change by the match e-mail of the wijkteam's arrival, which names it
    first_mails = Notification.objects.filter(recipient=signals[0].professional, kind=NotificationKind.MATCH)
    assert [n.context["coordinator"]["email"] for n in first_mails.order_by("pk")] == [
        signals[0].contact_email,
        wijkteam_utrecht.contact_email,
        wijkteam_utrecht.contact_email,
        wijkteam_utrecht.contact_email,
    ]
    # every page names the same coordinator
    for signal in signals:
        region = signal.organisation.region
        page = client_for(signal.professional, region).get(reverse("matching:match", args=[match.reference]))
        html = page.content.decode()
        assert page.status_code == 200
        if signal == wijkteam_utrecht:
            assert f"U bent de matchregisseur van match {match.reference}" in html
        else:
            assert wijkteam_utrecht.contact_email in html and "U bent de matchregisseur" not in html


def test_when_the_coordinators_signal_ends_the_role_moves_on_by_the_rules_and_everyone_is_told(
    brp_youth, place, haaglanden, utrecht_region
):
    CoordinatorRule.objects.create(
        region=haaglanden, position=1, sector=Sector.SOCIAL_SUPPORT, subtype=Subtype.WIJKTEAM
    )
    with time_machine.travel(DAY, tick=True):
        youths = [brp_youth(bsn) for bsn in CHILDREN]
        school = place(youth=youths[0], organisation=_org(utrecht_region, Sector.EDUCATION, Subtype.SCHOOL))
        wijkteam = place(youth=youths[1], organisation=_org(haaglanden, Sector.SOCIAL_SUPPORT, Subtype.WIJKTEAM))
        later_wijkteam = place(
            youth=youths[2], organisation=_org(utrecht_region, Sector.SOCIAL_SUPPORT, Subtype.WIJKTEAM)
        )
        match = _match_of(school)
        assert match.coordinator_signal == wijkteam
        before = _last_notification_id()
        signal_end(signal=wijkteam, reason=EndReason.CONCERN_GONE, actor=wijkteam.professional)

    match.refresh_from_db()
    assert match.coordinator_signal == later_wijkteam
    told = Notification.objects.filter(pk__gt=before, kind="match_coordinator_changed")
    assert {n.recipient_id for n in told} == {school.professional_id, later_wijkteam.professional_id}
    assert all(n.context["coordinator"]["email"] == later_wijkteam.contact_email for n in told)
    assert all(match.reference in n.subject for n in told)
    # the archived signal stays in the match as history, and is not told
    assert MatchParticipation.objects.filter(signal=wijkteam, match=match).exists()
    assert wijkteam.professional_id not in {n.recipient_id for n in told}


def _two_matches_and_a_bridge(place, region):
    """Two families that share nobody, each a match; then a child of one parent of each: the bridge."""
    mother, father = "999990019", "999990020"
    first = YouthFactory(parent_bsns=(mother,), bag_id="")
    second = YouthFactory(parent_bsns=(father,), bag_id="")
    a1 = place(youth=first, organisation=_org(region))
    a2 = place(youth=first, organisation=_org(region))
    b1 = place(youth=second, organisation=_org(region))
    b2 = place(youth=second, organisation=_org(region))
    assert _match_of(a1) == _match_of(a2) != _match_of(b1) == _match_of(b2)
    return (a1, a2, b1, b2), YouthFactory(parent_bsns=(mother, father), bag_id="")


def test_a_signal_that_links_two_matches_merges_them_into_the_oldest(place, haaglanden):
    (a1, a2, b1, b2), bridge_youth = _two_matches_and_a_bridge(place, haaglanden)
    kept, merged = _match_of(a1), _match_of(b1)
    assert kept.pk < merged.pk and kept.coordinator_signal == a1 and merged.coordinator_signal == b1
    before = _last_notification_id()

    bridge = place(youth=bridge_youth, organisation=_org(haaglanden))

    assert not Match.objects.filter(pk=merged.pk).exists()
    assert {_match_of(s).pk for s in (a1, a2, b1, b2, bridge)} == {kept.pk}
    kept.refresh_from_db()
    assert kept.coordinator_signal == a1  # the earliest active signal of the merged match, still active
    # everyone linked to the bridge heard of it, each e-mail naming the one coordinator and the one reference
    mails = Notification.objects.filter(pk__gt=before, kind=NotificationKind.MATCH)
    assert {n.recipient_id for n in mails} == {s.professional_id for s in (a1, a2, b1, b2, bridge)}
    assert {n.context["coordinator"]["email"] for n in mails} == {a1.contact_email}
    assert {n.context["match_reference"] for n in mails} == {kept.reference}


def test_a_destroyed_signal_splits_its_match_and_the_part_without_the_coordinator_gets_its_own(place, haaglanden):
    (a1, a2, b1, b2), bridge_youth = _two_matches_and_a_bridge(place, haaglanden)
    bridge = place(youth=bridge_youth, organisation=_org(haaglanden))
    kept = _match_of(a1)
    before = _last_notification_id()

    signal_end(signal=bridge, reason=EndReason.PLACED_WRONGLY, actor=bridge.professional)  # destroyed at once

    assert _match_of(a1) == _match_of(a2) == kept  # the part with the coordinator keeps the row
    split_off = _match_of(b1)
    assert split_off == _match_of(b2) != kept
    assert split_off.coordinator_signal == b1
    told = Notification.objects.filter(pk__gt=before, kind="match_coordinator_changed")
    assert {n.recipient_id for n in told} == {b1.professional_id, b2.professional_id}
    assert {n.context["match_reference"] for n in told} == {split_off.reference}


def test_a_signal_left_alone_by_a_split_is_in_no_match(place, haaglanden):
    youth = YouthFactory(bag_id="")
    first = place(youth=youth, organisation=_org(haaglanden))
    second = place(youth=youth, organisation=_org(haaglanden))
    match = _match_of(first)
    signal_end(signal=second, reason=EndReason.PLACED_WRONGLY, actor=second.professional)
    assert not MatchParticipation.objects.filter(signal=first).exists()
    assert not Match.objects.filter(pk=match.pk).exists()


def test_siblings_who_share_only_a_deceased_parent_still_match(brp_embedded, settings, tmp_path, place, haaglanden):
    from persons.services import youth_by_bsn

    # a father who died, two children by different mothers: they share only him, and are siblings
    records = [
        {
            "burgerservicenummer": "999990032",
            "naam": {"voornamen": "Henk", "geslachtsnaam": "Doe"},
            "geboorte": {"datum": "19800101"},
            "overlijden": {"datum": "20240101"},
        },
        *(
            {
                "burgerservicenummer": bsn,
                "naam": {"voornamen": name, "geslachtsnaam": "Doe"},
                "geboorte": {"datum": "20150301"},
                "gemeenteVanInschrijving": {"code": "0518", "omschrijving": "'s-Gravenhage"},
                "ouders": [{"burgerservicenummer": "999990032"}, {"burgerservicenummer": mother}],
            }
            for bsn, name, mother in (("999990044", "Anna", "999990056"), ("999990068", "Bram", "999990081"))
        ),
    ]
    register = tmp_path / "brp.json"
    register.write_text(json.dumps(records))
    settings.BRP_TEST_DATA = str(register)
    with time_machine.travel(DAY, tick=True):
        anna, bram = youth_by_bsn(bsn="999990044"), youth_by_bsn(bsn="999990068")
        one = place(youth=anna, organisation=_org(haaglanden))
        other = place(youth=bram, organisation=_org(haaglanden))
    assert _match_of(one) == _match_of(other)
    assert _match_of(one).participations.count() == 2


def test_the_family_across_two_regions_merged_with_another_match_keeps_its_coordinator_and_a_split_gives_it_back(
    brp_youth, place, haaglanden, utrecht_region
):
    """The BRP family of mother 999999126 (Haaglanden rules: wijkteam first) and, apart, a match around a youth of
    Utrecht (Midden-Nederland rules: school first). A half-sibling by the mother, whose father is the Utrecht
    youth's father, links the two: one match, whose one coordinator stays the family's wijkteam, named in every
    e-mail. When that bridge signal is destroyed, the match splits and the Utrecht part gets its school back."""
    CoordinatorRule.objects.create(
        region=haaglanden, position=1, sector=Sector.SOCIAL_SUPPORT, subtype=Subtype.WIJKTEAM
    )
    CoordinatorRule.objects.create(region=utrecht_region, position=1, sector=Sector.EDUCATION)
    father = "999990019"
    with time_machine.travel(DAY, tick=True):
        youths = [brp_youth(bsn) for bsn in CHILDREN]
        family = [
            place(youth=youths[0], organisation=_org(haaglanden)),
            place(youth=youths[1], organisation=_org(utrecht_region, Sector.SOCIAL_SUPPORT, Subtype.WIJKTEAM)),
            place(youth=youths[3], organisation=_org(haaglanden, Sector.EDUCATION, Subtype.SCHOOL)),
        ]
        wijkteam = family[1]
        assert _match_of(family[0]).coordinator_signal == wijkteam
        utrecht_youth = YouthFactory(parent_bsns=(father,), bag_id="", municipality_code="0344")
        other = [
            place(youth=utrecht_youth, organisation=_org(utrecht_region)),
            place(youth=utrecht_youth, organisation=_org(utrecht_region, Sector.EDUCATION, Subtype.SCHOOL)),
        ]
        school = other[1]
        family_match, other_match = _match_of(family[0]), _match_of(other[0])
        assert family_match != other_match and other_match.coordinator_signal == school
        before = _last_notification_id()

        bridge_youth = YouthFactory(parent_bsns=(MOTHER, father), bag_id="", municipality_code="0518")
        bridge = place(youth=bridge_youth, organisation=_org(haaglanden))

        merged = _match_of(bridge)
        assert merged == family_match and Match.objects.count() == 1  # the oldest match is kept
        assert {_match_of(s) for s in (*family, *other)} == {merged}
        assert merged.coordinator_signal == wijkteam  # the family's coordinator, still active, keeps the role
        assert _named_coordinators(before) == {wijkteam.contact_email}
        # the Utrecht part, whose coordinator changed, heard it (by the match e-mail of the bridge, or the change)
        heard = Notification.objects.filter(pk__gt=before).values_list("recipient_id", flat=True)
        assert {s.professional_id for s in other} <= set(heard)

        before = _last_notification_id()
        signal_end(signal=bridge, reason=EndReason.PLACED_WRONGLY, actor=bridge.professional)  # destroyed

    assert _match_of(family[0]) == merged and merged.coordinator_signal == wijkteam
    split_off = _match_of(other[0])
    assert split_off != merged and _match_of(school) == split_off
    assert split_off.coordinator_signal == school  # by the rules of Midden-Nederland, where that youth lives
    told = Notification.objects.filter(pk__gt=before, kind="match_coordinator_changed")
    assert {n.recipient_id for n in told} == {s.professional_id for s in other}
    assert {n.context["coordinator"]["email"] for n in told} == {school.contact_email}
    assert {n.context["match_reference"] for n in told} == {split_off.reference}
