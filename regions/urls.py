from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("thema.css", views.theme_css, name="theme_css"),
]
