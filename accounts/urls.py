"""Account URLs: login, two factors, invitations, password reset, two-factor reset, logout."""

from django.urls import path

from . import oidc_views, passkey_views, views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("inloggen/organisatie/<int:provider_id>/", oidc_views.oidc_start, name="oidc_start"),
    path("inloggen/organisatie/terug/", oidc_views.oidc_callback, name="oidc_callback"),
    path(
        "organisaties/<int:organisation_id>/inloggen-via-organisatie/",
        oidc_views.identity_provider_edit,
        name="identity_provider",
    ),
    path("passkeys/", passkey_views.passkey_list, name="passkeys"),
    path("passkeys/<int:passkey_id>/verwijderen/", passkey_views.passkey_remove_view, name="passkey_remove"),
    path("tweede-stap/", views.two_factor, name="two_factor"),
    path("tweede-stap/demo/", views.dev_shortcut, name="dev_shortcut"),
    path("tweestapsverificatie-instellen/", views.enrol, name="enrol"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("uitnodiging/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("wachtwoord-vergeten/", views.password_reset, name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", views.password_reset_done, name="password_reset_done"),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("wachtwoord-herstellen/klaar/", views.password_reset_complete, name="password_reset_complete"),
    path("gebruikers/", views.user_list, name="user_list"),
    path(
        "gebruikers/<int:user_id>/tweestapsverificatie-herstellen/",
        views.two_factor_reset_view,
        name="two_factor_reset",
    ),
]
