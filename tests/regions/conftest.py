"""Fixtures for the region's governance screens: one region with its people, and a second region."""

from types import SimpleNamespace

import pytest

from tests.accounts.factories import (
    followup_monitor,
    municipal_staff,
    organisation_coordinator,
    process_manager,
    professional,
)
from tests.regions.factories import (
    CoordinatorRuleFactory,
    InstitutionalAddressFactory,
    MoveNoticeFactory,
    MunicipalityFactory,
    OrganisationFactory,
)


@pytest.fixture
def world(region, other_region):
    """Region Midden-Nederland with one of each role, and Haaglanden with its own process manager and objects."""
    utrecht = MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)
    the_hague = MunicipalityFactory(cbs_code="0518", name="'s-Gravenhage", region=other_region)
    organisation = OrganisationFactory(region=region, name="Veilig Thuis Utrecht", code="vt-utrecht")
    other_organisation = OrganisationFactory(region=other_region, name="Jeugdhulp Den Haag", code="jh-den-haag")
    return SimpleNamespace(
        region=region,
        other_region=other_region,
        municipality=utrecht,
        other_municipality=the_hague,
        organisation=organisation,
        sibling_organisation=OrganisationFactory(region=region, name="GGD regio Utrecht", code="ggd-utrecht"),
        other_organisation=other_organisation,
        process_manager=process_manager(region),
        other_process_manager=process_manager(other_region),
        monitor=followup_monitor(region),
        coordinator=organisation_coordinator(organisation),
        professional=professional(organisation),
        municipal_staff=municipal_staff(utrecht),
        rule=CoordinatorRuleFactory(region=region, position=1),
        other_rule=CoordinatorRuleFactory(region=other_region, position=1),
        address=InstitutionalAddressFactory(region=region),
        other_address=InstitutionalAddressFactory(region=other_region),
        notice=MoveNoticeFactory(region=region),
        other_notice=MoveNoticeFactory(region=other_region),
    )
