"""URLs of the signals app (mounted under /signalen/)."""

from django.urls import path

from . import views, views_unborn

app_name = "signals"

urlpatterns = [
    path("", views.signal_list, name="list"),
    path("nieuw/", views.place, name="place"),
    path("nieuw/ongeboren/", views_unborn.place_unborn, name="place_unborn"),
    path("nieuw/controleren/", views.place_confirm, name="place_confirm"),
    path("nieuw/signaleringsprofiel/", views.place_profile, name="place_profile"),
    path("nieuw/informeren/", views.place_informing, name="place_informing"),
    path("nieuw/afbreken/", views.place_cancel, name="place_cancel"),
    path("<int:signal_id>/", views.signal_detail, name="detail"),
    path("<int:signal_id>/afgegeven/", views.placed, name="placed"),
    path("<int:signal_id>/beeindigen/", views.signal_end, name="end"),
    path("<int:signal_id>/verlengen/", views.signal_extend, name="extend"),
    path("<int:signal_id>/verwachte-datum/", views_unborn.signal_expected_date, name="expected_date"),
    path("<int:signal_id>/informeren/", views.signal_informing, name="informing"),
    path("profiel/", views.profile, name="profile"),
    path("waarneming/", views.cover_own, name="cover_own"),
    path("waarneming/<int:cover_id>/intrekken/", views.cover_withdraw, name="cover_withdraw"),
    path("organisatie/waarneming/", views.organisation_covers, name="organisation_covers"),
    path("organisatie/teamcontact/", views.organisation_team_contact, name="organisation_team_contact"),
    path("organisatie/", views.organisation_professionals, name="organisation_professionals"),
    path("organisatie/<int:membership_id>/", views.organisation_professional, name="organisation_professional"),
    path(
        "organisatie/signaal/<int:signal_id>/overdragen/",
        views.organisation_signal_transfer,
        name="organisation_signal_transfer",
    ),
]
