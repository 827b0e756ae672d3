"""Writes of regions, by concern: organisations, governance (municipalities, rules, addresses, settings, look),
mail to process managers, move notices. The names stay importable from regions.services."""

from ..exceptions import RegionAdminError
from .governance import (
    POSTCODE,
    REGION_SETTINGS,
    THEME_CONTRAST,
    THEME_FONT,
    THEME_PRIMARY,
    coordinator_rule_add,
    coordinator_rule_move,
    coordinator_rule_remove,
    institutional_address_add,
    institutional_address_remove,
    municipality_create,
    municipality_update,
    region_look_update,
    region_settings_update,
)
from .mail import process_managers_notify, process_managers_told
from .moves import move_notice_handle, move_notice_record
from .organisations import (
    ORGANISATION_FIELDS,
    organisation_create,
    organisation_deactivate,
    organisation_member_invite,
    organisation_reactivate,
    organisation_update,
    signalling_profile_update,
)

__all__ = [
    "ORGANISATION_FIELDS",
    "POSTCODE",
    "REGION_SETTINGS",
    "THEME_CONTRAST",
    "THEME_FONT",
    "THEME_PRIMARY",
    "RegionAdminError",
    "coordinator_rule_add",
    "coordinator_rule_move",
    "coordinator_rule_remove",
    "institutional_address_add",
    "institutional_address_remove",
    "move_notice_handle",
    "move_notice_record",
    "municipality_create",
    "municipality_update",
    "organisation_create",
    "organisation_deactivate",
    "organisation_member_invite",
    "organisation_reactivate",
    "organisation_update",
    "process_managers_notify",
    "process_managers_told",
    "region_look_update",
    "region_settings_update",
    "signalling_profile_update",
]
