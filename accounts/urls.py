from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("tweede-stap/", views.two_factor, name="two_factor"),
    path("tweestapsverificatie-instellen/", views.enrol, name="enrol"),
    path("uitloggen/", views.logout_view, name="logout"),
]
