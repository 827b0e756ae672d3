from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from audit.hooks import objects_named

        from . import startup  # noqa: F401 - registers the demo account check
        from .selectors import logbook_users_named

        objects_named.register(logbook_users_named)
