"""Youths, BSN encryption and pseudonyms, and the BRP clients."""

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    name = "persons"
    verbose_name = _("Personen")

    def ready(self):
        from audit.hooks import bsn_search_checked

        from .guards import logbook_search_check
        from .pseudonyms import register_pseudonym_column
        from .redaction import install_log_record_redaction

        install_log_record_redaction()
        bsn_search_checked.register(logbook_search_check)

        youth = self.get_model("Youth")
        register_pseudonym_column(youth, "pseudonym", "bsn")
        register_pseudonym_column(youth, "parent_pseudonyms", "bsn")
        register_pseudonym_column(youth, "bag_pseudonym", "bag")
        register_pseudonym_column(youth, "unborn_mother_pseudonym", "bsn")
        # Columns of other apps known today; their apps may register more (registering twice is harmless).
        # audit.LogEntry.youth_pseudonym is left out on purpose: the logbook is append-only (the database
        # refuses UPDATE), so entries keep the pseudonym under the key of their day.
        for label, field, kind in (
            ("regions.InstitutionalAddress", "bag_pseudonym", "bag"),
            ("matching.MatchKey", "value", "bsn"),
            ("matching.MatchKey", "value", "bag"),
        ):
            try:
                register_pseudonym_column(apps.get_model(label), field, kind)
            except LookupError:
                pass
