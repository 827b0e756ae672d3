from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("thema.css", views.theme_css, name="theme_css"),
    # process managers
    path("beheer/", views.manage_home, name="manage_home"),
    path("beheer/organisaties/", views.organisation_list, name="organisation_list"),
    path("beheer/organisaties/nieuw/", views.organisation_create, name="organisation_create"),
    path("beheer/organisaties/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("beheer/organisaties/<int:pk>/deactiveren/", views.organisation_deactivate, name="organisation_deactivate"),
    path("beheer/organisaties/<int:pk>/activeren/", views.organisation_reactivate, name="organisation_reactivate"),
    path(
        "beheer/organisaties/<int:pk>/coordinator-uitnodigen/",
        views.organisation_coordinator_invite,
        name="organisation_coordinator_invite",
    ),
    path("beheer/gemeenten/", views.municipality_list, name="municipality_list"),
    path("beheer/gemeenten/<int:pk>/", views.municipality_edit, name="municipality_edit"),
    path("beheer/matchregie/", views.coordinator_rules, name="coordinator_rules"),
    path("beheer/instellingsadressen/", views.institutional_addresses, name="institutional_addresses"),
    path(
        "beheer/instellingsadressen/<int:pk>/verwijderen/",
        views.institutional_address_remove,
        name="institutional_address_remove",
    ),
    path("beheer/instellingen/", views.region_settings, name="region_settings"),
    path("beheer/huisstijl/", views.region_look, name="region_look"),
    path("beheer/verhuismeldingen/", views.move_notice_list, name="move_notice_list"),
    path("beheer/verhuismeldingen/<int:pk>/afgehandeld/", views.move_notice_handle, name="move_notice_handle"),
    # organisation coordinators
    path("organisatie/", views.my_organisation, name="my_organisation"),
    path("organisatie/uitnodigen/", views.professional_invite, name="professional_invite"),
    path("organisatie/signaleringsprofiel/", views.signalling_profile, name="signalling_profile"),
]
