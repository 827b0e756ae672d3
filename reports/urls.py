from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("statistiek.csv", views.statistics_csv, name="statistics_csv"),
]
