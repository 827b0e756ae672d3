"""The REST endpoints under /api/v1/: thin DRF views over the api services and selectors."""

import logging
import re

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from .authentication import ApiClientAuthentication
from .errors import ApiError, api_exception_handler
from .models import ApiClient
from .selectors import matches_of_client_signal, signal_of_client, signals_of_client
from .serializers import (
    SIGNAL_STATUSES,
    ErrorSerializer,
    FollowUpSerializer,
    InformingUpdateSerializer,
    SignalEndResultSerializer,
    SignalEndSerializer,
    SignalExtendSerializer,
    SignalFilterSerializer,
    SignalMatchesSerializer,
    SignalPlaceSerializer,
    SignalSerializer,
)
from .services import (
    api_call_log,
    api_follow_up_record,
    api_signal_end,
    api_signal_extend,
    api_signal_informing_update,
    api_signal_place,
)
from .throttling import ApiClientThrottle, ApiPlaceThrottle

logger = logging.getLogger(__name__)

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")

_ERROR_DESCRIPTIONS = {
    400: "The request is malformed or a field is invalid (`field` names it).",
    401: "No valid client credentials (`Authorization: Bearer <client_id>.<secret>`).",
    403: "Credentials are valid, but the pinned client certificate or the host does not fit this client.",
    404: "Not found, or not of the client's organisation.",
    415: "The body is not JSON.",
    422: "Refused by the rules of the reference index (the same refusals as in the browser).",
    429: "Too many requests from this client; see Retry-After.",
    503: "The BRP cannot be reached; retry later (with the same Idempotency-Key).",
}


def error_responses(*codes: int) -> dict:
    return {code: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[code]) for code in codes}


SIGNAL_ID = OpenApiParameter(
    "signal_id",
    {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    OpenApiParameter.PATH,
    description="The signal's id (as returned when it was placed or listed).",
)


class JsonOnly(BaseContentNegotiation):
    """The API only speaks JSON, whatever Accept says (no 406 and no browsable HTML renderer)."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type.split(";")[0].strip().lower() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _positive_int(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and len(raw) < 10 and int(raw) >= 1


class SignalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # DRF silently ignores a bad page_size; a client deserves to hear its parameter is wrong
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _positive_int(raw) or int(raw) > self.max_page_size:
            raise ApiError(code="invalid", status_code=400, field=self.page_size_query_param)
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not _positive_int(raw):
            raise ApiError(code="invalid", status_code=400, field=self.page_query_param)
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


class ApiView(generics.GenericAPIView):
    """Base of every endpoint: client authentication, rate limits, JSON only, one error shape, one log entry."""

    authentication_classes = [ApiClientAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ApiClientThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    content_negotiation_class = JsonOnly
    pagination_class = None
    endpoint = ""
    # the logbook's name of the call per method, where one view serves several
    endpoints: dict[str, str] = {}
    # query parameters this endpoint knows; any other is refused, so a misspelt filter is not silently ignored
    query_parameters: tuple[str, ...] = ()

    @classmethod
    def as_view(cls, **initkwargs):
        # the login middleware closes every view; API views authenticate their client themselves
        return login_not_required(super().as_view(**initkwargs))

    def get_exception_handler(self):
        return api_exception_handler

    @property
    def client(self) -> ApiClient:
        return self.request.auth

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # the client's organisation fixes the region (the API answers on any host; see README)
        request._request.region = self.client.organisation.region
        unknown = sorted(set(request.query_params) - set(self.query_parameters))
        if unknown:
            raise ApiError(code="unknown_field", status_code=400, field=unknown[0][:100])
        repeated = sorted(name for name in request.query_params if len(request.query_params.getlist(name)) > 1)
        if repeated:
            raise ApiError(code="invalid", status_code=400, field=repeated[0])

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        client = getattr(request, "_auth", None)
        if isinstance(client, ApiClient):
            note = getattr(request._request, "api_log", {})
            try:
                api_call_log(
                    client=client,
                    request=request._request,
                    endpoint=self.endpoints.get(request.method, self.endpoint),
                    status_code=response.status_code,
                    professional=note.get("professional"),
                    signal_id=note.get("signal_id"),
                    youth_pseudonym=note.get("youth_pseudonym", ""),
                    error=response.data.get("code") if response.status_code >= 400 and response.data else None,
                    **({"replayed": True} if note.get("replayed") else {}),
                )
            except Exception:
                logger.exception("Could not write the logbook entry of an API call")
        return response

    def signal_or_404(self, signal_id: int):
        signal = signal_of_client(client=self.client, pk=signal_id)
        if signal is None:
            raise ApiError(code="not_found", status_code=404)
        note_signal(self.request, signal)
        return signal


def note_signal(request, signal, professional=None) -> None:
    """Remember for the call's logbook entry which signal (and youth, by pseudonym) and professional it concerned."""
    request._request.api_log = {
        "professional": professional or signal.professional,
        "signal_id": signal.pk,
        "youth_pseudonym": signal.youth.pseudonym,
    }


class SignalListCreate(ApiView):
    endpoints = {"GET": "signals_list", "POST": "signals_place"}
    serializer_class = SignalSerializer
    pagination_class = SignalPagination
    query_parameters = ("page", "page_size", "professional", "status")

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method == "POST":
            throttles.append(ApiPlaceThrottle())
        return throttles

    @extend_schema(
        operation_id="signals_list",
        summary="List the organisation's signals",
        description="Active and archived signals of the client's organisation, newest first, paged.",
        parameters=[
            OpenApiParameter("professional", str, description="Only the signals of this professional (e-mail)."),
            OpenApiParameter("status", str, enum=list(SIGNAL_STATUSES), description="Only active or archived."),
        ],
        responses={200: SignalSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request):
        # a plain dict: DRF treats an empty query value of an optional field as absent, we refuse it
        filters = SignalFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        signals = signals_of_client(
            client=self.client,
            professional_email=filters.validated_data.get("professional", ""),
            status=filters.validated_data.get("status", ""),
        )
        page = self.paginate_queryset(signals)
        return self.get_paginated_response(SignalSerializer(page, many=True).data)

    @extend_schema(
        operation_id="signals_place",
        summary="Place a signal",
        description=(
            "Place a signal on behalf of a professional of the client's organisation. The youth is looked up in "
            "the BRP by BSN; the date of birth must equal the BRP's. Send an `Idempotency-Key` so that a retried "
            "call returns the first response instead of placing again; the same key with another body gives 422."
        ),
        request=SignalPlaceSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                {"type": "string", "pattern": r"^[\x21-\x7e]{1,255}$"},
                OpenApiParameter.HEADER,
                description="A unique key per new signal (e.g. a UUID), 1-255 visible ASCII characters.",
            )
        ],
        responses={
            201: SignalSerializer,
            **error_responses(400, 401, 403, 415, 422, 429, 503),
        },
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "")
        if key and not IDEMPOTENCY_KEY.match(key):
            raise ApiError(code="idempotency_key_invalid", status_code=400, field="Idempotency-Key")
        serializer = SignalPlaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        status, body, replayed = api_signal_place(
            client=self.client,
            data=serializer.validated_data,
            idempotency_key=key,
            request=request._request,
            render=lambda signal: SignalSerializer(signal).data,
        )
        if replayed:
            request._request.api_log = {"replayed": True, "signal_id": body.get("id")}
        response = Response(body, status=status)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class SignalDetail(ApiView):
    endpoint = "signal_detail"

    @extend_schema(
        operation_id="signal_detail",
        summary="One signal of the organisation",
        parameters=[SIGNAL_ID],
        responses={200: SignalSerializer, **error_responses(401, 403, 404, 429)},
    )
    def get(self, request, signal_id):
        return Response(SignalSerializer(self.signal_or_404(signal_id)).data)


class SignalAction(ApiView):
    """An action on one signal of the organisation: POST a `body`, answered with `answer` of what `act` returns.

    Each states its schema with `signal_action`.
    """

    body: type[Serializer]
    answer: type[Serializer] = SignalSerializer

    def act(self, signal, data):
        raise NotImplementedError

    def post(self, request, signal_id):
        signal = self.signal_or_404(signal_id)
        serializer = self.body(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(self.answer(self.act(signal, serializer.validated_data)).data)


def signal_action(*, summary: str, description: str):
    """The schema of a SignalAction's POST: its `endpoint` as operation id, its `body` and `answer`."""

    def decorate(view: type[SignalAction]) -> type[SignalAction]:
        schema = extend_schema(
            operation_id=view.endpoint,
            summary=summary,
            description=description,
            parameters=[SIGNAL_ID],
            request=view.body,
            responses={200: view.answer, **error_responses(400, 401, 403, 404, 415, 422, 429)},
        )
        return extend_schema_view(post=schema)(view)

    return decorate


@signal_action(
    summary="End a signal",
    description=(
        "End an active signal of the organisation on behalf of its professional. `concern_gone` archives it "
        "(kept 5 years, never notified); `placed_wrongly` destroys it at once."
    ),
)
class SignalEnd(SignalAction):
    endpoint = "signal_end"
    body, answer = SignalEndSerializer, SignalEndResultSerializer

    def act(self, signal, data):
        return api_signal_end(client=self.client, signal=signal, reason=data["reason"], request=self.request._request)


@signal_action(
    summary="Record the follow-up of a match",
    description=(
        "The match coordinator records when contact was made (one date for every other active participant "
        "of the match) and when coordination was agreed. A date left null leaves what is recorded unchanged. "
        "Only when the signal's professional is the coordinator of the signal's match; otherwise 422 "
        "`not_coordinator`."
    ),
)
class SignalFollowUp(SignalAction):
    endpoint = "signal_follow_up"
    body, answer = FollowUpSerializer, FollowUpSerializer

    def act(self, signal, data):
        return api_follow_up_record(
            signal=signal,
            contact_made_on=data["contact_made_on"],
            coordination_agreed_on=data["coordination_agreed_on"],
        )


@signal_action(
    summary="Extend a signal",
    description=(
        "Extend an active signal of the organisation on behalf of its professional, before its end: a new "
        "period from today (last active day: the day before the second anniversary of today), never on or after "
        "the 23rd birthday, with the informing recorded again. It stays the same signal with the same matches; "
        "the logbook and the statistics count an extension. Refused with 422 after the end (`extension_refused`), "
        "for an archived signal, when the youth turns 23 before a later end, or when the informing is "
        "incomplete (`informing_incomplete`)."
    ),
)
class SignalExtend(SignalAction):
    endpoint = "signal_extend"
    body = SignalExtendSerializer

    def act(self, signal, data):
        return api_signal_extend(signal=signal, informing=data["informing"], request=self.request._request)


@signal_action(
    summary="Record a postponed informing later",
    description=(
        "For a signal whose informing was postponed: record that it was done (`informed` with whom, on, how) "
        "or postponed again with the renewed `reason`. Refused with 422 `informing_update_refused` when the "
        "informing was not postponed or the signal is archived."
    ),
)
class SignalInforming(SignalAction):
    endpoint = "signal_informing_update"
    body = InformingUpdateSerializer

    def act(self, signal, data):
        return api_signal_informing_update(signal=signal, informing=data, request=self.request._request)


class SignalMatches(ApiView):
    endpoint = "signal_matches"

    @extend_schema(
        operation_id="signal_matches",
        summary="The matches of a signal",
        description=(
            "The other signals matched with this one (same youth, sibling, address), each with the matched "
            "professional's contact details, and the match coordinator. Never the identity of another youth."
        ),
        parameters=[SIGNAL_ID],
        responses={200: SignalMatchesSerializer, **error_responses(401, 403, 404, 429)},
    )
    def get(self, request, signal_id):
        signal = self.signal_or_404(signal_id)
        return Response(SignalMatchesSerializer(matches_of_client_signal(signal=signal)).data)
