import factory

from accounts.models import Membership, Role, User
from tests.regions.factories import MunicipalityFactory, OrganisationFactory, RegionFactory

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.nl")
    full_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    phone = "06 1234 5678"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.PROFESSIONAL
    organisation = factory.SubFactory(OrganisationFactory)


def professional(organisation=None, **kwargs) -> User:
    membership = MembershipFactory(role=Role.PROFESSIONAL, organisation=organisation or OrganisationFactory(), **kwargs)
    return membership.user


def organisation_coordinator(organisation=None) -> User:
    return MembershipFactory(
        role=Role.ORGANISATION_COORDINATOR, organisation=organisation or OrganisationFactory()
    ).user


def process_manager(region=None) -> User:
    return MembershipFactory(role=Role.PROCESS_MANAGER, organisation=None, region=region or RegionFactory()).user


def followup_monitor(region=None) -> User:
    return MembershipFactory(role=Role.FOLLOWUP_MONITOR, organisation=None, region=region or RegionFactory()).user


def municipal_staff(municipality=None) -> User:
    return MembershipFactory(
        role=Role.MUNICIPAL_STAFF, organisation=None, municipality=municipality or MunicipalityFactory()
    ).user


def system_administrator() -> User:
    return MembershipFactory(role=Role.SYSTEM_ADMINISTRATOR, organisation=None).user
