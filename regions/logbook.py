"""What regions tells the logbook's page (audit.hooks.objects_named): the names of what its entries point at."""

from .models import Organisation, Sector, Subtype
from .selectors import municipality_labels


def logbook_objects_named(*, details: list[dict]) -> dict[str, dict]:
    """The names of the organisations, municipalities, sectors and subtypes that logbook entries point at
    (the answer to audit.hooks.objects_named): one read per kind."""
    found = {_int(each.get(key)) for each in details for key in ("organisation", "organisation_id")}
    organisation_ids = {pk for pk in found if pk is not None}
    codes = [each["cbs_code"] for each in details if each.get("cbs_code")]
    return {
        "organisation": dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name")),
        "municipality": {code: label.name for code, label in municipality_labels(codes=codes).items()},
        "sector": dict(Sector.choices),
        "subtype": dict(Subtype.choices),
    }


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
