"""URLs of the logbook (mounted at /logboek/)."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.logbook, name="logbook"),
]
