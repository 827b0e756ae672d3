"""Readable Dutch names of the logbook's action codes (codes other apps write are shown as they are)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "signal_placed": _("Signaal afgegeven"),
    "signal_ended": _("Signaal beëindigd"),
    "signal_archived": _("Signaal gearchiveerd"),
    "signal_destroyed": _("Signaal vernietigd"),
    "signal_expired": _("Signaal verlopen"),
    "signal_transferred": _("Signaal overgedragen"),
    "signal_extended": _("Signaal verlengd"),
    "signal_informing_updated": _("Informeren bijgewerkt"),
    "contact_details_changed": _("Contactgegevens gewijzigd"),
    "organisation_team_contact_set": _("Teamcontact organisatie ingesteld"),
    "cover_created": _("Waarneming vastgelegd"),
    "cover_withdrawn": _("Waarneming ingetrokken"),
    "signal_viewed": _("Signaal bekeken"),
    "signal_archive_shown": _("Archief getoond aan professional"),
    "signal_expiry_reminder": _("Herinnering einde signaal verstuurd"),
    "youth_data_viewed": _("Gegevens jeugdige bekeken"),
    "youth_data_destroyed": _("Gegevens jeugdige vernietigd"),
    "brp_lookup": _("Opgevraagd bij de BRP"),
    "match_created": _("Match ontstaan; professionals met een actief signaal gemaild"),
    "matches_viewed": _("Matches bekeken"),
    "match_coordinator_changed": _("Matchregisseur gewijzigd"),
    "match_handover_proposed": _("Overdracht matchregie voorgesteld"),
    "match_handover_declined": _("Overdracht matchregie afgewezen"),
    "match_follow_up_recorded": _("Opvolging match vastgelegd"),
    "move_notice_created": _("Verhuizing naar andere regio gemeld"),
    "move_notice_handled": _("Melding verhuizing afgehandeld"),
    "notification_sent": _("E-mail verstuurd"),
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
