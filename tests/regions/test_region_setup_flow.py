"""Done-when: a process manager sets up an organisation and invites its coordinator, who invites a professional,
who places a signal — every step in the browser (the test client), on the region's own host."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Role, User
from regions.models import Organisation
from reports.models import Counter, Metric
from signals.models import Signal
from tests.accounts.factories import process_manager
from tests.conftest import client_for, host_of
from tests.regions.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-en-sterk-wachtwoord-2026"
YOUTH_BSN, YOUTH_BIRTH_DATE = "999970033", "2017-01-01"  # a child in the BRP test set, registered in The Hague


def _accept_invitation(region) -> Client:
    """Follow the link of the newest e-mail: choose a password, enrol an authenticator app, get backup codes."""
    link = re.search(r"https?://\S+?(/account/uitnodiging/[^/\s]+/)", mail.outbox[-1].body).group(1)
    client = Client(HTTP_HOST=host_of(region))
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response["Location"] == reverse("accounts:enrol")
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user__email=mail.outbox[-1].to[0], confirmed=False)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("accounts:enrol"), {"token": token}).status_code == 200
    return client


def test_process_manager_sets_up_an_organisation_whose_professional_places_a_signal(
    region, brp_embedded, django_capture_on_commit_callbacks
):
    MunicipalityFactory(cbs_code="0344", name="Utrecht", region=region)
    manager = client_for(process_manager(region), region)

    # 1. the process manager adds the organisation, with a convenant that has started
    response = manager.post(
        reverse("regions:organisation_create"),
        {
            "name": "Wijkteam Zeist",
            "code": "wijkteam-zeist",
            "sector": "social_support",
            "subtype": "wijkteam",
            "convenant_date": (datetime.date.today() - datetime.timedelta(days=30)).isoformat(),
            "email": "info@wijkteam-zeist.example.nl",
            "phone": "030 765 4321",
        },
    )
    organisation = Organisation.objects.get(code="wijkteam-zeist")
    assert response["Location"] == reverse("regions:organisation_detail", args=[organisation.pk])

    # 2. ... and invites its coordinator, who accepts in the browser
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("regions:organisation_coordinator_invite", args=[organisation.pk]),
            {"full_name": "Carla Coördinator", "email": "carla@wijkteam-zeist.example.nl"},
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["carla@wijkteam-zeist.example.nl"]
    coordinator = _accept_invitation(region)
    assert Membership.objects.get(user__email="carla@wijkteam-zeist.example.nl").role == Role.ORGANISATION_COORDINATOR

    # 3. the coordinator writes the signalling profile and invites a professional
    coordinator.post(
        reverse("regions:signalling_profile"),
        {"signalling_profile": "Wij signaleren bij zorgen over de veiligheid thuis."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            reverse("regions:professional_invite"),
            {"full_name": "Piet Professional", "email": "piet@wijkteam-zeist.example.nl"},
        )
    assert mail.outbox[-1].to == ["piet@wijkteam-zeist.example.nl"]
    professional = _accept_invitation(region)
    assert "Piet Professional" in coordinator.get(reverse("regions:my_organisation")).content.decode()

    # 4. the professional places a signal through the guided flow
    response = professional.post(reverse("signals:place"), {"bsn": YOUTH_BSN, "birth_date": YOUTH_BIRTH_DATE})
    assert response["Location"] == reverse("signals:place_confirm"), response.content.decode()[:2000]
    assert professional.post(reverse("signals:place_confirm"), {})["Location"] == reverse("signals:place_profile")
    assert "veiligheid thuis" in professional.get(reverse("signals:place_profile")).content.decode()
    professional.post(reverse("signals:place_profile"), {"weighed": "on"})
    response = professional.post(
        reverse("signals:place_informing"),
        {"status": "informed", "whom": ["parents"], "on": datetime.date.today().isoformat(), "how": "in een gesprek"},
    )
    signal = Signal.objects.get()
    assert response["Location"] == reverse("signals:placed", args=[signal.pk])
    assert signal.organisation == organisation
    assert signal.professional == User.objects.get(email="piet@wijkteam-zeist.example.nl")

    # the region's figures count it, anonymously
    placed = Counter.objects.get(region=region, metric=Metric.SIGNAL_PLACED)
    assert (placed.count, placed.sector, placed.municipality_code) == (1, "social_support", "0518")
