"""Signed JSON calls between federation parties: the server side (a view decorator) and the client side.

Every call and every answer is signed (federation/trust.py) and logged at both ends in FederationCall, with the
path, status, idempotency key and body digest; never the body. A call with an Idempotency-Key that was answered
before gets the stored answer and changes nothing (IdempotentCall).
"""

import json
import logging
import time
from collections.abc import Callable
from functools import wraps

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import trust
from .models import CallDirection, FederationCall, IdempotentCall

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


class ProtocolError(Exception):
    """A call the other party refused or did not answer properly; `status` is its HTTP status (0: no answer)."""

    def __init__(self, message: str, *, status: int = 0, code: str = ""):
        super().__init__(message)
        self.status = status
        self.code = code


class Refused(Exception):
    """Raised by a handler: answer with this status and code (no change was made)."""

    def __init__(self, status: int, code: str):
        super().__init__(code)
        self.status = status
        self.code = code


def _log(*, direction, peer, method, path, status, idempotency_key="", body=b"", signature="", outcome=""):
    FederationCall.objects.create(
        direction=direction,
        peer=peer[:64],
        method=method,
        path=path[:200],
        status=status,
        idempotency_key=idempotency_key[:64],
        body_sha256=trust.body_digest(body) if body else "",
        signature=signature[:200],
        outcome=outcome[:64],
    )


def own_id() -> str:
    return settings.FEDERATION_DEPLOYMENT_ID or ("hub" if settings.VERWIJSINDEX_ROLE == "hub" else "")


def _answer(status: int, data: dict, *, request_signature: str) -> HttpResponse:
    body = json.dumps(data, separators=(",", ":")).encode()
    timestamp = int(time.time())
    response = HttpResponse(body, status=status, content_type="application/json")
    response[trust.SIGNATURE_HEADER] = trust.sign(
        trust.response_signing_parts(status, timestamp, request_signature, body), sender=own_id()
    )
    return response


def federation_endpoint(resolve_peer: Callable, *, remember_answer: bool = True) -> Callable:
    """Wrap handler(peer, data) -> dict (or raise Refused) as a signed, logged, idempotent JSON endpoint.

    resolve_peer(request) -> trust.Peer; raises trust.TrustError for a caller that may not call.
    `remember_answer=False` for an answer that must not be kept (the hub's relay of contact details): a repeated
    call is then handled again, and the handler must be idempotent itself.
    """

    def decorate(handler: Callable) -> Callable:
        @wraps(handler)
        @csrf_exempt
        @login_not_required
        @require_POST
        def view(request, **kwargs):
            body = request.body
            signature = request.headers.get(trust.SIGNATURE_HEADER, "")
            key = request.headers.get(trust.IDEMPOTENCY_HEADER, "")[:64]
            log = {"method": request.method, "path": request.path, "idempotency_key": key, "body": body}
            try:
                peer = resolve_peer(request)
            except trust.TrustError as error:
                _log(direction=CallDirection.IN, peer="?", status=403, outcome=str(error), signature=signature, **log)
                # no signature on the refusal: we do not know whom we answer
                return HttpResponse(json.dumps({"code": "not_trusted"}), status=403, content_type="application/json")
            try:
                trust.verify(
                    signature,
                    lambda ts: trust.request_signing_parts(request.method, request.path, ts, key, body),
                    certificate=peer.certificate,
                )
                if trust.parse_signature(signature)["id"] != peer.deployment:
                    raise trust.TrustError("signature names another sender")
            except trust.TrustError as error:
                _log(direction=CallDirection.IN, peer=peer.deployment, status=403, outcome=str(error), **log)
                return _answer(403, {"code": "bad_signature"}, request_signature=signature)
            if len(body) > MAX_BODY or not key:
                _log(direction=CallDirection.IN, peer=peer.deployment, status=400, signature=signature, **log)
                return _answer(400, {"code": "bad_request"}, request_signature=signature)
            stored = IdempotentCall.objects.filter(peer=peer.deployment, key=key).first() if remember_answer else None
            if stored is not None:
                _log(
                    direction=CallDirection.IN,
                    peer=peer.deployment,
                    status=stored.status,
                    signature=signature,
                    outcome="repeated",
                    **log,
                )
                return _answer(stored.status, stored.answer, request_signature=signature)
            try:
                data = json.loads(body)
                if not isinstance(data, dict):
                    raise ValueError
                data["_idempotency_key"] = key
            except ValueError:
                _log(direction=CallDirection.IN, peer=peer.deployment, status=400, signature=signature, **log)
                return _answer(400, {"code": "bad_json"}, request_signature=signature)
            try:
                with transaction.atomic():
                    answer, status = handler(peer, data, **kwargs), 200
                    if remember_answer:
                        IdempotentCall.objects.create(peer=peer.deployment, key=key, status=status, answer=answer)
            except Refused as refusal:
                answer, status = {"code": refusal.code}, refusal.status
            except IntegrityError:
                if not remember_answer:
                    raise
                # the same key at the same moment from a retry: the first one's answer stands
                stored = IdempotentCall.objects.get(peer=peer.deployment, key=key)
                answer, status = stored.answer, stored.status
            _log(
                direction=CallDirection.IN,
                peer=peer.deployment,
                status=status,
                signature=signature,
                outcome=answer.get("code", "") if status != 200 else "",
                **log,
            )
            return _answer(status, answer, request_signature=signature)

        return view

    return decorate


def call(
    *, base_url: str, path: str, data: dict, idempotency_key: str, peer: str, peer_certificate, timeout: float = 10.0
) -> dict:
    """POST a signed call over mutual TLS; returns the verified answer or raises ProtocolError."""
    body = json.dumps(data, separators=(",", ":")).encode()
    timestamp = int(time.time())
    signature = trust.sign(trust.request_signing_parts("POST", path, timestamp, idempotency_key, body), sender=own_id())
    headers = {
        "Content-Type": "application/json",
        trust.SIGNATURE_HEADER: signature,
        trust.IDEMPOTENCY_HEADER: idempotency_key,
    }
    log = {
        "direction": CallDirection.OUT,
        "peer": peer,
        "method": "POST",
        "path": path,
        "idempotency_key": idempotency_key,
        "body": body,
        "signature": signature,
    }
    try:
        response = requests.post(
            base_url.rstrip("/") + path,
            data=body,
            headers=headers,
            cert=(str(settings.FEDERATION_TLS_CERT), str(settings.FEDERATION_TLS_KEY)),
            verify=str(settings.FEDERATION_TLS_CA),
            timeout=timeout,
        )
    except requests.RequestException as error:
        _log(status=None, outcome=type(error).__name__, **log)
        raise ProtocolError(f"{peer} not reached ({type(error).__name__})") from None
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code == 403 and answer.get("code") == "not_trusted":
        _log(status=403, outcome="not_trusted", **log)
        raise ProtocolError("refused: not on the trust list", status=403, code="not_trusted")
    try:
        trust.verify(
            response.headers.get(trust.SIGNATURE_HEADER, ""),
            lambda ts: trust.response_signing_parts(response.status_code, ts, signature, response.content),
            certificate=peer_certificate,
        )
    except trust.TrustError as error:
        _log(status=response.status_code, outcome=f"answer: {error}", **log)
        raise ProtocolError(f"answer of {peer} not verified: {error}", status=response.status_code) from None
    _log(status=response.status_code, outcome=answer.get("code", "") if response.status_code != 200 else "", **log)
    if response.status_code != 200:
        raise ProtocolError(
            f"{peer} refused: {answer.get('code', response.status_code)}",
            status=response.status_code,
            code=answer.get("code", ""),
        )
    return answer
