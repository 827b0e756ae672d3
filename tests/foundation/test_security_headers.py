import pytest
from django.urls import reverse

from tests.foundation.environments import production_environment, run_with_settings

pytestmark = pytest.mark.django_db


def test_login_page_sends_a_strict_csp_and_the_other_security_headers(anonymous_client):
    response = anonymous_client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(anonymous_client):
    content = anonymous_client.get(reverse("accounts:login")).content.decode()
    assert "<script" not in content
    assert "<style" not in content
    assert "style=" not in content


def test_production_sets_hsts_secure_cookies_and_https_redirect():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.DEBUG, s.X_FRAME_OPTIONS, s.SECURE_CONTENT_TYPE_NOSNIFF)"
    )
    result = run_with_settings(production_environment(), code)
    assert result.returncode == 0, result.stderr
    hsts, subdomains, session_secure, csrf_secure, ssl_redirect, debug, frame, nosniff = result.stdout.split()
    assert int(hsts) >= 31536000
    assert (subdomains, session_secure, csrf_secure, ssl_redirect, debug) == ("True", "True", "True", "True", "False")
    assert (frame, nosniff) == ("DENY", "True")


def test_health_check_answers_on_any_host_without_login(db):
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
