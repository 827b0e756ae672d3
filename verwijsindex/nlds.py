"""The NL Design System (Utrecht) markup of a form control, in one place: every form field renders through it.

Whatever classes a form put on its widget, the control gets the Utrecht class and the `--html-*` modifier
that styles the native element (without the modifier a radio shows no checked state and a select stays a
bare browser control), `aria-invalid` and the ids of its help text and error message. Date fields always
are Dutch text boxes (core/dates.py) with a hint saying the format, linked to the control.
"""

import re

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

_CONTROL_CLASSES = {
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "select": "utrecht-select utrecht-select--html-select",
    "selectmultiple": "utrecht-select utrecht-select--html-select",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "clearablefile": "utrecht-file-input",
    "file": "utrecht-file-input",
}
_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
_INVALID = {"utrecht-textbox": "utrecht-textbox--invalid", "utrecht-select": "utrecht-select--invalid",
            "utrecht-textarea": "utrecht-textarea--invalid"}  # fmt: skip


def control_class(field) -> str:
    css = _CONTROL_CLASSES.get(field.widget_type, _TEXTBOX)
    if field.widget_type == "dutchdate":
        css += " vi-date"
    elif field.widget_type == "dutchmonth":
        css += " vi-month"
    if field.errors and css.split()[0] in _INVALID:
        css += " " + _INVALID[css.split()[0]]
    return css


def described_by(field) -> str:
    ids = []
    if is_date(field):
        ids.append(f"{field.auto_id}_format")
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if max_length(field):
        ids.append(f"{field.auto_id}_limit")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


# limits of short technical fields (a BSN, a postcode) are not news to anyone; those of free text are
SHOWN_LIMIT_FROM = 100


@register.filter
def max_length(field) -> int | None:
    """The character limit of a free-text field (shown under it and enforced by the form), else None."""
    if field.widget_type in ("text", "textarea", "email"):
        limit = getattr(field.field, "max_length", None)
        return limit if limit and limit >= SHOWN_LIMIT_FROM else None
    return None


@register.filter
def control(field) -> str:
    """The field's control with the Utrecht classes and its accessible description."""
    widget = field.field.widget
    own = [c for c in widget.attrs.get("class", "").split() if not c.startswith("utrecht-")]
    attrs = {"class": " ".join([control_class(field), *own])}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if describedby := described_by(field):
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@register.filter
def is_date(field) -> bool:
    """A Dutch date or month field (dd-mm-jjjj or mm-jjjj text box), which shows its format above the box."""
    return field.widget_type in ("dutchdate", "dutchmonth")


@register.simple_tag
def date_hint(field=None) -> str:
    # the example kept on one line: a narrow screen would break it at a hyphen
    if field is not None and field.widget_type == "dutchmonth":
        example = format_html('<span class="vi-nowrap">{}</span>', "03-2026")
        return format_html(escape(_("Maand-jaar (mm-jjjj), bijvoorbeeld {example}.")), example=example)
    example = format_html('<span class="vi-nowrap">{}</span>', "15-03-2026")
    return format_html(escape(_("Dag-maand-jaar (dd-mm-jjjj), bijvoorbeeld {example}.")), example=example)


@register.filter
def first_control_id(field) -> str:
    """The id the error summary links to: the control itself, or the first option of a group."""
    if field.widget_type in ("radioselect", "checkboxselectmultiple"):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.simple_tag
def limit_text(limit: int) -> str:
    return _("Hoogstens %(limit)s tekens.") % {"limit": f"{limit:,}".replace(",", ".")}


@register.filter
def in_fours(key: str) -> str:
    """A key to type over, in groups of four characters ("ABCD EFGH ..."); apps ignore the spaces."""
    key = "".join(str(key).split())
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


_REFERENCE = re.compile(r"\b([LM]-\d+)\b")


@register.filter
def references_unbroken(text) -> str:
    """A match reference (M-000123, L-000031) kept on one line: a narrow screen broke a heading at its hyphen."""
    parts = _REFERENCE.split(str(text))
    return format_html_join(
        "", "{}", ((format_html('<span class="vi-nowrap">{}</span>', p) if i % 2 else p,) for i, p in enumerate(parts))
    )
