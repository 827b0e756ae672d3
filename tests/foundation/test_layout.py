import re

import pytest
from django.urls import reverse

from tests.accounts.factories import process_manager
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_header_shows_region_user_and_role(region, professional_user):
    content = client_for(professional_user, region).get(reverse("home")).content.decode()
    header = re.search(r"<header.*?</header>", content, re.S).group(0)
    assert "Verwijsindex Midden-Nederland" in header
    assert professional_user.full_name in header
    assert "Meldingsbevoegde" in header


def test_header_shows_the_role_of_a_process_manager(region):
    manager = process_manager(region)
    header = re.search(r"<header.*?</header>", client_for(manager, region).get(reverse("home")).content.decode(), re.S)
    assert "Procesmanager" in header.group(0)


def test_pages_have_a_skip_link_and_landmarks(anonymous_client):
    content = anonymous_client.get(reverse("accounts:login")).content.decode()
    assert re.search(r'<a [^>]*href="#main"[^>]*>Naar de inhoud</a>', content)
    assert '<main id="main"' in content
    assert "<header" in content and "<footer" in content
    assert content.index('href="#main"') < content.index("<header")


def test_dutch_is_the_default_and_the_english_switch_works_before_login(anonymous_client):
    page = anonymous_client.get(reverse("accounts:login"))
    assert '<html lang="nl"' in page.content.decode()
    response = anonymous_client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    english = anonymous_client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en"' in english
    assert ">Log in</h1>" in english
    assert "Forgot your password?" in english
    assert ">Nederlands</button>" in english


def test_english_switch_works_for_a_logged_in_user(region, professional_user):
    client = client_for(professional_user, region)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="en"' in content
    assert f"Welcome, {professional_user.full_name}" in content
    assert "Authorised professional" in content
