import re

import pytest
from django.core import mail

from matching.models import MatchKind, MatchLink, MatchParticipation
from matching.selectors import match_counts_for_signals
from matching.services import match_detect, matches_detect_pending
from notifications.models import Notification, NotificationKind
from regions.models import InstitutionalAddress
from signals.models import SignalStatus
from tests.accounts.factories import professional
from tests.matching.factories import SignalFactory
from tests.regions.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

# Real BRP test persons (persons/brp_testset/test-data.json)
MAYA = "999970021"  # mother 999999126, Turfmarkt 25 's-Gravenhage
SIBLING_1, SIBLING_2 = "999970033", "999970045"  # both parents 999999126 + 999999163, same dwelling
HALF_1, HALF_2 = "999995984", "999995996"  # share father 999995923 only; Utrecht (0344) and Ede (0228)
NEIGHBOUR_1, NEIGHBOUR_2 = "999970215", "999970744"  # same dwelling 0518010000583568, no shared parent


def _links():
    return {(link.kind, frozenset((link.signal_a_id, link.signal_b_id))) for link in MatchLink.objects.all()}


def _mails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_second_professional_on_the_same_youth_matches_and_both_get_one_email(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    assert mail.outbox == []  # a single signal is no match
    second = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))

    assert _links() == {(MatchKind.SAME_YOUTH, frozenset((first.pk, second.pk)))}
    assert len(_mails_to(first.professional)) == 1
    assert len(_mails_to(second.professional)) == 1
    first.refresh_from_db()
    assert first.matched_at is not None


def test_signal_on_sibling_matches_through_shared_parent(brp_youth, place, haaglanden):
    a = place(youth=brp_youth(SIBLING_1), organisation=OrganisationFactory(region=haaglanden))
    b = place(youth=brp_youth(SIBLING_2), organisation=OrganisationFactory(region=haaglanden))
    pair = frozenset((a.pk, b.pk))
    # siblings living together match as family and on the address; still one e-mail each
    assert _links() == {(MatchKind.FAMILY, pair), (MatchKind.ADDRESS, pair)}
    assert len(_mails_to(a.professional)) == 1
    assert len(_mails_to(b.professional)) == 1
    assert "Broer of zus (gedeelde ouder), Zelfde woonadres" in _mails_to(a.professional)[0].body


def test_signal_on_half_sibling_elsewhere_matches_through_the_one_shared_parent(brp_youth, place, utrecht_region):
    a = place(youth=brp_youth(HALF_1), organisation=OrganisationFactory(region=utrecht_region))
    b = place(youth=brp_youth(HALF_2), organisation=OrganisationFactory(region=utrecht_region))
    assert _links() == {(MatchKind.FAMILY, frozenset((a.pk, b.pk)))}


def test_signals_on_youths_at_the_same_dwelling_match_on_the_address(brp_youth, place, haaglanden):
    a = place(youth=brp_youth(NEIGHBOUR_1), organisation=OrganisationFactory(region=haaglanden))
    b = place(youth=brp_youth(NEIGHBOUR_2), organisation=OrganisationFactory(region=haaglanden))
    assert _links() == {(MatchKind.ADDRESS, frozenset((a.pk, b.pk)))}


def test_an_address_on_any_regions_institutional_list_makes_no_match(brp_youth, place, haaglanden):
    first = brp_youth(NEIGHBOUR_1)
    # kept by the process managers of ANOTHER region than the one the youths live in
    InstitutionalAddress.objects.create(
        region=RegionFactory(),
        bag_pseudonym=first.bag_pseudonym,
        postcode="2511CA",
        house_number=1,
        description="Jeugdzorginstelling",
    )
    place(youth=first, organisation=OrganisationFactory(region=haaglanden))
    place(youth=brp_youth(NEIGHBOUR_2), organisation=OrganisationFactory(region=haaglanden))
    assert _links() == set()
    assert mail.outbox == []


def test_siblings_at_an_institutional_address_still_match_as_family(brp_youth, place, haaglanden):
    a_youth = brp_youth(SIBLING_1)
    InstitutionalAddress.objects.create(
        region=haaglanden, bag_pseudonym=a_youth.bag_pseudonym, postcode="2511CA", house_number=25, description="X"
    )
    a = place(youth=a_youth, organisation=OrganisationFactory(region=haaglanden))
    b = place(youth=brp_youth(SIBLING_2), organisation=OrganisationFactory(region=haaglanden))
    assert _links() == {(MatchKind.FAMILY, frozenset((a.pk, b.pk)))}


def test_signals_in_different_regions_match_and_each_link_goes_to_the_own_region_host(
    brp_youth, place, haaglanden, utrecht_region
):
    youth = brp_youth(MAYA)
    here = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    there = place(youth=youth, organisation=OrganisationFactory(region=utrecht_region))
    assert _links() == {(MatchKind.SAME_YOUTH, frozenset((here.pk, there.pk)))}
    reference = MatchParticipation.objects.get(signal=here).match.reference
    assert f"http://haaglanden.localhost/matches/{reference}/" in _mails_to(here.professional)[0].body
    assert f"http://midden-nederland.localhost/matches/{reference}/" in _mails_to(there.professional)[0].body


def test_colleagues_of_one_organisation_match_when_the_region_reports_internal_matches(brp_youth, place, haaglanden):
    organisation = OrganisationFactory(region=haaglanden)
    youth = brp_youth(MAYA)
    place(youth=youth, organisation=organisation)
    place(youth=youth, organisation=organisation)
    assert MatchLink.objects.count() == 1


def test_colleagues_of_one_organisation_do_not_match_when_the_region_says_so(brp_youth, place, haaglanden):
    haaglanden.internal_matches_reported = False
    haaglanden.save()
    organisation = OrganisationFactory(region=haaglanden)
    youth = brp_youth(MAYA)
    place(youth=youth, organisation=organisation)
    place(youth=youth, organisation=organisation)
    outsider = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    # the colleagues do not match each other, but both match the other organisation's signal
    assert MatchLink.objects.count() == 2
    assert all(outsider.pk in (link.signal_a_id, link.signal_b_id) for link in MatchLink.objects.all())
    assert len(mail.outbox) == 3


def test_the_same_professional_never_matches_themself(brp_youth, place, haaglanden):
    organisation = OrganisationFactory(region=haaglanden)
    user = professional(organisation)
    place(youth=brp_youth(SIBLING_1), organisation=organisation, professional=user)
    place(youth=brp_youth(SIBLING_2), organisation=organisation, professional=user)
    assert MatchLink.objects.count() == 0
    assert mail.outbox == []


def test_archived_signal_takes_part_as_history_but_is_never_mailed(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    archived = SignalFactory(
        youth=youth, status=SignalStatus.ARCHIVED, organisation=OrganisationFactory(region=haaglanden)
    )
    match_detect(signal_id=archived.pk)
    new = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))

    assert _links() == {(MatchKind.SAME_YOUTH, frozenset((archived.pk, new.pk)))}
    # the archived professional is not mailed; the new signaller sees the history on the match page
    assert _mails_to(archived.professional) == []
    assert _mails_to(new.professional) == []
    assert not Notification.objects.filter(kind=NotificationKind.MATCH).exists()


def test_new_signaller_is_mailed_about_active_partners_only(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    archived = SignalFactory(
        youth=youth,
        status=SignalStatus.ARCHIVED,
        contact_name="Archief Anna",
        organisation=OrganisationFactory(region=haaglanden),
    )
    match_detect(signal_id=archived.pk)
    active = place(youth=youth, contact_name="Actief Arie", organisation=OrganisationFactory(region=haaglanden))
    new = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    assert MatchLink.objects.count() == 3
    body = _mails_to(new.professional)[0].body
    assert "Actief Arie" in body and "Archief Anna" not in body
    assert len(_mails_to(active.professional)) == 1


def test_detection_is_idempotent(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    second = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    links, notifications = MatchLink.objects.count(), Notification.objects.count()
    assert match_detect(signal_id=second.pk) == []
    assert matches_detect_pending() == 0
    assert (MatchLink.objects.count(), Notification.objects.count()) == (links, notifications)
    assert len(mail.outbox) == 2


def test_match_email_names_contacts_coordinator_and_own_signal_but_never_bsn_name_or_address(
    brp_youth, place, haaglanden
):
    youth = brp_youth(MAYA)  # Maya Maasland, born 2015-02-01, Turfmarkt 25
    first = place(
        youth=youth,
        organisation=OrganisationFactory(region=haaglanden, name="Jeugdteam Centrum"),
        contact_name="Fatima El Amrani",
        contact_email="f.elamrani@jeugdteam.example.nl",
        contact_phone="070 123 4567",
    )
    second = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    message = _mails_to(second.professional)[0]
    html = message.alternatives[0][0]
    for part in (message.body, html, message.subject):
        assert "999970021" not in part
        assert not re.search(r"\b\d{9}\b", part)
        assert "Maasland" not in part and "Turfmarkt" not in part and "2511" not in part
    for part in (message.body, html):
        assert "Fatima El Amrani" in part
        assert "Jeugdteam Centrum" in part
        assert "f.elamrani@jeugdteam.example.nl" in part
        assert "070 123 4567" in part
        assert "Zelfde jeugdige" in part
        assert second.reference in part
        assert "M." in part and "2015" in part
        assert "Matchregisseur" in part
    assert second.reference in message.subject
    match = MatchParticipation.objects.get(signal=second).match
    assert match.coordinator_signal == first  # earliest active signal, no rules in the region
    assert "Matchregisseur van deze match: Fatima El Amrani" in message.body
    assert match.reference in message.subject and match.reference in message.body


def test_one_email_per_professional_per_match_event_even_with_two_own_signals(brp_youth, place, haaglanden):
    organisation = OrganisationFactory(region=haaglanden)
    user = professional(organisation)
    place(youth=brp_youth(SIBLING_1), organisation=organisation, professional=user)
    place(youth=brp_youth(SIBLING_2), organisation=organisation, professional=user)
    newcomer = place(youth=brp_youth(MAYA), organisation=OrganisationFactory(region=haaglanden))  # half-sister
    assert MatchLink.objects.count() == 4  # family + address with each of the two siblings
    assert len(_mails_to(user)) == 1
    assert len(_mails_to(newcomer.professional)) == 1
    assert _mails_to(user)[0].subject.count("VI-") == 2


def test_daily_digest_professional_gets_match_in_the_digest(brp_youth, place, haaglanden):
    youth = brp_youth(MAYA)
    first = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    first.professional.notification_preference = "daily_digest"
    first.professional.save()
    second = place(youth=youth, organisation=OrganisationFactory(region=haaglanden))
    assert _mails_to(first.professional) == []
    assert len(_mails_to(second.professional)) == 1
    assert Notification.objects.get(recipient=first.professional).held_for_digest


def test_match_counts_for_signals(brp_youth, place, haaglanden):
    a = place(youth=brp_youth(SIBLING_1), organisation=OrganisationFactory(region=haaglanden))
    b = place(youth=brp_youth(SIBLING_2), organisation=OrganisationFactory(region=haaglanden))
    lonely = place(youth=brp_youth(HALF_1), organisation=OrganisationFactory(region=haaglanden))
    # family + address with one partner count once
    assert match_counts_for_signals([a.pk, b.pk, lonely.pk]) == {a.pk: 1, b.pk: 1, lonely.pk: 0}


def test_destroyed_signal_before_detection_is_skipped(brp_youth, haaglanden):
    signal = SignalFactory(youth=brp_youth(MAYA), organisation=OrganisationFactory(region=haaglanden))
    signal_id = signal.pk
    signal.delete()
    assert match_detect(signal_id=signal_id) == []
