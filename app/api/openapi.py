"""The OpenAPI 3.1 description of ``/api/v1``. Every API route must appear here (a test checks)."""

from typing import Any


_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("ScanAnswer")}}}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _retry_later(description: str) -> dict[str, Any]:
    return {**_error_response(description), "headers": {"Retry-After": {
        "description": "Seconds to wait before retrying", "schema": {"type": "integer", "minimum": 1},
    }}}


_UNAVAILABLE = _retry_later(
    "`database_unavailable`: the database cannot be reached; nothing was logged, retry after `Retry-After` seconds"
)


def document(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "HireDay API",
            "version": "1.0.0",
            "description": "Scanner devices authenticate with `Authorization: Bearer <device token>`.",
        },
        "servers": [{"url": server_url}],
        "components": {
            "securitySchemes": {"deviceToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Scan": {
                    "type": "object",
                    "required": ["code", "nonce"],
                    "properties": {
                        "code": {"type": "string", "maxLength": 2000, "pattern": "\\S",
                                 "description": "The bare badge code or the whole QR URL (`…/b/<code>`)."},
                        "nonce": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[!-~]+$",
                                  "description": "Made by the device, one per scan. Sending it again returns the first answer and logs nothing."},
                        "scanned_at": {"type": "string", "format": "date-time",
                                       "description": "The device's clock, with a UTC offset; defaults to when the server receives it. A time more than two days away from the event (a clock at year 1, say) is logged at the time the server received it, kept as sent, and answered with `clock_implausible: true`."},
                        "kind": {"type": "string", "enum": ["entry", "exit"], "default": "entry"},
                        "offline": {"type": "boolean",
                                    "description": "Scanned while offline (default false here, true in a batch)."},
                    },
                },
                "ScanAnswer": {
                    "type": "object",
                    "required": ["status", "nonce", "checkin_id"],
                    "properties": {
                        "status": {"type": "string", "enum": [
                            "checked_in", "already_checked_in", "checked_out", "not_checked_in",
                            "unknown_code", "cancelled", "waitlisted", "wrong_event",
                        ]},
                        "nonce": {"type": "string"},
                        "checkin_id": {"type": "integer"},
                        "kind": {"type": "string", "enum": ["entry", "exit"]},
                        "scanned_at": {"type": "string", "format": "date-time"},
                        "replayed": {"type": "boolean", "description": "True when this nonce was seen before: the first answer again."},
                        "duplicate": {"type": "boolean", "description": "Logged as a flagged duplicate entry."},
                        "clock_implausible": {"type": "boolean", "description": "The device's clock was far off: `scanned_at` is when the server received the scan."},
                        "registration": {
                            "type": "object",
                            "description": "Absent for unknown codes and other events' badges.",
                            "properties": {
                                "first_name": {"type": "string"}, "last_name": {"type": "string"},
                                "name": {"type": "string"}, "status": {"type": "string"},
                                "source": {"type": "string"}, "interviews_booked": {"type": "integer"},
                            },
                        },
                        "first_checked_in_at": {"type": "string", "format": "date-time"},
                        "first_checked_in_by": {"type": ["string", "null"], "description": "The device name, e.g. Door 2."},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["status", "error"],
                    "properties": {
                        "status": {"type": "string"},
                        "error": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
            },
        },
        "paths": {
            "/api/v1/events/{slug}/checkins": {
                "post": {
                    "summary": "Log one scan at the event's door",
                    "operationId": "createCheckin",
                    "security": [{"deviceToken": []}],
                    "parameters": [_SLUG],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Scan")}}},
                    "responses": {
                        "201": _answer("Checked in (or out) now"),
                        "200": _answer("Already checked in: `first_checked_in_at` says when, `first_checked_in_by` where"),
                        "404": _answer("`unknown_code`: the badge matches nobody (or `unknown_event` for a token of another event)"),
                        "409": {
                            "description": "`cancelled` registration, `waitlisted` (no place yet), another event's badge (`wrong_event`), or an exit scan of someone not inside; or `error: nonce_reused`, a nonce already logged for another badge or device (nothing is logged: make a new nonce)",
                            "content": {"application/json": {"schema": {"oneOf": [_ref("ScanAnswer"), _ref("Error")]}}},
                        },
                        "400": _error_response("Malformed scan: `error` is invalid_nonce, code_required, invalid_scanned_at, …"),
                        "401": _error_response("Missing, expired or revoked device token"),
                        "429": _retry_later("Too many scans from this device"),
                        "503": _UNAVAILABLE,
                    },
                }
            },
            "/api/v1/events/{slug}/checkins/batch": {
                "post": {
                    "summary": "Upload scans queued while offline; each is answered on its own",
                    "operationId": "createCheckinBatch",
                    "security": [{"deviceToken": []}],
                    "parameters": [_SLUG],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {
                            "type": "object", "required": ["scans"],
                            # Items are not held to the Scan schema here: the batch answers a malformed
                            # scan with its own `status: error` instead of refusing the whole upload.
                            "properties": {"scans": {"type": "array", "minItems": 1, "maxItems": 500, "items": {
                                "description": "A `Scan`; anything else gets an error answer of its own.",
                            }}},
                        }}},
                    },
                    "responses": {
                        "200": {
                            "description": "One answer per scan, in the order sent. A scan of someone already inside is logged as a flagged duplicate; a malformed scan gets `status: error` and is not logged.",
                            "content": {"application/json": {"schema": {
                                "type": "object",
                                "properties": {
                                    "status": {"const": "ok"},
                                    "results": {"type": "array", "items": {"allOf": [
                                        {"oneOf": [_ref("ScanAnswer"), _ref("Error")]},
                                        {"type": "object", "properties": {"http_status": {"type": "integer"}}},
                                    ]}},
                                },
                            }}},
                        },
                        "400": _error_response("Not a list of scans, or more than 500"),
                        "401": _error_response("Missing, expired or revoked device token"),
                        "404": _error_response("`unknown_event`: the token is for another event"),
                        "429": _retry_later("Too many uploads from this device"),
                        "503": _UNAVAILABLE,
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This description",
                    "operationId": "openapi",
                    "security": [],
                    "responses": {"200": {"description": "The OpenAPI document", "content": {"application/json": {}}}},
                }
            },
        },
    }
