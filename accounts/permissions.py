"""Role checks for views: moved to core.roles (importable without regions); kept here for imports not yet updated."""

from core.roles import role_required

__all__ = ["role_required"]
