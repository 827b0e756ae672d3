from django.urls import path  # noqa: F401 - views are added with the pages of this app

app_name = "persons"

urlpatterns: list = []
