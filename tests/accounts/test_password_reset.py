import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory, professional
from tests.conftest import host_of
from tests.regions.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "nieuw-en-lang-wachtwoord-2024"


def _request_reset(region, email):
    return Client(HTTP_HOST=host_of(region)).post(reverse("accounts:password_reset"), {"email": email})


def test_password_reset_mails_a_link_on_the_region_host_and_the_new_password_works(region, professional_user):
    response = _request_reset(region, professional_user.email)
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"http://midden-nederland\.localhost\S*/account/wachtwoord-herstellen/\S+/", body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    client = Client(HTTP_HOST=host_of(region))
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("accounts:password_reset_complete")
    professional_user.refresh_from_db()
    assert professional_user.check_password(NEW_PASSWORD)

    again = Client(HTTP_HOST=host_of(region)).get(path, follow=True)
    assert "Deze link werkt niet meer" in again.content.decode()


def test_password_reset_says_the_same_for_unknown_addresses_and_sends_nothing(region, professional_user):
    known = _request_reset(region, professional_user.email)
    unknown = _request_reset(region, "niemand@example.nl")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert [m.to for m in mail.outbox] == [[professional_user.email]]
    page = Client(HTTP_HOST=host_of(region)).get(unknown.url)
    assert "Als dit e-mailadres bij deze verwijsindex hoort" in page.content.decode()


def test_password_reset_sends_nothing_for_a_user_of_another_region(region, other_region):
    outsider = professional(OrganisationFactory(region=other_region))
    response = _request_reset(region, outsider.email)
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_sends_nothing_for_a_user_without_any_role(region):
    loose = UserFactory()
    _request_reset(region, loose.email)
    assert mail.outbox == []


def test_login_page_links_to_password_reset(anonymous_client):
    page = anonymous_client.get(reverse("accounts:login"))
    assert reverse("accounts:password_reset") in page.content.decode()
