"""Who exercises the rights: under 12 the representative, 12 up to 16 together, 16 and older the youth alone."""

import datetime

import pytest

from rights.models import Authority, RightsRequest
from rights.rules import age_on, exercise_authority

from .conftest import register

BORN = datetime.date(2010, 5, 20)


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (datetime.date(2022, 5, 19), 11),  # day before the 12th birthday
        (datetime.date(2022, 5, 20), 12),  # the 12th birthday
        (datetime.date(2026, 5, 19), 15),  # day before the 16th birthday
        (datetime.date(2026, 5, 20), 16),  # the 16th birthday
    ],
)
def test_age_counts_the_birthday_itself(on, age):
    assert age_on(BORN, on) == age


@pytest.mark.parametrize(
    ("on", "youth", "parent", "representative"),
    [
        (datetime.date(2022, 5, 19), Authority.NOT_ALLOWED, Authority.ALONE, Authority.ALONE),
        (datetime.date(2022, 5, 20), Authority.JOINTLY, Authority.JOINTLY, Authority.JOINTLY),
        (datetime.date(2026, 5, 19), Authority.JOINTLY, Authority.JOINTLY, Authority.JOINTLY),
        (datetime.date(2026, 5, 20), Authority.ALONE, Authority.NOT_ALLOWED, Authority.NOT_ALLOWED),
    ],
    ids=["day-before-12", "12th-birthday", "day-before-16", "16th-birthday"],
)
def test_who_may_exercise_the_right_around_the_12th_and_16th_birthday(on, youth, parent, representative):
    age = age_on(BORN, on)
    assert exercise_authority(age=age, capacity="youth") == youth
    assert exercise_authority(age=age, capacity="parent") == parent
    assert exercise_authority(age=age, capacity="representative") == representative


def test_born_on_29_february_turns_12_on_1_march_in_a_common_year():
    born = datetime.date(2012, 2, 29)
    assert age_on(born, datetime.date(2024, 2, 28)) == 11
    assert age_on(born, datetime.date(2024, 2, 29)) == 12
    assert age_on(datetime.date(2008, 2, 29), datetime.date(2020, 2, 28)) == 11
    assert age_on(datetime.date(2008, 2, 29), datetime.date(2021, 3, 1)) == 13


def test_unknown_date_of_birth_gives_unknown_authority():
    assert exercise_authority(age=None, capacity="parent") == Authority.UNKNOWN


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received_on", "capacity", "expected"),
    [
        (datetime.date(2024, 3, 14), "youth", Authority.NOT_ALLOWED),  # day before the 12th birthday
        (datetime.date(2024, 3, 15), "youth", Authority.JOINTLY),  # 12th birthday
        (datetime.date(2028, 3, 14), "parent", Authority.JOINTLY),  # day before the 16th birthday
        (datetime.date(2028, 3, 15), "parent", Authority.NOT_ALLOWED),  # 16th birthday
        (datetime.date(2028, 3, 15), "youth", Authority.ALONE),
    ],
)
def test_registered_request_takes_the_age_from_the_brp_date_on_the_day_received(
    staff, municipality, youth, received_on, capacity, expected, time_machine
):
    time_machine.move_to(datetime.datetime(2028, 6, 1, 12, tzinfo=datetime.UTC))
    rights_request = register(staff, municipality, capacity=capacity, received_on=received_on)
    rights_request = RightsRequest.objects.get(pk=rights_request.pk)
    assert rights_request.authority == expected
    assert rights_request.youth_age == age_on(youth.birth_date, received_on)


@pytest.mark.django_db
def test_unregistered_youth_uses_the_date_of_birth_from_the_identity_document(staff, municipality):
    rights_request = register(
        staff, municipality, bsn="123456782", capacity="youth", birth_date=datetime.date(2000, 1, 1)
    )
    assert not rights_request.youth_registered
    assert rights_request.authority == Authority.ALONE


@pytest.mark.django_db
def test_youth_not_in_the_verwijsindex_gets_the_age_and_municipality_from_the_brp(region, settings):
    pytest.importorskip("persons.brp", reason="the BRP client is built by the persons helper")
    from rights.models import RequesterCapacity
    from tests.accounts.factories import municipal_staff
    from tests.regions.factories import MunicipalityFactory

    settings.BRP_CLIENT = "embedded"
    the_hague = MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=region)
    # 999970033 in the BRP test set: born 2017-01-01, living in 's-Gravenhage
    rights_request = register(
        municipal_staff(the_hague),
        the_hague,
        bsn="999970033",
        capacity=RequesterCapacity.YOUTH,
        received_on=datetime.date(2026, 11, 1),
        birth_date=datetime.date(2000, 1, 1),  # what staff typed is overruled by the BRP
    )
    assert not rights_request.youth_registered
    assert rights_request.youth_age == 9
    assert rights_request.authority == Authority.NOT_ALLOWED


@pytest.mark.django_db
def test_staff_of_another_municipality_are_refused_for_a_youth_the_brp_places_elsewhere(municipality, staff, settings):
    pytest.importorskip("persons.brp", reason="the BRP client is built by the persons helper")
    from django.core.exceptions import ValidationError

    settings.BRP_CLIENT = "embedded"
    with pytest.raises(ValidationError, match="niet in uw gemeente"):
        register(staff, municipality, bsn="999970033")
