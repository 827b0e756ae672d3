"""URLs of citizens' requests (mounted at /verzoeken/)."""

from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("nieuw/", views.request_register, name="request_register"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/overzicht/", views.request_overview, name="request_overview"),
    path("<int:pk>/kopie.pdf", views.request_pdf, name="request_pdf"),
    path("<int:pk>/andere-verwijsindexen/", views.request_remote_signals, name="request_remote_signals"),
    path("<int:pk>/afhandelen/", views.request_complete, name="request_complete"),
    path("<int:pk>/advies-vragen/", views.request_advice, name="request_advice"),
    path("<int:pk>/besluit/", views.request_decide, name="request_decide"),
    path("per-medewerker/", views.staff_activity, name="staff_activity"),
    path("advies/", views.advice_list, name="advice_list"),
    path("advies/<int:pk>/", views.advice_detail, name="advice_detail"),
]
