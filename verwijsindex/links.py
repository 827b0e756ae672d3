"""Moved to core.links (a foundation every app may import); kept here for imports not yet updated."""

from core.links import region_url

__all__ = ["region_url"]
