"""Printable letters (page and PDF): informing parents and youths, and the municipality's decisions on requests."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    label = "letters"
    verbose_name = _("Brieven")
