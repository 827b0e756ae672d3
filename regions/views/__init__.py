"""Region pages, by audience: public (theme, information for parents), governance (process managers),
organisation (coordinators), invites (shared by both). The names stay importable from regions.views."""

from .governance import (
    coordinator_rules,
    institutional_address_remove,
    institutional_addresses,
    manage_home,
    move_notice_handle,
    move_notice_list,
    municipality_edit,
    municipality_list,
    organisation_coordinator_invite,
    organisation_create,
    organisation_deactivate,
    organisation_detail,
    organisation_list,
    organisation_reactivate,
    process_manager_required,
    region_look,
    region_settings,
)
from .invites import invite_page
from .organisation import coordinator_required, my_organisation, professional_invite, signalling_profile
from .public import public_information, theme_css

__all__ = [
    "coordinator_required",
    "coordinator_rules",
    "institutional_address_remove",
    "institutional_addresses",
    "invite_page",
    "manage_home",
    "move_notice_handle",
    "move_notice_list",
    "municipality_edit",
    "municipality_list",
    "my_organisation",
    "organisation_coordinator_invite",
    "organisation_create",
    "organisation_deactivate",
    "organisation_detail",
    "organisation_list",
    "organisation_reactivate",
    "process_manager_required",
    "professional_invite",
    "public_information",
    "region_look",
    "region_settings",
    "signalling_profile",
    "theme_css",
]
