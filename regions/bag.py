"""Finding a dwelling's BAG id (adresseerbaar object) from its address.

Production asks the Kadaster "BAG API Individuele Bevragingen" v2 when BAG_API_URL is set.
Development and tests search the embedded BRP register (the RvIG test persons' addresses carry the
BAG id of their dwelling). Without either, the process manager enters the BAG id as given.
"""

import json
import logging
import re
from functools import lru_cache
from pathlib import Path

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

BAG_ID = re.compile(r"^\d{16}$")


class BagUnavailable(Exception):
    """The BAG look-up could not be reached; the caller asks for the BAG id instead."""


def _key(postcode: str, house_number: int, house_letter: str = "", addition: str = "") -> tuple:
    return (postcode.replace(" ", "").upper(), int(house_number), house_letter.upper(), addition.upper())


@lru_cache(maxsize=2)
def _embedded_index(path: str) -> dict[tuple, str]:
    index: dict[tuple, str] = {}
    for person in json.loads(Path(path).read_text(encoding="utf-8")):
        place = person.get("verblijfplaats") or {}
        bag_id = place.get("adresseerbaarObjectIdentificatie")
        if not bag_id or not place.get("postcode") or not str(place.get("huisnummer", "")).isdigit():
            continue
        key = _key(
            place["postcode"], place["huisnummer"], place.get("huisletter", ""), place.get("huisnummertoevoeging", "")
        )
        index.setdefault(key, bag_id)
    return index


def _embedded_available() -> bool:
    uses_embedded = settings.BRP_CLIENT == "embedded" or settings.BRP_SERVE_EMBEDDED_ENDPOINT
    return bool(uses_embedded and settings.BRP_TEST_DATA and Path(settings.BRP_TEST_DATA).exists())


def bag_lookup_available() -> bool:
    return bool(getattr(settings, "BAG_API_URL", "")) or _embedded_available()


def bag_id_for_address(*, postcode: str, house_number: int, house_letter: str = "", addition: str = "") -> str | None:
    """The BAG id of the dwelling at this address, or None when none is known. Raises BagUnavailable."""
    if getattr(settings, "BAG_API_URL", ""):
        return _bag_api_lookup(postcode, house_number, house_letter, addition)
    if _embedded_available():
        return _embedded_index(str(settings.BRP_TEST_DATA)).get(_key(postcode, house_number, house_letter, addition))
    return None


def _bag_api_lookup(postcode: str, house_number: int, house_letter: str, addition: str) -> str | None:
    params = {"postcode": postcode, "huisnummer": house_number, "exacteMatch": "true"}
    if house_letter:
        params["huisletter"] = house_letter
    if addition:
        params["huisnummertoevoeging"] = addition
    try:
        response = requests.get(
            f"{settings.BAG_API_URL.rstrip('/')}/adressen",
            params=params,
            headers={"X-Api-Key": settings.BAG_API_KEY, "Accept-Crs": "epsg:28992"},
            timeout=settings.BRP_TIMEOUT,
        )
    except requests.RequestException as error:
        logger.warning("BAG look-up failed: %s", type(error).__name__)
        raise BagUnavailable from None
    if response.status_code == 404:
        return None
    if response.status_code >= 400:
        logger.warning("BAG look-up answered %s", response.status_code)
        raise BagUnavailable
    addresses = response.json().get("_embedded", {}).get("adressen", [])
    return addresses[0].get("adresseerbaarObjectIdentificatie") if addresses else None
