"""Readable names of the logbook's action codes, one per kind of event (Dutch; English in locale/en).

A code without a label is shown as it is; tests/audit/test_logbook_labels.py finds codes written without one.
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "signal_placed": _("Signaal afgegeven"),
    "signal_ended": _("Signaal beëindigd"),
    "signal_archived": _("Signaal gearchiveerd"),
    "signal_destroyed": _("Signaal vernietigd"),
    "signal_expired": _("Signaal verlopen"),
    "signal_transferred": _("Signaal overgedragen"),
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
    "logbook_rekeyed": _("Logboek opnieuw geketend onder de sleutel"),
    "bsn_enumeration_suspected": _("Ongebruikelijk veel jeugdigen opgezocht; procesmanagers gewaarschuwd"),
    "api_call": _("API-aanroep door een koppeling gedaan"),
    "api_client_created": _("API-koppeling aangemaakt"),
    "api_client_revoked": _("API-koppeling ingetrokken"),
    "user_invited": _("Gebruiker uitgenodigd"),
    "invitation_accepted": _("Uitnodiging aanvaard"),
    "membership_deactivated": _("Lidmaatschap van een gebruiker beëindigd"),
    "two_factor_reset": _("Tweestapsverificatie van een gebruiker hersteld"),
    "email_failing": _("E-mailadres van een gebruiker als onbereikbaar gemarkeerd"),
    "organisation_created": _("Organisatie aangemaakt"),
    "organisation_changed": _("Gegevens van een organisatie gewijzigd"),
    "organisation_deactivated": _("Organisatie gedeactiveerd"),
    "organisation_reactivated": _("Organisatie weer actief gemaakt"),
    "signalling_profile_changed": _("Signaleringsprofiel van een organisatie gewijzigd"),
    "municipality_added": _("Gemeente aan de regio toegevoegd"),
    "municipality_changed": _("Gegevens van een gemeente gewijzigd"),
    "institutional_address_added": _("Instellingsadres toegevoegd"),
    "institutional_address_removed": _("Instellingsadres verwijderd"),
    "coordinator_rule_added": _("Regel voor matchregie toegevoegd"),
    "coordinator_rule_moved": _("Regel voor matchregie verplaatst"),
    "coordinator_rule_removed": _("Regel voor matchregie verwijderd"),
    "region_settings_changed": _("Instellingen van de regio gewijzigd"),
    "region_look_changed": _("Huisstijl van de regio gewijzigd"),
    "follow_up_checked": _("Opvolging van een match gecontroleerd"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
