"""URLs of the dev/test BRP endpoint (mounted under /brp-embedded/ when BRP_SERVE_EMBEDDED_ENDPOINT)."""

from django.urls import path

from . import views

app_name = "brp_embedded"

urlpatterns = [path("personen", views.personen, name="personen")]
