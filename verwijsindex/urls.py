"""Top-level URLs. Every app mounts its own urls.py here."""

from anymail import urls as anymail_urls
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from accounts import passkeys
from regions import views as region_views

from . import views


def _anymail_tracking_webhook(provider: str) -> list:
    wanted = f"{provider}_tracking_webhook"
    return [pattern for pattern in anymail_urls.urlpatterns if pattern.name == wanted]


urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # the region's page for parents and youths, no login
    path("informatie/", region_views.public_information, name="public_information"),
    # the language switch works before login too (the login page has it)
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("account/", include("accounts.urls")),
    path("account/passkey/", include((passkeys.urlpatterns, "otp_webauthn"))),
    path("regio/", include("regions.urls")),
    path("personen/", include("persons.urls")),
    path("signalen/", include("signals.urls")),
    path("matches/", include("matching.urls")),
    path("berichten/", include("notifications.urls")),
    path("verzoeken/", include("rights.urls")),
    path("logboek/", include("audit.urls")),
    path("statistiek/", include("reports.urls")),
    path("brieven/", include("letters.urls")),
    path("api/v1/", include("api.urls")),
    path("api-koppelingen/", include("api.client_urls")),
    # calls relayed by the national hub (mutual TLS; only the hub's certificate), docs/federation.md
    path("federation/", include("federation.urls")),
    # the admin logs in through our own two-factor login, never through its password-only form
    path(
        "beheer/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    ),
    path("beheer/", admin.site.urls),
    # the e-mail provider's tracking webhook (basic auth with ANYMAIL_WEBHOOK_SECRET, checked by anymail);
    # only the configured provider's, so other providers' views (and their missing libraries) are unreachable
    path("anymail/", include((_anymail_tracking_webhook(settings.ANYMAIL_WEBHOOK_PROVIDER), "anymail"))),
]

if settings.BRP_SERVE_EMBEDDED_ENDPOINT:
    # dev/test only: the Haal Centraal endpoint answering from the embedded register (see persons/brp/views.py)
    urlpatterns.append(path("brp-embedded/", include("persons.brp.urls")))

if settings.DEV_MAILBOX_DIR:
    from . import devmailbox

    urlpatterns.append(path("dev/mail/", include((devmailbox.urlpatterns, "devmail"))))

handler403 = "verwijsindex.views.permission_denied"
handler404 = "verwijsindex.views.page_not_found"
handler500 = "verwijsindex.views.server_error"
