"""Template filters for showing logbook entries."""

from django import template

from audit.actions import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return _action_label(code)
