"""Moved to core.form_pages (a foundation every app may import); kept here for imports not yet updated."""

from core.form_pages import form_action, form_data, form_page, refusal_show

__all__ = ["form_action", "form_data", "form_page", "refusal_show"]
