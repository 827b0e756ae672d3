"""URLs of the letters (mounted under /brieven/): each letter as a page to print and as a PDF."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("informeren/", views.informing_letters, name="informing_letters"),
    path("informeren/<slug:group>/", views.informing_letter, name="informing_letter"),
    path("informeren/<slug:group>/pdf/", views.informing_letter_pdf, name="informing_letter_pdf"),
    path("besluit/<int:pk>/", views.decision_letter, name="decision_letter"),
    path("besluit/<int:pk>/pdf/", views.decision_letter_pdf, name="decision_letter_pdf"),
]
