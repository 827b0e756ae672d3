"""The roles a membership grants, and the view decorator that checks them; no app needs to be imported for either."""

from functools import wraps

from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Role(models.TextChoices):
    PROFESSIONAL = "professional", gettext_lazy("Meldingsbevoegde")
    ORGANISATION_COORDINATOR = "organisation_coordinator", gettext_lazy("Coördinator organisatie")
    PROCESS_MANAGER = "process_manager", gettext_lazy("Procesmanager")
    FOLLOWUP_MONITOR = "followup_monitor", gettext_lazy("Monitor opvolging")
    MUNICIPAL_STAFF = "municipal_staff", gettext_lazy("Medewerker gemeente")
    SYSTEM_ADMINISTRATOR = "system_administrator", gettext_lazy("Systeembeheerder")


ORGANISATION_ROLES = (Role.PROFESSIONAL, Role.ORGANISATION_COORDINATOR)
REGION_ROLES = (Role.PROCESS_MANAGER, Role.FOLLOWUP_MONITOR)
MUNICIPALITY_ROLES = (Role.MUNICIPAL_STAFF,)


def role_required(*roles: Role):
    """Allow the view only to users with one of these roles in the host's region.

    Sets request.membership to the first matching membership (the one the user acts through).
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            allowed = [m for m in getattr(request, "memberships", []) if m.role in roles]
            if not allowed:
                return render(
                    request,
                    "errors/forbidden.html",
                    {"title": _("Geen toegang")},
                    status=403,
                )
            request.membership = allowed[0]
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator
