"""Browser pages of organisation coordinators for their organisation's API clients."""

from django.urls import path

from . import views

app_name = "api_clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("nieuw/", views.client_create, name="create"),
    path("<int:pk>/intrekken/", views.client_revoke, name="revoke"),
]
