"""Registry of every column that stores a keyed pseudonym, so `manage.py pseudonym_rotate` can recompute them.

Apps that store a pseudonym declare the column once, in their AppConfig.ready():

    from persons.pseudonyms import register_pseudonym_column
    register_pseudonym_column(MatchKey, "value", "bsn")      # a youth's or parent's BSN pseudonym
    register_pseudonym_column(MatchKey, "value", "bag")      # a BAG id pseudonym

`kind` is "bsn" (bsn_pseudonym) or "bag" (bag_pseudonym). A column may hold both kinds (register it
twice): the two are computed with different prefixes, so a value is never mistaken for the other kind.
The field may be a CharField/TextField or an ArrayField of those.
"""

from dataclasses import dataclass

KINDS = ("bsn", "bag")


@dataclass(frozen=True)
class PseudonymColumn:
    model: type
    field: str
    kind: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field} ({self.kind})"

    @property
    def is_array(self) -> bool:
        from django.contrib.postgres.fields import ArrayField

        return isinstance(self.model._meta.get_field(self.field), ArrayField)


_columns: dict[tuple[str, str, str], PseudonymColumn] = {}


def register_pseudonym_column(model, field: str, kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    model._meta.get_field(field)  # fails early on a typo
    _columns[(model._meta.label, field, kind)] = PseudonymColumn(model=model, field=field, kind=kind)


def pseudonym_columns() -> list[PseudonymColumn]:
    return list(_columns.values())
