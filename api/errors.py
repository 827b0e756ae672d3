"""One JSON shape for every API error: `{"code", "message_nl", "message_en", "field"}`.

Messages are kept lazy (gettext_lazy) until the response is built and then rendered once in Dutch and once
in English, whatever language the request asked for.
"""

import logging
import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.outages import RETRY_AFTER_SECONDS, outage_of
from persons.exceptions import BrpUnavailable, PersonLookupError

logger = logging.getLogger(__name__)

# Messages by error code. Field validation codes are DRF's own (required, invalid, max_length, ...).
MESSAGES = {
    "invalid": _("Deze waarde is ongeldig."),
    "required": _("Dit veld is verplicht."),
    "null": _("Dit veld mag niet leeg zijn."),
    "blank": _("Dit veld mag niet leeg zijn."),
    "max_length": _("Deze waarde is te lang."),
    "min_length": _("Deze waarde is te kort."),
    "max_value": _("Deze waarde is te groot."),
    "min_value": _("Deze waarde is te klein."),
    "invalid_choice": _("Deze keuze bestaat niet."),
    "not_a_dict": _("Hier wordt een object verwacht."),
    "not_a_list": _("Hier wordt een lijst verwacht."),
    "date": _("Geef een datum, geen tijdstip."),
    "make_aware": _("Dit tijdstip bestaat niet in de tijdzone Europe/Amsterdam."),
    "overflow": _("Deze datum ligt te ver in de toekomst of het verleden."),
    "unknown_field": _("Dit veld bestaat niet."),
    "null_characters_not_allowed": _("Deze waarde bevat een NUL-teken; dat is niet toegestaan."),
    "surrogate_characters_not_allowed": _("Deze waarde bevat ongeldige Unicode-tekens."),
    "parse_error": _("De inhoud van het verzoek is geen geldige JSON."),
    "not_authenticated": _(
        "Geef de sleutel van de API-koppeling mee als 'Authorization: Bearer <client-id>.<geheim>'."
    ),
    "authentication_failed": _("De sleutel van de API-koppeling is onjuist, ingetrokken of niet meer actief."),
    "client_certificate_mismatch": _(
        "Het clientcertificaat hoort niet bij deze API-koppeling. Gebruik het certificaat dat is vastgelegd."
    ),
    "wrong_host": _(
        "Deze API-koppeling hoort bij een andere regio. Gebruik het adres van de eigen regio of het algemene API-adres."
    ),
    "permission_denied": _("U heeft geen toegang tot deze handeling."),
    "not_found": _("Niet gevonden."),
    "method_not_allowed": _("Deze methode is hier niet toegestaan."),
    "unsupported_media_type": _("Stuur de inhoud als JSON (Content-Type: application/json)."),
    "not_acceptable": _("Dit antwoord is alleen beschikbaar als JSON."),
    "throttled": _("Te veel verzoeken van deze API-koppeling. Probeer het over %(seconds)s seconden opnieuw."),
    "service_unavailable": _(
        "De verwijsindex is even niet beschikbaar; er is niets opgeslagen. Probeer het over een halve minuut "
        "opnieuw, met dezelfde Idempotency-Key."
    ),
    "server_error": _("Er ging iets mis aan onze kant. Probeer het later opnieuw; blijft het misgaan, meld het dan."),
    "refused": _("Het verzoek is geweigerd volgens de regels van de verwijsindex."),
    "idempotency_key_reused": _(
        "Deze Idempotency-Key is al gebruikt voor een ander verzoek. Gebruik voor elk nieuw signaal een nieuwe sleutel."
    ),
    "idempotency_key_invalid": _("Een Idempotency-Key bestaat uit 1 tot 255 zichtbare ASCII-tekens."),
    "professional_unknown": _(
        "Er is geen actieve meldingsbevoegde met dit e-mailadres bij de organisatie van deze API-koppeling."
    ),
    # refusals of the persons and signals services: their own Dutch message is used; these give the English
    "bsn_invalid": _("Dit is geen geldig burgerservicenummer. Controleer de negen cijfers."),
    # one answer for an unknown BSN and a wrong date of birth: neither can be told apart (persons/guards.py)
    "person_not_matched": _(
        "Er is geen persoon gevonden met dit burgerservicenummer en deze geboortedatum. Controleer beide gegevens."
    ),
    "lookup_rate_limited": _(
        "U heeft in korte tijd erg veel verschillende burgerservicenummers opgezocht. Om misbruik te voorkomen "
        "kunt u een uur lang niemand meer opzoeken. De procesmanager van uw regio is hiervan op de hoogte."
    ),
    "organisation_lookup_rate_limited": _(
        "Via de API-koppelingen van uw organisatie zijn in korte tijd erg veel verschillende burgerservicenummers "
        "opgezocht. Om misbruik te voorkomen kan uw organisatie een uur lang niemand meer opzoeken. De "
        "procesmanager van uw regio is hiervan op de hoogte."
    ),
    "birth_date_attempts_exceeded": _(
        "U heeft voor dit burgerservicenummer te vaak een geboortedatum opgegeven die er niet bij past. U kunt "
        "deze persoon 24 uur lang niet opzoeken. De procesmanager van uw regio is hiervan op de hoogte."
    ),
    "person_deceased": _(
        "Deze persoon is volgens de BRP overleden. Op een overleden persoon kan geen signaal worden afgegeven."
    ),
    "brp_unavailable": _(
        "De BRP is op dit moment niet bereikbaar. Uw invoer is bewaard; probeer het over een paar minuten opnieuw."
    ),
    "youth_too_old": _(
        "Deze persoon is 23 jaar of ouder. Een signaal kan alleen worden afgegeven voor een jeugdige tot 23 jaar."
    ),
    "youth_deceased": _(
        "Deze persoon is volgens de BRP overleden. Op een overleden persoon kan geen signaal worden afgegeven."
    ),
    "signal_already_active": _(
        "U heeft al een actief signaal op deze jeugdige. U kunt per jeugdige één actief signaal hebben; "
        "u vindt het bij Mijn signalen."
    ),
    "organisation_inactive": _(
        "Uw organisatie neemt op dit moment niet deel aan de verwijsindex. Neem contact op met de coördinator "
        "van uw organisatie."
    ),
    "convenant_not_started": _(
        "Het convenant van uw organisatie met de regio is nog niet ingegaan. U kunt signalen afgeven vanaf de "
        "ingangsdatum van het convenant."
    ),
    "not_a_professional": _(
        "U bent geen meldingsbevoegde van deze organisatie en kunt namens haar geen signaal afgeven."
    ),
    "informing_incomplete": _(
        "Leg vast wie is geïnformeerd, wanneer en hoe; of waarom informeren is uitgesteld of achterwege blijft."
    ),
    "signal_not_active": _("Dit signaal is niet meer actief."),
    "not_coordinator": _("Alleen de matchregisseur kan dit doen."),
    "date_in_future": _("Deze datum ligt in de toekomst."),
}

# Persons' look-up outcomes: the field they concern and the HTTP status.
_PERSON_STATUS = {BrpUnavailable: status.HTTP_503_SERVICE_UNAVAILABLE}


class ApiError(exceptions.APIException):
    """An error with its own code and (lazy) message; `params` fill %(name)s placeholders in both languages."""

    def __init__(self, *, code: str, status_code: int = 422, message=None, field: str | None = None, params=None):
        self.code = code
        self.status_code = status_code
        self.message = message if message is not None else MESSAGES.get(code, MESSAGES["refused"])
        self.field = field
        self.params = params or {}
        super().__init__(detail=code, code=code)


def _render(message, params, language) -> str:
    with translation.override(language):
        text = str(message)
        return text % params if params else text


def error_body(*, code: str, message, field: str | None = None, params=None) -> dict:
    nl = _render(message, params, "nl")
    en = _render(message, params, "en")
    if en == nl:
        # no English translation of this message (e.g. a refusal text formatted before it reached us)
        en = _render(MESSAGES["refused"], None, "en") if code not in MESSAGES else _render(MESSAGES[code], params, "en")
    return {"code": code, "message_nl": nl, "message_en": en, "field": field}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def refusal_error(exc: Exception, *, field: str | None = None) -> ApiError:
    """A refusal of our own services (persons, signals, matching) as an API error, keeping its Dutch message."""
    code = getattr(exc, "code", None)
    if not isinstance(code, str) or not code:
        code = _snake(type(exc).__name__)
    status_code = _PERSON_STATUS.get(type(exc), getattr(exc, "status_code", None) or 422)
    if isinstance(exc, PersonLookupError):
        field = field or "bsn"
        if isinstance(exc, BrpUnavailable):
            field = None
    return ApiError(code=code, status_code=status_code, message=getattr(exc, "message", str(exc)), field=field)


def _first_validation_error(detail, path=()):
    """The first (field path, ErrorDetail) of a nested DRF ValidationError detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            found = _first_validation_error(value, path if key == "non_field_errors" else (*path, str(key)))
            if found:
                return found
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            sub_path = path if not isinstance(value, dict | list) else (*path, str(index))
            found = _first_validation_error(value, sub_path)
            if found:
                return found
    elif detail is not None:
        return ".".join(path) or None, detail
    return None


def _as_api_error(exc) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, Http404):
        return ApiError(code="not_found", status_code=404)
    if isinstance(exc, DjangoPermissionDenied):
        return ApiError(code="permission_denied", status_code=403)
    if isinstance(exc, exceptions.ValidationError):
        found = _first_validation_error(exc.detail)
        field, detail = found if found else (None, None)
        code = getattr(detail, "code", None) or "invalid"
        return ApiError(code=code, status_code=400, message=MESSAGES.get(code, MESSAGES["invalid"]), field=field)
    if isinstance(exc, exceptions.ParseError):
        return ApiError(code="parse_error", status_code=400)
    if isinstance(exc, exceptions.Throttled):
        seconds = math.ceil(exc.wait) if exc.wait is not None else 60
        return ApiError(code="throttled", status_code=429, params={"seconds": seconds})
    if isinstance(exc, exceptions.APIException):
        code = exc.default_code if exc.default_code in MESSAGES else "invalid"
        return ApiError(code=code, status_code=exc.status_code)
    if isinstance(exc, PersonLookupError):
        return refusal_error(exc)
    outage = outage_of(exc)
    if outage is not None:
        logger.warning("API call: service unavailable (%s); answered 503", type(outage).__name__)
        return ApiError(code="service_unavailable", status_code=503)
    logger.exception("API call failed with an unexpected error")
    return ApiError(code="server_error", status_code=500)


def api_exception_handler(exc, context):
    """DRF exception handler for the API: every error in the one shape, never a stack trace."""
    error = _as_api_error(exc)
    headers = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(math.ceil(exc.wait))
    if error.status_code == 503:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS) if error.code == "service_unavailable" else "60"
    body = error_body(code=error.code, message=error.message, field=error.field, params=error.params)
    return Response(body, status=error.status_code, headers=headers)


def error_response(*, code: str, status_code: int, field: str | None = None):
    """A plain Django JSON response in the error shape (for URLs outside DRF views)."""
    from django.http import JsonResponse

    return JsonResponse(error_body(code=code, message=MESSAGES[code], field=field), status=status_code)
