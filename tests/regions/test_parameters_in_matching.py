"""Whether address matches are made follows each signal's own region, also across regions and after a change."""

import pytest

from matching.detection import match_detect
from matching.models import MatchKind, MatchLink
from tests.persons.factories import YouthFactory
from tests.regions.factories import OrganisationFactory
from tests.signals.factories import SignalFactory

pytestmark = pytest.mark.django_db

DWELLING = "0344010000777777"  # a BAG id not on any institutional list


def _signal(region, **youth):
    signal = SignalFactory(organisation=OrganisationFactory(region=region), youth=YouthFactory(**youth))
    match_detect(signal_id=signal.pk)
    return signal


def _kinds() -> set[str]:
    return set(MatchLink.objects.values_list("kind", flat=True))


def test_youths_at_one_address_match_across_regions_that_both_make_address_matches(region, other_region):
    _signal(region, bag_id=DWELLING)
    _signal(other_region, bag_id=DWELLING)
    assert _kinds() == {MatchKind.ADDRESS}


@pytest.mark.parametrize("off_first", [True, False], ids=["off-region-first", "off-region-last"])
def test_no_address_match_with_a_signal_whose_region_has_address_matches_off(region, other_region, off_first):
    other_region.address_matches = False
    other_region.save()
    order = (other_region, region) if off_first else (region, other_region)
    for placed_in in order:
        _signal(placed_in, bag_id=DWELLING)
    assert MatchLink.objects.count() == 0


def test_siblings_still_match_where_address_matches_are_off(region, other_region):
    region.address_matches = False
    region.save()
    _signal(region, bag_id=DWELLING, parent_bsns=("999990019",))
    _signal(other_region, bag_id=DWELLING, parent_bsns=("999990019",))
    assert _kinds() == {MatchKind.FAMILY}


def test_switching_address_matches_off_applies_to_the_next_detection_and_keeps_existing_matches(region, other_region):
    first = _signal(region, bag_id=DWELLING)
    _signal(other_region, bag_id=DWELLING)
    assert MatchLink.objects.count() == 1
    region.address_matches = False
    region.save()
    # the first signal's address key is still stored from before; a new signal does not match on it
    later = _signal(other_region, bag_id=DWELLING)
    links = {frozenset((a, b)) for a, b in MatchLink.objects.values_list("signal_a_id", "signal_b_id")}
    # the later signal matches the earlier one of its own region (both on), not the first; the old match stays
    assert first.pk not in set().union(*(link for link in links if later.pk in link))
    assert sum(first.pk in link for link in links) == 1
