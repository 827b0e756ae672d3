"""The refusals of regions' services."""


class RegionAdminError(Exception):
    """A refused change; `.message` is the Dutch text shown to the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
