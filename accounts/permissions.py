"""Role checks for views: which of the user's memberships in this region may use a view."""

from functools import wraps

from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import Role


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
