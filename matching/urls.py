"""URLs of the match pages (a match is addressed by the reference everyone sees, e.g. M-000123)."""

from django.urls import path, register_converter

from . import views


class ReferenceConverter:
    regex = r"M-\d{6,18}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "match")

app_name = "matching"

urlpatterns = [
    path("", views.my_matches, name="my_matches"),
    path("gezien/", views.my_matches_seen, name="my_matches_seen"),
    path("signaal/<int:signal_id>/", views.signal_matches, name="signal_matches"),
    path("monitor/", views.monitor_overview, name="monitor"),
    path("monitor/<match:reference>/opgevolgd/", views.monitor_check, name="monitor_check"),
    path("<match:reference>/", views.match, name="match"),
    path("<match:reference>/overdragen/", views.handover_propose, name="handover_propose"),
    path("<match:reference>/overdracht/", views.handover, name="handover"),
    path("<match:reference>/opvolging/", views.follow_up, name="follow_up"),
]
