"""youth_by_bsn: look-up through the BRP (over HTTP), with its distinct outcomes."""

import datetime
import threading

import pytest
from django.db import connection

from audit.models import LogEntry
from persons.bsn import bag_pseudonym, bsn_decrypt, bsn_pseudonym
from persons.events import register_youth_change_handler, unregister_youth_change_handler
from persons.exceptions import BrpUnavailable, BsnInvalid, PersonDeceased, PersonNotFound
from persons.models import Youth
from persons.services import youth_by_bsn

MOTHER = "999999126"
CHILDREN = ("999970021", "999970033", "999970045", "999999151")


def test_family_of_mother_999999126_resolves_to_a_shared_parent_pseudonym(brp):
    youths = [youth_by_bsn(bsn=child) for child in CHILDREN]
    mother = bsn_pseudonym(MOTHER)
    assert all(mother in youth.parent_pseudonyms for youth in youths)
    # the two children of the same father share him too; the pseudonyms are not the plain BSNs
    assert set(youths[1].parent_pseudonyms) == set(youths[2].parent_pseudonyms) == {mother, bsn_pseudonym("999999163")}
    assert not any(MOTHER in pseudonym for youth in youths for pseudonym in youth.parent_pseudonyms)


def test_persons_sharing_a_dwelling_share_the_address_pseudonym(brp):
    # three test persons registered at BAG id 0599010062002201
    youths = [youth_by_bsn(bsn=bsn) for bsn in ("000009891", "999991176", "999995601")]
    assert {youth.bag_pseudonym for youth in youths} == {bag_pseudonym("0599010062002201")}
    assert youth_by_bsn(bsn="999970033").bag_pseudonym != youths[0].bag_pseudonym


def test_a_deceased_person_is_refused_with_its_own_message(brp):
    with pytest.raises(PersonDeceased) as refused:
        youth_by_bsn(bsn="999970239")
    assert "overleden" in str(refused.value.message)
    assert not Youth.objects.exists()


def test_an_invalid_bsn_is_refused_with_its_own_message(brp):
    with pytest.raises(BsnInvalid) as refused:
        youth_by_bsn(bsn="999970034")
    assert "geen geldig burgerservicenummer" in str(refused.value.message)
    assert str(refused.value.message) != str(PersonDeceased.message)


def test_an_unknown_bsn_is_person_not_found(brp):
    with pytest.raises(PersonNotFound):
        youth_by_bsn(bsn="123456782")


def test_an_unreachable_brp_is_brp_unavailable(db, settings):
    settings.BRP_CLIENT = "haal_centraal"
    settings.BRP_BASE_URL = "http://127.0.0.1:9/brp"
    settings.BRP_TIMEOUT = 0.5
    with pytest.raises(BrpUnavailable):
        youth_by_bsn(bsn="999970033")


def test_youth_is_stored_with_encrypted_bsn_pseudonym_and_brp_data(brp):
    youth = youth_by_bsn(bsn="9999.70.033")
    assert youth.pseudonym == bsn_pseudonym("999970033")
    assert bsn_decrypt(youth.bsn_encrypted) == "999970033"
    assert "999970033" not in youth.bsn_encrypted
    assert (youth.full_name, youth.birth_date, youth.sex) == ("Mira Maasland", datetime.date(2017, 1, 1), "V")
    assert youth.address_lines == ["Turfmarkt 25", "2511 CA 's-Gravenhage"]
    assert youth.municipality_code == "0518"
    assert youth.refreshed_at is not None


def test_partial_birth_date_is_stored_as_given_and_as_the_earliest_possible_day(brp):
    youth = youth_by_bsn(bsn="999970598")
    assert youth.birth_date_brp == "19780600"
    assert youth.birth_date == datetime.date(1978, 6, 1)


def test_a_person_with_geheimhouding_is_stored_confidential_without_a_visible_address(brp, brp_records):
    assert brp_records["999971207"]["verblijfplaats"]["straat"] == "Henegouwerweg"
    youth = youth_by_bsn(bsn="999971207")
    assert youth.confidential
    assert youth.address_lines == []
    assert youth.street == "" and youth.postcode == "" and youth.house_number is None
    assert youth.municipality_code


def test_a_person_living_abroad_is_returned_without_address_or_dwelling(brp):
    youth = youth_by_bsn(bsn="999991164")  # emigrated, registered in the RNI
    assert youth.suspension_reason == "E"
    assert youth.address_lines == []
    assert youth.bag_pseudonym == ""


def test_a_person_without_any_address_is_returned(brp, brp_records):
    youth = youth_by_bsn(bsn="999997002")
    assert youth.pk and youth.address_lines == [] and youth.bag_pseudonym == ""


def test_looking_up_again_refreshes_the_same_youth(brp):
    first = youth_by_bsn(bsn="999970033")
    Youth.objects.filter(pk=first.pk).update(surname="Oud", municipality_code="0344")
    seen = []
    handler = register_youth_change_handler(seen.append)
    try:
        again = youth_by_bsn(bsn="999970033")
    finally:
        unregister_youth_change_handler(handler)
    assert again.pk == first.pk and again.surname == "Maasland"
    assert Youth.objects.count() == 1
    assert [(c.youth_id, c.old_municipality_code, c.new_municipality_code) for c in seen] == [
        (first.pk, "0344", "0518")
    ]


def test_every_look_up_is_logged_by_pseudonym_only(brp):
    youth_by_bsn(bsn="999970033")
    with pytest.raises(PersonDeceased):
        youth_by_bsn(bsn="999970239")
    entries = list(LogEntry.objects.filter(action="brp_lookup").values_list("youth_pseudonym", "details"))
    assert entries[-1] == (bsn_pseudonym("999970033"), {"outcome": "created"}) or entries[0] == (
        bsn_pseudonym("999970033"),
        {"outcome": "created"},
    )
    assert (bsn_pseudonym("999970239"), {"outcome": "PersonDeceased"}) in entries
    assert "999970033" not in str(entries)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_look_ups_make_one_youth(brp):
    barrier = threading.Barrier(4)
    errors = []

    def look_up():
        try:
            barrier.wait()
            youth_by_bsn(bsn="999970045")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=look_up) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Youth.objects.filter(pseudonym=bsn_pseudonym("999970045")).count() == 1


def test_a_bsn_inside_brp_names_is_not_stored(brp):
    youth = youth_by_bsn(bsn="100600220")  # test person named "Digid 1 100600220 voornamen"
    assert "100600220" not in youth.full_name
    assert youth.first_names == "Digid 1 [BSN] voornamen"


def test_address_lines_are_written_the_dutch_way_and_hidden_with_geheimhouding():
    youth = Youth(street="Turfmarkt", house_number=25, house_letter="a", house_number_addition="2", postcode="2511CA")
    youth.town = "'s-Gravenhage"
    assert youth.address_lines == ["Turfmarkt 25a-2", "2511 CA 's-Gravenhage"]
    youth.confidential = True
    assert youth.address_lines == []


def test_the_http_client_against_the_project_endpoint_gives_the_same_youth_as_the_embedded_register(brp, settings):
    bsns = ("999970033", "999999151", "999970598", "999971207", "999991164", "999990603", "100600220")
    skip = {"id", "refreshed_at", "bsn_encrypted"}

    def stored():
        return [
            {key: value for key, value in youth.__dict__.items() if key not in skip and not key.startswith("_")}
            for youth in (youth_by_bsn(bsn=bsn) for bsn in bsns)
        ]

    over_http = stored()
    Youth.objects.all().delete()
    settings.BRP_CLIENT = "embedded"
    assert stored() == over_http
