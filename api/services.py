"""Writes of the API: clients and their secrets, the call log, and placing/ending signals with idempotency."""

import datetime
import json
import secrets
import zlib

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from audit import events as audit_events
from matching.exceptions import MatchActionRefused, NotCoordinator
from matching.selectors import match_of_signal, participants_of
from matching.services import match_follow_up_record
from persons.exceptions import PersonLookupError
from signals.exceptions import InformingIncomplete, SignalRefused
from signals.services import (
    signal_end,
    signal_extend,
    signal_informing_update,
    signal_place,
    signal_place_lookup,
)
from signals.unborn import unborn_place_lookup

from .authentication import fingerprint_normalise, secret_hash
from .errors import ApiError, refusal_error
from .models import ApiClient, IdempotencyRecord
from .selectors import professional_of_client

# first key of the transaction-scoped advisory lock that serialises calls with the same Idempotency-Key
_IDEMPOTENCY_LOCK_SPACE = 0x41504931  # "API1"
_LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def api_client_create(
    *, organisation, name: str, created_by=None, certificate_fingerprint: str = "", request=None
) -> tuple[ApiClient, str]:
    """Create a client; returns it with its token `<client_id>.<secret>`, which is shown once and never stored."""
    secret = secrets.token_urlsafe(32)  # 256 bits
    with transaction.atomic():
        client = ApiClient.objects.create(
            organisation=organisation,
            name=name.strip(),
            client_id=f"vi-{secrets.token_hex(8)}",
            secret_sha256=secret_hash(secret),
            certificate_fingerprint=fingerprint_normalise(certificate_fingerprint) if certificate_fingerprint else "",
            created_by=created_by,
        )
        audit_events.api_client_created(
            actor=created_by,
            request=request,
            region_id=organisation.region_id,
            api_client_id=client.pk,
            client_id=client.client_id,
            organisation_id=organisation.pk,
            certificate_pinned=bool(client.certificate_fingerprint),
        )
    return client, f"{client.client_id}.{secret}"


def api_client_revoke(*, client: ApiClient, actor=None, request=None) -> ApiClient:
    """Revoke a client: its secret stops working with the next call (clients are not cached)."""
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        if client.revoked_at is None:
            client.revoked_at = timezone.now()
            client.revoked_by = actor
            client.active = False
            client.save(update_fields=["revoked_at", "revoked_by", "active"])
            audit_events.api_client_revoked(
                actor=actor,
                request=request,
                region_id=client.organisation.region_id,
                api_client_id=client.pk,
                client_id=client.client_id,
            )
    return client


def api_call_log(
    *,
    client: ApiClient,
    request,
    endpoint: str,
    status_code: int,
    professional=None,
    signal_id: int | None = None,
    youth_pseudonym: str = "",
    **details,
) -> None:
    """One logbook entry per API call: which client, acting for which professional, on what, with what outcome."""
    audit_events.api_call(
        actor=professional,
        request=request,
        region_id=client.organisation.region_id,
        youth_pseudonym=youth_pseudonym,
        signal_id=signal_id,
        api_client_id=client.pk,
        client_id=client.client_id,
        api_client=client.name,
        method=request.method,
        endpoint=endpoint,
        status=status_code,
        **details,
    )
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > _LAST_USED_RESOLUTION:
        # a write per call would be wasteful; the coordinator only needs to see roughly when it was last used
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)


def _note(request, **values) -> None:
    """Remember for the call's logbook entry whom and what it concerned (see endpoints.ApiView)."""
    if request is not None:
        request.api_log = {**getattr(request, "api_log", {}), **values}


def _request_hmac(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return salted_hmac("api.idempotency", canonical, algorithm="sha256").hexdigest()


def idempotency_key_hmac(key: str) -> str:
    """What is stored of an Idempotency-Key: a keyed hash (a key built from a BSN must not be readable)."""
    return salted_hmac("api.idempotency-key", key, algorithm="sha256").hexdigest()


def _lock_idempotency_key(client: ApiClient, key: str) -> None:
    second = zlib.crc32(f"{client.pk}:{key}".encode()) - 2**31
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_IDEMPOTENCY_LOCK_SPACE, second])


def api_signal_place(
    *, client: ApiClient, data: dict, idempotency_key: str = "", request=None, render
) -> tuple[int, dict, bool]:
    """Place a signal for a professional of the client's organisation.

    `render(signal) -> dict` builds the response body. Returns (status, body, replayed). With an
    Idempotency-Key the first successful response is stored and returned again for a retry with the same
    body; the same key with another body is refused. Failed calls store nothing, so they can be retried.
    """
    fingerprint = _request_hmac(data)
    if idempotency_key:
        # a retry of a placement that succeeded is answered as before, without a new look-up (which would now
        # be refused: the signal exists); a retry racing the first call is caught under the lock below
        done = IdempotencyRecord.objects.filter(client=client, key_hmac=idempotency_key_hmac(idempotency_key)).first()
        if done is not None:
            if done.request_hmac != fingerprint:
                raise ApiError(code="idempotency_key_reused", status_code=422, field="Idempotency-Key")
            return done.response_status, done.response_body, True
    professional = professional_of_client(client=client, email=data["professional_email"])
    if professional is None:
        raise ApiError(code="professional_unknown", status_code=422, field="professional_email")
    _note(request, professional=professional)
    try:
        # before the transaction: the look-up's logbook entry stays when the placement is refused
        if data.get("expected_birth_date") is not None:
            youth = unborn_place_lookup(
                professional=professional,
                organisation=client.organisation,
                bsn=data["bsn"],
                mother_birth_date=data["birth_date"],
                expected_birth_date=data["expected_birth_date"],
                request=request,
                api_organisation=client.organisation,
            )
        else:
            youth = signal_place_lookup(
                professional=professional,
                organisation=client.organisation,
                bsn=data["bsn"],
                birth_date=data["birth_date"],
                request=request,
                api_organisation=client.organisation,
            )
    except PersonLookupError as error:
        raise refusal_error(error, field="bsn") from None
    except SignalRefused as error:
        if not idempotency_key:
            raise refusal_error(error) from None
        # a simultaneous retry whose first call just placed the signal: answered below, under the key's lock
        youth, refused = None, error
    else:
        refused = None
    with transaction.atomic():
        if idempotency_key:
            _lock_idempotency_key(client, idempotency_key)
            record = IdempotencyRecord.objects.filter(
                client=client, key_hmac=idempotency_key_hmac(idempotency_key)
            ).first()
            if record is not None:
                if record.request_hmac != fingerprint:
                    raise ApiError(code="idempotency_key_reused", status_code=422, field="Idempotency-Key")
                return record.response_status, record.response_body, True
        if refused is not None:
            raise refusal_error(refused)
        informing = data["informing"]
        try:
            signal = signal_place(
                professional=professional,
                organisation=client.organisation,
                youth=youth,
                informing={
                    "status": informing["status"],
                    "whom": informing.get("whom") or [],
                    "on": informing.get("on"),
                    "how": informing.get("how", ""),
                    "reason": informing.get("reason", ""),
                    "objection_voiced": informing.get("objection_voiced", False),
                    "objection_override_reason": informing.get("objection_override_reason", ""),
                },
                request=request,
                expected_birth_date=data.get("expected_birth_date"),
            )
        except SignalRefused as error:
            raise refusal_error(error, field="informing" if isinstance(error, InformingIncomplete) else None) from None
        _note(request, signal_id=signal.pk, youth_pseudonym=youth.pseudonym)
        body = render(signal)
        if idempotency_key:
            IdempotencyRecord.objects.create(
                client=client,
                key_hmac=idempotency_key_hmac(idempotency_key),
                request_hmac=fingerprint,
                response_status=201,
                response_body=body,
            )
    return 201, body, False


def api_signal_end(*, client: ApiClient, signal, reason: str, request=None) -> dict:
    """End a signal of the client's organisation on behalf of its professional; returns what became of it."""
    signal_id, reference = signal.pk, signal.reference
    try:
        ended = signal_end(signal=signal, reason=reason, actor=signal.professional, request=request)
    except SignalRefused as error:
        raise refusal_error(error) from None
    archived = ended.pk is not None and ended.status == "archived"
    return {
        "id": signal_id,
        "reference": reference,
        "outcome": "archived" if archived else "destroyed",
        "end_reason": reason,
        "archive_until": ended.archive_until if archived else None,
    }


def _informing(data: dict) -> dict:
    """The informing answers of a request body in the shape of signals.services.informing_clean."""
    return {
        "status": data["status"],
        "whom": data.get("whom") or [],
        "on": data.get("on"),
        "how": data.get("how", ""),
        "reason": data.get("reason", ""),
        "objection_voiced": data.get("objection_voiced", False),
        "objection_override_reason": data.get("objection_override_reason", ""),
    }


def api_signal_extend(*, signal, informing: dict, request=None):
    """Extend a signal of the client's organisation on behalf of its professional (same rules as the browser)."""
    try:
        return signal_extend(signal=signal, actor=signal.professional, informing=_informing(informing), request=request)
    except SignalRefused as error:
        raise refusal_error(error, field="informing" if isinstance(error, InformingIncomplete) else None) from None


def api_signal_informing_update(*, signal, informing: dict, request=None):
    """Record a postponed informing as done, or postponed again, on behalf of the signal's professional."""
    try:
        return signal_informing_update(
            signal=signal, actor=signal.professional, informing=_informing(informing), request=request
        )
    except SignalRefused as error:
        raise refusal_error(error, field="status" if isinstance(error, InformingIncomplete) else None) from None


def api_follow_up_record(
    *, signal, contact_made_on: datetime.date | None, coordination_agreed_on: datetime.date | None
) -> dict:
    """Record the follow-up of the signal's match on behalf of its professional, who must be its coordinator.

    `contact_made_on` is recorded for every other active participant of the match (the API has one date for all).
    A date left null leaves what is recorded unchanged (contact dates kept per participant on the match page, the
    date coordination was agreed): the API has no per-participant dates to send back, so null never clears.
    """
    match = match_of_signal(signal)
    try:
        if match is None or match.coordinator_signal_id != signal.pk:
            raise NotCoordinator()
        others = [s.pk for s in participants_of(match) if s.professional_id != signal.professional_id]
        match = match_follow_up_record(
            match=match,
            actor=signal.professional,
            contacts=dict.fromkeys(others, contact_made_on) if contact_made_on is not None else {},
            coordination_agreed_on=coordination_agreed_on or match.coordination_agreed_on,
        )
    except MatchActionRefused as error:
        raise refusal_error(error) from None
    return {
        "contact_made_on": contact_made_on,
        "coordination_agreed_on": match.coordination_agreed_on,
        "recorded_at": timezone.now(),
    }


def idempotency_records_purge(*, now: datetime.datetime | None = None) -> int:
    """Forget Idempotency-Keys older than API_IDEMPOTENCY_HOURS; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
