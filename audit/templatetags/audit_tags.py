"""Template filters for showing logbook entries: each entry as a sentence naming what it was about."""

from django import template
from django.utils.translation import gettext as _

from audit.actions import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return _action_label(code)


@register.simple_tag
def entry_sentences(entries) -> dict:
    """Per entry id the action's label followed by the objects it named, in words (no codes, no ids of people).

    One read per kind of object for the whole page, whatever its length.
    """
    from accounts.models import User
    from regions.models import Organisation, Sector, Subtype
    from regions.selectors import municipality_labels

    entries = list(entries)
    organisation_ids = {_int(e.details.get(key)) for e in entries for key in ("organisation", "organisation_id")}
    user_ids = {_int(e.details.get(key)) for e in entries for key in ("user_id", "from_user_id", "to_user_id")}
    organisations = dict(Organisation.objects.filter(pk__in=organisation_ids - {None}).values_list("pk", "name"))
    users = dict(User.objects.filter(pk__in=user_ids - {None}).values_list("pk", "full_name"))
    municipalities = municipality_labels(
        codes=[e.details.get("cbs_code") for e in entries if e.details.get("cbs_code")]
    )
    sectors, subtypes = dict(Sector.choices), dict(Subtype.choices)

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
            objects.append(_("gemeente %(name)s") % {"name": municipalities[details["cbs_code"]].name})
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
