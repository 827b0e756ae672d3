"""URLs of the match pages."""

from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.my_matches, name="my_matches"),
    path("signaal/<int:signal_id>/", views.signal_matches, name="signal_matches"),
    path("regie/<int:coordinator_id>/overdragen/", views.coordinator_handover, name="coordinator_handover"),
    path("regie/<int:coordinator_id>/besluit/", views.coordinator_decision, name="coordinator_decision"),
    path("regie/<int:coordinator_id>/opvolging/", views.follow_up, name="follow_up"),
]
