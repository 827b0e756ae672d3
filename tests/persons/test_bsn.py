import pytest

from persons.bsn import bag_pseudonym, bsn_decrypt, bsn_encrypt, bsn_normalise, bsn_pseudonym
from persons.exceptions import BsnInvalid


@pytest.mark.parametrize("typed", ["999970033", "9999.70.033", " 9999 70 033 ", "999-970-033"])
def test_bsn_is_normalised_from_common_ways_of_typing_it(typed):
    assert bsn_normalise(typed) == "999970033"


def test_bsn_with_a_leading_zero_dropped_is_restored():
    assert bsn_normalise("10000021") == "010000021"


@pytest.mark.parametrize("typed", ["999970034", "12345678a", "", "1234", "9999700333"])
def test_bsn_failing_the_elfproef_is_refused(typed):
    with pytest.raises(BsnInvalid):
        bsn_normalise(typed)


def test_encrypted_bsn_round_trips_and_does_not_contain_the_bsn():
    token = bsn_encrypt("999970033")
    assert "999970033" not in token
    assert bsn_decrypt(token) == "999970033"


def test_pseudonym_is_stable_keyed_and_separates_bsn_from_bag_ids():
    assert bsn_pseudonym("999970033") == bsn_pseudonym("999970033")
    assert bsn_pseudonym("999970033") != bsn_pseudonym("999970033", key="another-key")
    assert bsn_pseudonym("999970033") != bag_pseudonym("999970033")
