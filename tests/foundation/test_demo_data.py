from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Role, User
from regions.demo import DEMO_PASSWORD
from regions.models import CoordinatorRule, Municipality, Organisation, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_load_demo_is_idempotent(demo):
    counts = (Region.objects.count(), Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert counts == (
        Region.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    assert counts[0] == 3


def test_demo_regions_have_their_real_municipalities(demo):
    codes = {
        region.slug: sorted(region.municipalities.values_list("cbs_code", flat=True)) for region in Region.objects.all()
    }
    assert codes == {
        "midden-nederland": ["0307", "0344", "0355", "0356"],
        "haaglanden": ["0503", "0518", "0637", "1783"],
        "flevoland": ["0034", "0303", "0995"],
    }
    assert Municipality.objects.get(cbs_code="0518").name == "'s-Gravenhage"


def test_every_demo_region_has_organisations_of_several_sectors_rules_and_every_role(demo):
    for region in Region.objects.all():
        organisations = Organisation.objects.filter(region=region)
        assert organisations.values("sector").distinct().count() >= 4
        assert all(org.signalling_profile for org in organisations)
        assert CoordinatorRule.objects.filter(region=region).count() >= 3
        roles = (
            set(Membership.objects.filter(organisation__region=region).values_list("role", flat=True))
            | set(Membership.objects.filter(region=region).values_list("role", flat=True))
            | set(Membership.objects.filter(municipality__region=region).values_list("role", flat=True))
        )
        assert roles == {
            Role.PROFESSIONAL,
            Role.ORGANISATION_COORDINATOR,
            Role.PROCESS_MANAGER,
            Role.FOLLOWUP_MONITOR,
            Role.MUNICIPAL_STAFF,
        }
        assert Membership.objects.filter(organisation__region=region, role=Role.PROFESSIONAL).count() >= 3
    assert Membership.objects.filter(role=Role.SYSTEM_ADMINISTRATOR, user__is_staff=True).exists()
    assert not User.objects.filter(is_demo=False).exists()


def test_demo_professional_logs_in_with_two_factors_and_is_refused_on_another_region(demo):
    user = User.objects.get(email="wijkteam@midden-nederland.example")
    client = Client(HTTP_HOST="midden-nederland.localhost")
    assert (
        client.post(reverse("accounts:login"), {"username": user.email, "password": DEMO_PASSWORD}).status_code == 302
    )
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    assert client.post(reverse("accounts:enrol"), {"token": code}).status_code == 200
    assert client.get(reverse("home")).status_code == 200

    elsewhere = Client(HTTP_HOST="haaglanden.localhost")
    elsewhere.post(reverse("accounts:login"), {"username": user.email, "password": DEMO_PASSWORD})
    # same person, other region: logged in with two factors, still no access there
    session = elsewhere.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 403
    assert "Geen toegang in deze regio" in response.content.decode()


def test_demo_accounts_prints_the_region_urls_accounts_and_two_factor_help(demo):
    out = StringIO()
    call_command("demo_accounts", "--port", "8123", stdout=out)
    text = out.getvalue()
    for slug in ("midden-nederland", "haaglanden", "flevoland"):
        assert f"http://{slug}.localhost:8123/" in text
    assert "procesmanager@haaglanden.example" in text
    assert DEMO_PASSWORD in text
    assert "authenticator" in text


def test_load_demo_refuses_where_demo_data_is_not_allowed(db, settings):
    settings.ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="ALLOW_DEMO_DATA"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()
