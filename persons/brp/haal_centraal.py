"""The Haal Centraal "BRP Personen bevragen" v2 client: POST /personen, RaadpleegMetBurgerservicenummer."""

import logging

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..exceptions import BrpUnavailable
from .types import BrpPerson

logger = logging.getLogger(__name__)

FIELDS = [
    "burgerservicenummer",
    "naam",
    "geboorte",
    "geslacht",
    "verblijfplaats",
    "ouders",
    "kinderen",
    "gemeenteVanInschrijving",
    "overlijden",
    "geheimhoudingPersoonsgegevens",
    "opschortingBijhouding",
]
RESIDENTIAL = "W"


class HaalCentraalClient:
    """One session per client: keep-alive to the BRP, one retry on connection errors and 502/503/504."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str = "",
        cert: str = "",
        key: str = "",
        oin: str = "",
        purpose: str = "",
        timeout: float = 5.0,
    ):
        self.url = base_url.rstrip("/") + "/personen" if base_url else ""
        self.timeout = timeout
        self.session = requests.Session()
        # POST is safe to repeat here: RaadpleegMetBurgerservicenummer only reads
        retry = Retry(
            total=1,
            connect=1,
            read=1,
            status=1,
            status_forcelist=(502, 503, 504),
            allowed_methods=frozenset({"POST"}),
            backoff_factor=0.2,
            raise_on_status=False,
            # a 503's Retry-After (this project's own endpoint says 30 s while its database is away) would hold the
            # caller's request that long: the one retry comes after the short back-off, the request answers in time
            respect_retry_after_header=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_maxsize=16)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Accept": "application/json", "Content-Type": "application/json"})
        if api_key:
            self.session.headers["X-API-KEY"] = api_key
        if oin:
            self.session.headers["x-origin-oin"] = oin
        if purpose:
            self.session.headers["x-doelbinding"] = purpose
            self.session.headers["x-verwerking"] = purpose
        if cert:
            self.session.cert = (cert, key) if key else cert

    def person(self, bsn: str) -> BrpPerson | None:
        if not self.url:
            logger.error("BRP_BASE_URL is not configured")
            raise BrpUnavailable()
        body = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn], "fields": FIELDS}
        try:
            response = self.session.post(self.url, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            # the exception text names the URL only (the BSN travels in the body), but keep it to the type
            logger.warning("BRP not reachable: %s", type(exc).__name__)
            raise BrpUnavailable() from None
        if response.status_code != 200:
            logger.error("BRP answered HTTP %s", response.status_code)
            raise BrpUnavailable()
        try:
            persons = response.json().get("personen") or []
        except ValueError:
            logger.error("BRP answered with something that is not JSON")
            raise BrpUnavailable() from None
        for data in persons:
            if data.get("burgerservicenummer") == bsn:
                return person_from_haal_centraal(data)
        return None


def brp_date_from_hc(value: dict | None) -> str:
    """A v2 polymorphic date as the BRP string "YYYYMMDD" ("00" for unknown parts)."""
    if not value:
        return ""
    kind = value.get("type")
    if kind == "Datum" and value.get("datum"):
        return value["datum"].replace("-", "")
    if kind == "JaarMaandDatum":
        return f"{int(value['jaar']):04d}{int(value['maand']):02d}00"
    if kind == "JaarDatum":
        return f"{int(value['jaar']):04d}0000"
    return "00000000"


def _description(value) -> str:
    return (value.get("omschrijving") or "") if isinstance(value, dict) else ""


def _code(value) -> str:
    return value.get("code", "") if isinstance(value, dict) else ""


def person_from_haal_centraal(data: dict) -> BrpPerson:
    """Read a v2 `Persoon` into a BrpPerson."""
    name = data.get("naam") or {}
    place = data.get("verblijfplaats") or {}
    address = (place.get("verblijfadres") or {}) if place.get("type") == "Adres" else {}
    suspension = data.get("opschortingBijhouding") or {}
    return BrpPerson(
        bsn=data["burgerservicenummer"],
        first_names=name.get("voornamen", ""),
        name_prefix=name.get("voorvoegsel", ""),
        surname=name.get("geslachtsnaam", ""),
        birth_date_brp=brp_date_from_hc((data.get("geboorte") or {}).get("datum")) or "00000000",
        sex=_code(data.get("geslacht")),
        street=address.get("korteStraatnaam") or address.get("officieleStraatnaam") or "",
        house_number=int(address["huisnummer"]) if address.get("huisnummer") else None,
        house_letter=address.get("huisletter", ""),
        house_number_addition=address.get("huisnummertoevoeging", ""),
        postcode=address.get("postcode", ""),
        town=address.get("woonplaats", ""),
        bag_id=(
            place.get("adresseerbaarObjectIdentificatie", "")
            if address and _code(place.get("functieAdres")) == RESIDENTIAL
            else ""
        ),
        municipality_code=_code(data.get("gemeenteVanInschrijving")),
        municipality_name=_description(data.get("gemeenteVanInschrijving")),
        parent_bsns=tuple(
            parent["burgerservicenummer"] for parent in data.get("ouders") or [] if parent.get("burgerservicenummer")
        ),
        children=tuple(
            (child["burgerservicenummer"], brp_date_from_hc((child.get("geboorte") or {}).get("datum")) or "00000000")
            for child in data.get("kinderen") or []
            if child.get("burgerservicenummer")
        ),
        confidential=bool(data.get("geheimhoudingPersoonsgegevens")),
        death_date_brp=brp_date_from_hc((data.get("overlijden") or {}).get("datum")),
        suspension_reason=_code(suspension.get("reden")),
        suspension_date_brp=brp_date_from_hc(suspension.get("datum")),
    )
