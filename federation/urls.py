"""A regional deployment's federation URL (mounted at /federation/ when the deployment is linked to a hub)."""

from django.urls import path

from . import views

app_name = "federation"

urlpatterns = [
    path("v1/exchange/", views.exchange, name="exchange"),
    path("v1/rights/inquiry/", views.rights_inquiry, name="rights_inquiry"),
    path("signalen/<int:signal_id>/landelijke-match/", views.national_match, name="national_match"),
]
