"""Top-level URLs. Every app mounts its own urls.py here."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("accounts.urls")),
    path("regio/", include("regions.urls")),
    path("personen/", include("persons.urls")),
    path("signalen/", include("signals.urls")),
    path("matches/", include("matching.urls")),
    path("berichten/", include("notifications.urls")),
    path("verzoeken/", include("rights.urls")),
    path("logboek/", include("audit.urls")),
    path("beheer/", admin.site.urls),
    # the e-mail provider's tracking webhooks (basic auth with ANYMAIL_WEBHOOK_SECRET, checked by anymail)
    path("anymail/", include("anymail.urls")),
]
