"""The embedded register: the RvIG test persons (BRP_TEST_DATA), for development, demos and tests.

It answers in-process (`EmbeddedRegister`) and, through `as_haal_centraal`, in the Haal Centraal
BRP Personen v2 response shape for this project's own `/brp-embedded/personen` endpoint.
"""

import json
from functools import lru_cache
from pathlib import Path

from .types import BrpPerson

RESIDENTIAL = "W"  # functieAdres: woonadres (a mailing address is "B", briefadres)


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[str, dict]:
    with open(path, encoding="utf-8") as handle:
        records = json.load(handle)
    return {record["burgerservicenummer"]: record for record in records if record.get("burgerservicenummer")}


def register_records(path) -> dict[str, dict]:
    """The test persons by BSN, parsed once per file version."""
    path = Path(path)
    return _load(str(path), path.stat().st_mtime)


class EmbeddedRegister:
    """A BRP client that answers from the test data file, without HTTP."""

    def __init__(self, path):
        self.path = path

    def person(self, bsn: str) -> BrpPerson | None:
        record = register_records(self.path).get(bsn)
        return person_from_record(record) if record is not None else None


def _description(value) -> str:
    return (value.get("omschrijving") or "") if isinstance(value, dict) else ""


def _code(value) -> str:
    return (value or {}).get("code", "") if isinstance(value, dict) else ""


def person_from_record(record: dict) -> BrpPerson:
    """Read one person of the test set (the GBA-like internal shape) into a BrpPerson."""
    name = record.get("naam") or {}
    place = record.get("verblijfplaats") or {}
    dutch = bool(place.get("straat") or place.get("postcode")) and not place.get("land")
    suspension = record.get("opschortingBijhouding") or {}
    house_number = place.get("huisnummer") if dutch else None
    return BrpPerson(
        bsn=record["burgerservicenummer"],
        first_names=name.get("voornamen", ""),
        name_prefix=name.get("voorvoegsel", ""),
        surname=name.get("geslachtsnaam", ""),
        birth_date_brp=(record.get("geboorte") or {}).get("datum") or "00000000",
        sex=_code(record.get("geslacht")),
        street=place.get("straat", "") if dutch else "",
        house_number=int(house_number) if house_number else None,
        house_letter=place.get("huisletter", "") if dutch else "",
        house_number_addition=place.get("huisnummertoevoeging", "") if dutch else "",
        postcode=place.get("postcode", "") if dutch else "",
        town=place.get("woonplaats", "") if dutch else "",
        bag_id=(
            place.get("adresseerbaarObjectIdentificatie", "")
            if dutch and _code(place.get("functieAdres")) == RESIDENTIAL
            else ""
        ),
        municipality_code=_code(record.get("gemeenteVanInschrijving")),
        municipality_name=_description(record.get("gemeenteVanInschrijving")),
        parent_bsns=tuple(
            parent["burgerservicenummer"] for parent in record.get("ouders") or [] if parent.get("burgerservicenummer")
        ),
        children=tuple(
            (child["burgerservicenummer"], (child.get("geboorte") or {}).get("datum") or "00000000")
            for child in record.get("kinderen") or []
            if child.get("burgerservicenummer")
        ),
        confidential=str(record.get("geheimhoudingPersoonsgegevens", "0")) not in ("", "0"),
        death_date_brp=(record.get("overlijden") or {}).get("datum", ""),
        suspension_reason=_code(suspension.get("reden")),
        suspension_date_brp=suspension.get("datum", ""),
    )


# --- the Haal Centraal v2 response shape -------------------------------------------------------------

_MONTHS = ("januari februari maart april mei juni juli augustus september oktober november december").split()


def hc_date(value: str) -> dict | None:
    """A BRP date "YYYYMMDD" as the v2 polymorphic date (Datum, JaarMaandDatum, JaarDatum, DatumOnbekend)."""
    if not value:
        return None
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    if year == 0:
        return {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}
    if month == 0:
        return {"type": "JaarDatum", "jaar": year, "langFormaat": str(year)}
    if day == 0:
        return {"type": "JaarMaandDatum", "jaar": year, "maand": month, "langFormaat": f"{_MONTHS[month - 1]} {year}"}
    return {
        "type": "Datum",
        "datum": f"{year:04d}-{month:02d}-{day:02d}",
        "langFormaat": f"{day} {_MONTHS[month - 1]} {year}",
    }


def _drop_empty(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, "", [], {})}


def _hc_verblijfplaats(place: dict) -> dict:
    if place.get("land") or place.get("regel1") or place.get("regel2"):
        return _drop_empty(
            {
                "type": "VerblijfplaatsBuitenland",
                "verblijfadres": _drop_empty(
                    {
                        "land": place.get("land"),
                        "regel1": place.get("regel1"),
                        "regel2": place.get("regel2"),
                        "regel3": place.get("regel3"),
                    }
                ),
                "datumVan": hc_date(place.get("datumAanvangAdresBuitenland", "")),
            }
        )
    if place.get("locatiebeschrijving"):
        return _drop_empty(
            {
                "type": "Locatie",
                "verblijfadres": {"locatiebeschrijving": place["locatiebeschrijving"]},
                "functieAdres": place.get("functieAdres"),
            }
        )
    if place.get("straat") or place.get("postcode"):
        return _drop_empty(
            {
                "type": "Adres",
                "verblijfadres": _drop_empty(
                    {
                        "officieleStraatnaam": place.get("naamOpenbareRuimte") or place.get("straat"),
                        "korteStraatnaam": place.get("straat"),
                        "huisnummer": int(place["huisnummer"]) if place.get("huisnummer") else None,
                        "huisletter": place.get("huisletter"),
                        "huisnummertoevoeging": place.get("huisnummertoevoeging"),
                        "aanduidingBijHuisnummer": place.get("aanduidingBijHuisnummer"),
                        "postcode": place.get("postcode"),
                        "woonplaats": place.get("woonplaats"),
                    }
                ),
                "functieAdres": place.get("functieAdres"),
                "adresseerbaarObjectIdentificatie": place.get("adresseerbaarObjectIdentificatie"),
                "nummeraanduidingIdentificatie": place.get("nummeraanduidingIdentificatie"),
                "datumVan": hc_date(place.get("datumAanvangAdreshouding", "")),
            }
        )
    return {"type": "VerblijfplaatsOnbekend"}


def _hc_related(person: dict) -> dict:
    return _drop_empty(
        {
            "burgerservicenummer": person.get("burgerservicenummer"),
            "ouderAanduiding": person.get("ouderAanduiding"),
            "naam": person.get("naam"),
            "geslacht": person.get("geslacht"),
            "geboorte": _drop_empty(
                {**(person.get("geboorte") or {}), "datum": hc_date((person.get("geboorte") or {}).get("datum", ""))}
            ),
        }
    )


def as_haal_centraal(record: dict, fields: list[str]) -> dict:
    """One person of the test set as a v2 `Persoon`, limited to the requested top-level fields."""
    name = record.get("naam") or {}
    birth = record.get("geboorte") or {}
    death = record.get("overlijden") or {}
    suspension = record.get("opschortingBijhouding") or {}
    secrecy = str(record.get("geheimhoudingPersoonsgegevens", "0")) not in ("", "0")
    full = {
        "burgerservicenummer": record["burgerservicenummer"],
        "aNummer": record.get("aNummer"),
        "naam": _drop_empty(
            {
                "voornamen": name.get("voornamen"),
                "voorvoegsel": name.get("voorvoegsel"),
                "geslachtsnaam": name.get("geslachtsnaam"),
                "adellijkeTitelPredicaat": name.get("adellijkeTitelPredicaat"),
                "aanduidingNaamgebruik": name.get("aanduidingNaamgebruik"),
            }
        ),
        "geboorte": _drop_empty({**birth, "datum": hc_date(birth.get("datum", ""))}),
        "geslacht": record.get("geslacht"),
        "verblijfplaats": _hc_verblijfplaats(record.get("verblijfplaats") or {}),
        "gemeenteVanInschrijving": record.get("gemeenteVanInschrijving"),
        "ouders": [_hc_related(parent) for parent in record.get("ouders") or []],
        "kinderen": [_hc_related(child) for child in record.get("kinderen") or []],
        "overlijden": _drop_empty({**death, "datum": hc_date(death.get("datum", ""))}),
        # the v2 API always returns these two when they apply, whatever the fields
        "geheimhoudingPersoonsgegevens": True if secrecy else None,
        "opschortingBijhouding": _drop_empty(
            {"reden": suspension.get("reden"), "datum": hc_date(suspension.get("datum", ""))}
        ),
    }
    wanted = {field.split(".", 1)[0] for field in fields} | {"geheimhoudingPersoonsgegevens", "opschortingBijhouding"}
    return _drop_empty({key: value for key, value in full.items() if key in wanted})
