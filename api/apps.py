"""The system-to-system REST API for organisations' client record systems."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API-koppelingen")

    def ready(self):
        from . import schema  # noqa: F401 - registers the OpenAPI extension for the client authentication
