"""Dev/test only: this project's own `POST /brp-embedded/personen`, answering from the embedded register.

It speaks the Haal Centraal BRP Personen v2 shape, so the real HTTP client is exercised end to end.
It is mounted only when settings.BRP_SERVE_EMBEDDED_ENDPOINT is true (never in production).
"""

import hmac
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .embedded import as_haal_centraal, register_records

OPERATION = "RaadpleegMetBurgerservicenummer"


def _problem(status: int, title: str, code: str) -> JsonResponse:
    return JsonResponse(
        {"type": "https://datatracker.ietf.org/doc/html/rfc7231", "title": title, "status": status, "code": code},
        status=status,
        content_type="application/problem+json",
    )


@csrf_exempt
@login_not_required
@require_POST
def personen(request):
    if settings.BRP_API_KEY and not hmac.compare_digest(request.headers.get("X-API-KEY", ""), settings.BRP_API_KEY):
        return _problem(401, "Niet correct geauthenticeerd.", "authentication")
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return _problem(400, "De foutieve parameter(s) zijn: body.", "paramsValidation")
    numbers = body.get("burgerservicenummer") if isinstance(body, dict) else None
    fields = body.get("fields") if isinstance(body, dict) else None
    if body.get("type") != OPERATION:
        return _problem(400, "Onbekend type of type ontbreekt.", "paramsValidation")
    if (
        not isinstance(numbers, list)
        or not 1 <= len(numbers) <= 20
        or not all(isinstance(n, str) and len(n) == 9 and n.isdigit() for n in numbers)
    ):
        return _problem(400, "De foutieve parameter(s) zijn: burgerservicenummer.", "paramsValidation")
    if not isinstance(fields, list) or not fields or not all(isinstance(f, str) for f in fields):
        return _problem(400, "De foutieve parameter(s) zijn: fields.", "paramsValidation")
    records = register_records(settings.BRP_TEST_DATA)
    persons = [as_haal_centraal(records[n], fields) for n in dict.fromkeys(numbers) if n in records]
    return JsonResponse({"type": OPERATION, "personen": persons})
