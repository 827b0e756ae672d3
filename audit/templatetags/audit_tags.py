"""Template filters for showing logbook entries: each entry as a sentence naming what it was about."""

from django import template
from django.utils.translation import gettext as _

from audit.actions import action_label as _action_label
from audit.hooks import objects_named

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return _action_label(code)


@register.simple_tag
def entry_sentences(entries) -> dict:
    """Per entry id the action's label followed by the objects it named, in words (no codes, no ids of people).

    One read per kind of object for the whole page, whatever its length.
    """
    entries = list(entries)
    names: dict[str, dict] = {}
    for answer in objects_named.send(details=[entry.details or {} for entry in entries]):
        for kind, labels in answer.items():
            names.setdefault(kind, {}).update(labels)
    organisations, users = names.get("organisation", {}), names.get("user", {})
    municipalities = names.get("municipality", {})
    sectors, subtypes = names.get("sector", {}), names.get("subtype", {})

    sentences = {}
    for entry in entries:
        details = entry.details or {}
        objects = []
        if details.get("rights_request"):
            objects.append(_("verzoek VZ-%(n)06d") % {"n": _int(details["rights_request"]) or 0})
        for key in ("organisation", "organisation_id"):
            if _int(details.get(key)) in organisations:
                objects.append(_("organisatie %(name)s") % {"name": organisations[_int(details[key])]})
        for key, word in (("user_id", _("gebruiker")), ("from_user_id", _("van")), ("to_user_id", _("aan"))):
            if _int(details.get(key)) in users:
                objects.append(f"{word} {users[_int(details[key])]}")
        if details.get("cbs_code"):
            objects.append(_("gemeente %(name)s") % {"name": municipalities.get(details["cbs_code"], "")})
        if details.get("sector"):
            rule = str(sectors.get(details["sector"], ""))
            if details.get("subtype"):
                rule = f"{rule} — {subtypes.get(details['subtype'], '')}"
            objects.append(rule)
        if "upheld" in details:
            objects.append(_("toegekend") if details["upheld"] else _("afgewezen"))
        sentence = _action_label(entry.action)
        sentences[entry.pk] = f"{sentence}: {', '.join(o for o in objects if o)}" if any(objects) else sentence
    return sentences


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "")
