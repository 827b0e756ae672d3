"""Fixtures for matching: placing a signal through the real hooks, with Celery run eagerly after commit."""

import pytest
from django.db import transaction

from signals import hooks
from tests.matching.factories import SignalFactory
from tests.notifications.conftest import broker_down, celery_eager  # noqa: F401 - shared fixtures
from tests.regions.factories import MunicipalityFactory, RegionFactory


@pytest.fixture
def place(celery_eager, django_capture_on_commit_callbacks):  # noqa: F811
    """Place a signal as signal_place does: row + placed hooks in one transaction; detection runs after commit."""

    def _place(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                signal = SignalFactory(**kwargs)
                hooks.signal_placed(signal)
        return signal

    return _place


@pytest.fixture
def brp_youth(brp):
    """The youth with this BSN from the BRP test persons, through persons.youth_by_bsn over the real HTTP path."""
    from persons.services import youth_by_bsn

    return lambda bsn: youth_by_bsn(bsn=bsn)


@pytest.fixture
def haaglanden(db):
    """The region serving 's-Gravenhage (CBS 0518), where most BRP test persons live."""
    region = RegionFactory(name="Verwijsindex Haaglanden", slug="haaglanden")
    MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=region)
    return region


@pytest.fixture
def utrecht_region(db):
    region = RegionFactory(name="Verwijsindex Midden-Nederland", slug="midden-nederland")
    MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)
    return region
