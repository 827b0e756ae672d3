"""Readable Dutch names of the logbook's action codes (codes other apps write are shown as they are)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "signal_placed": _("Signaal afgegeven"),
    "signal_ended": _("Signaal beëindigd"),
    "signal_archived": _("Signaal gearchiveerd"),
    "signal_destroyed": _("Signaal vernietigd"),
    "signal_expired": _("Signaal verlopen"),
    "signal_transferred": _("Signaal overgedragen"),
    "signal_viewed": _("Signaal bekeken"),
    "youth_viewed": _("Gegevens jeugdige bekeken"),
    "youth_lookup": _("Jeugdige opgezocht"),
    "match_created": _("Match ontstaan"),
    "match_notified": _("Professional geïnformeerd over match"),
    "notification_sent": _("E-mail verstuurd"),
    "coordinator_assigned": _("Matchregisseur toegewezen"),
    "rights_youth_lookup": _("Jeugdige opgezocht voor een verzoek"),
    "rights_request_registered": _("Verzoek geregistreerd"),
    "rights_overview_viewed": _("Overzicht voor inzage bekeken"),
    "rights_copy_issued": _("Kopie gemaakt"),
    "rights_request_completed": _("Verzoek afgehandeld"),
    "rights_advice_requested": _("Advies gevraagd aan professional"),
    "rights_advice_given": _("Advies gegeven"),
    "rights_request_decided": _("Besluit op verzoek"),
    "rights_request_overdue_reminded": _("Herinnering termijn verzoek verstuurd"),
    "logbook_searched_by_bsn": _("Logboek doorzocht op BSN"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
