"""The API under /api/v1/: endpoints, the OpenAPI schema and its readable page; anything else is a JSON 404."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from . import endpoints, views
from .schema import SCHEMA_SETTINGS

app_name = "api"

urlpatterns = [
    path(
        "schema/",
        login_not_required(
            SpectacularAPIView.as_view(
                authentication_classes=[], permission_classes=[AllowAny], custom_settings=SCHEMA_SETTINGS
            )
        ),
        name="schema",
    ),
    path("docs/", views.docs, name="docs"),
    path("signals/", endpoints.SignalListCreate.as_view(), name="signals"),
    path("signals/<int:signal_id>/", endpoints.SignalDetail.as_view(), name="signal"),
    path("signals/<int:signal_id>/end/", endpoints.SignalEnd.as_view(), name="signal_end"),
    path("signals/<int:signal_id>/extend/", endpoints.SignalExtend.as_view(), name="signal_extend"),
    path("signals/<int:signal_id>/informing/", endpoints.SignalInforming.as_view(), name="signal_informing"),
    path("signals/<int:signal_id>/matches/", endpoints.SignalMatches.as_view(), name="signal_matches"),
    path("signals/<int:signal_id>/follow-up/", endpoints.SignalFollowUp.as_view(), name="signal_follow_up"),
    re_path(r"^[\s\S]*$", views.api_not_found, name="not_found"),
]
