"""The OpenAPI description: the client authentication scheme and a server-rendered summary for people."""

from functools import cache

from drf_spectacular.extensions import OpenApiAuthenticationExtension

DESCRIPTION = """\
The API through which client record systems of participating organisations place, extend and end signals in the
Verwijsindex and record a postponed informing later, on the same rules as the browser. Dates: `ends_on` is the
last active day, the signal is archived the day after, and `archive_until` is the day it is destroyed.
A readable version of this document is at `/api/v1/docs/`.

**Authentication.** `Authorization: Bearer <client_id>.<secret>`. The organisation coordinator creates a client
in the browser (or `manage.py api_client_create --organisation CODE`) and sees the secret once. A client acts
only for its own organisation: for its professionals (named per call by e-mail) and on its signals. A revoked
client stops working with the next call. When a client certificate is pinned, the TLS-terminating proxy must
pass its SHA-256 fingerprint in the configured header (default `X-SSL-Client-Fingerprint`).

**Errors** always have one shape: `{"code": "...", "message_nl": "...", "message_en": "...", "field": "..." | null}`
(validation 400, authentication 401, certificate/host 403, not found 404, refusals 422, rate limit 429,
BRP unavailable 503, anything unexpected 500 with code `server_error`).

**Idempotency.** Send an `Idempotency-Key` header when placing; a retry with the same key and body returns the
first response (header `Idempotent-Replayed: true`) and never places a second signal. Keys are kept 48 hours.

**Rate limits** per client (default 300 calls a minute, 60 placements a minute); over the limit: 429 with
`Retry-After`.

**Personal data.** The API never returns a BSN; a signal shows the youth's name and date of birth only to the
organisation that placed it.
"""

SCHEMA_SETTINGS = {
    "DESCRIPTION": DESCRIPTION,
    "ENUM_NAME_OVERRIDES": {
        "ApiEndReasonEnum": "api.serializers.API_END_REASONS",
        "SignalStatusEnum": "api.serializers.SIGNAL_STATUSES",
        "InformingStatusEnum": "api.serializers.INFORMING_STATUSES",
        "MatchKindEnum": "api.serializers.MATCH_KINDS",
    },
}


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiClientAuthentication"
    name = "apiClient"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "<client_id>.<secret>",
            "description": "The token shown once when the organisation coordinator created the API client.",
        }


@cache
def api_schema() -> dict:
    """The generated OpenAPI document (the code does not change while the process runs)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import patched_settings

    with patched_settings(SCHEMA_SETTINGS):
        return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return components.get(ref.rsplit("/", 1)[1], {})
    return schema


def _type_label(schema: dict, components: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "allOf" in schema:
        return " & ".join(_type_label(part, components) for part in schema["allOf"])
    if "oneOf" in schema:
        return " | ".join(_type_label(part, components) for part in schema["oneOf"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"[{_type_label(schema.get('items', {}), components)}]"
    if "enum" in schema:
        return " | ".join(f"{value}" for value in schema["enum"] if value not in ("", None))
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    return kind + (" | null" if schema.get("nullable") else "")


def _fields(schema: dict, components: dict) -> list[dict]:
    schema = _resolve(schema, components)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": _type_label(prop, components),
            "required": name in required,
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def schema_summary() -> dict:
    """The schema as a list of operations and components with their fields, for the readable page."""
    schema = api_schema()
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation.get("operationId", ""),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "type": _type_label(p.get("schema", {}), components),
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _type_label(body, components) if body else "",
                    "responses": [
                        {
                            "status": status,
                            "description": response.get("description", ""),
                            "type": _type_label(
                                response.get("content", {}).get("application/json", {}).get("schema", {}), components
                            )
                            if response.get("content")
                            else "",
                        }
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return {
        "description": schema.get("info", {}).get("description", ""),
        "title": schema.get("info", {}).get("title", ""),
        "version": schema.get("info", {}).get("version", ""),
        "operations": operations,
        "components": [
            {"name": name, "fields": _fields(component, components), "description": component.get("description", "")}
            for name, component in sorted(components.items())
            if component.get("type", "object") == "object"
        ],
    }
