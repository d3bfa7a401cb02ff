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
    "`database_unavailable`: the database cannot be reached; nothing was logged, retry after `Retry-After` "
    "seconds"
)


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


_FILTERS = [
    _query("event", "Only this event's referrals (its slug).", {"type": "string", "maxLength": 200}),
    _query(
        "event_from", "Only events starting on or after this day (UTC).", {"type": "string", "format": "date"}
    ),
    _query(
        "event_to", "Only events starting on or before this day (UTC).", {"type": "string", "format": "date"}
    ),
    _query(
        "updated_since",
        "Only referrals whose `updated_at` is at or after this time (with its UTC offset). "
        "Poll with the latest `updated_at` you have seen: nothing is missed, a referral may come again.",
        {"type": "string", "format": "date-time"},
    ),
    _query(
        "after_id",
        "With `updated_since`: of the referrals changed exactly then, only those with a larger id "
        "(where the previous page ended; the `next` link sets both).",
        {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
    ),
]
_PAGING = [
    _query("limit", "Referrals per page.", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50})
]
_PARTNER_REFUSALS = {
    "414": {
        "description": "The request line is longer than the server reads (4,094 bytes); nothing was read",
        "content": {"text/html": {"schema": {"type": "string"}}},
    },
    "400": _error_response(
        "`invalid_parameter`: `field` names the query parameter that cannot be read (a date that is not one, "
        "a time without its offset, a `limit` out of range)"
    ),
    "401": _error_response("Missing, revoked or unknown partner API token"),
    "429": _retry_later("Too many requests with this token"),
    "503": _retry_later("`database_unavailable`: retry after `Retry-After` seconds"),
}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_REFERRAL = {
    "type": "object",
    "required": [
        "id",
        "event",
        "name",
        "registration_status",
        "stage",
        "referred_at",
        "registered_at",
        "interviews",
        "offers",
        "shares_offers",
        "shared_credit",
        "updated_at",
    ],
    "properties": {
        "id": {"type": "integer", "description": "The referral's id: stable, yours alone."},
        "event": {
            "type": "object",
            "required": ["slug", "name", "starts_at"],
            "properties": {
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "starts_at": {"type": "string", "format": "date-time"},
            },
        },
        "name": {"type": "string", "description": "The person's name, as your partner page shows it."},
        "registration_status": {"type": "string", "enum": ["registered", "waitlisted", "cancelled"]},
        "stage": {
            "type": "string",
            "enum": ["cancelled", "waitlisted", "registered", "attended", "interviewed", "offered", "hired"],
            "description": "How far the person got: a later stage implies the earlier ones.",
        },
        "referred_at": {"type": "string", "format": "date-time"},
        "registered_at": {"type": "string", "format": "date-time"},
        "cancelled_at": _TIME,
        "checked_in_at": _TIME,
        "interviewed_at": _TIME,
        "offered_at": _TIME,
        "hired_at": _TIME,
        "survey_completed_at": _TIME,
        "interviews": {"type": "integer", "minimum": 0, "description": "Interviews that took place."},
        "second_interview": {"type": "boolean"},
        "offers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["employer", "hired"],
                "properties": {
                    "employer": {"type": "string"},
                    "offered_at": _TIME,
                    "hired": {"type": "boolean"},
                    "hired_at": _TIME,
                    "terms": {
                        "type": "object",
                        "description": "Only when the person consented to share offer terms with you.",
                        "properties": {
                            "position": {"type": ["string", "null"]},
                            "wage": {"type": ["string", "null"], "description": "Dollars, e.g. `21.50`."},
                            "wage_unit": {"type": ["string", "null"], "enum": ["hour", "year", None]},
                            "start_date": {"type": ["string", "null"], "format": "date"},
                        },
                    },
                },
            },
        },
        "shares_offers": {"type": "boolean", "description": "The person lets you see offer terms."},
        "shared_credit": {
            "type": "boolean",
            "description": "Another partner referred the same person too (who is not said).",
        },
        "updated_at": {
            "type": "string",
            "format": "date-time",
            "description": "The last change to anything this referral shows.",
        },
    },
}


def _partner_paths() -> dict[str, Any]:
    security: list[dict[str, list[str]]] = [{"partnerToken": []}]
    return {
        "/api/v1/partner/referrals": {
            "get": {
                "summary": "Your referrals and how far each got, oldest change first, a page at a time",
                "operationId": "listPartnerReferrals",
                "security": security,
                "parameters": [*_FILTERS, *_PAGING],
                "responses": {
                    "200": {
                        "description": "A page of referrals; `next` is the link to the following page, null "
                                       "on the last",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["status", "referrals", "next"],
                                    "properties": {
                                        "status": {"const": "ok"},
                                        "referrals": {"type": "array", "items": _ref("Referral")},
                                        "next": {"type": ["string", "null"]},
                                    },
                                }
                            }
                        },
                    },
                    **_PARTNER_REFUSALS,
                },
            }
        },
        "/api/v1/partner/referrals/{referral_id}": {
            "get": {
                "summary": "One of your referrals",
                "operationId": "getPartnerReferral",
                "security": security,
                "parameters": [
                    {
                        "name": "referral_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The referral",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["status", "referral"],
                                    "properties": {"status": {"const": "ok"}, "referral": _ref("Referral")},
                                }
                            }
                        },
                    },
                    "404": _error_response("`unknown_referral`: none of your referrals has this id"),
                    **{code: answer for code, answer in _PARTNER_REFUSALS.items() if code != "400"},
                },
            }
        },
        "/api/v1/partner/referrals.csv": {
            "get": {
                "summary": "Your referrals (all that match the filters) as a CSV for a spreadsheet",
                "operationId": "exportPartnerReferrals",
                "security": security,
                "parameters": _FILTERS,
                "responses": {
                    "200": {
                        "description": "UTF-8 CSV with a byte order mark; no cell starts like a formula",
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    **_PARTNER_REFUSALS,
                },
            }
        },
    }


def document(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "HireDay API",
            "version": "1.0.0",
            "description": "Scanner devices authenticate with `Authorization: Bearer <device token>`; "
                           "referring "
            "partners' systems with `Authorization: Bearer <partner API token>` (staff issue it).",
        },
        "servers": [{"url": server_url}],
        "components": {
            "securitySchemes": {
                "deviceToken": {"type": "http", "scheme": "bearer"},
                "partnerToken": {"type": "http", "scheme": "bearer"},
            },
            "schemas": {
                "Referral": _REFERRAL,
                "Scan": {
                    "type": "object",
                    "required": ["code", "nonce"],
                    "properties": {
                        "code": {
                            "type": "string",
                            "maxLength": 2000,
                            "pattern": "\\S",
                            "description": "The bare badge code or the whole QR URL (`…/b/<code>`).",
                        },
                        "nonce": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 64,
                            "pattern": "^[!-~]+$",
                            "description": "Made by the device, one per scan. Sending it again returns the "
                            "first answer and logs nothing.",
                        },
                        "scanned_at": {
                            "type": "string",
                            "format": "date-time",
                            "description": "The device's clock, with a UTC offset; defaults to when the "
                            "server receives it. A time more than two days away from the "
                            "event (a clock at year 1, say) is logged at the time the server "
                            "received it, kept as sent, and answered with `clock_implausible: "
                            "true`.",
                        },
                        "kind": {"type": "string", "enum": ["entry", "exit"], "default": "entry"},
                        "offline": {
                            "type": "boolean",
                            "description": "Scanned while offline (default false here, true in a batch).",
                        },
                    },
                },
                "ScanAnswer": {
                    "type": "object",
                    "required": ["status", "nonce", "checkin_id"],
                    "properties": {
                        "status": {
                            "type": "string",
                            "enum": [
                                "checked_in",
                                "already_checked_in",
                                "checked_out",
                                "not_checked_in",
                                "unknown_code",
                                "cancelled",
                                "waitlisted",
                                "wrong_event",
                            ],
                        },
                        "nonce": {"type": "string"},
                        "checkin_id": {"type": "integer"},
                        "kind": {"type": "string", "enum": ["entry", "exit"]},
                        "scanned_at": {"type": "string", "format": "date-time"},
                        "replayed": {
                            "type": "boolean",
                            "description": "True when this nonce was seen before: the first answer again.",
                        },
                        "duplicate": {
                            "type": "boolean",
                            "description": "Logged as a flagged duplicate entry.",
                        },
                        "clock_implausible": {
                            "type": "boolean",
                            "description": "The device's clock was far off: `scanned_at` is when the server "
                            "received the scan.",
                        },
                        "registration": {
                            "type": "object",
                            "description": "Absent for unknown codes and other events' badges.",
                            "properties": {
                                "first_name": {"type": "string"},
                                "last_name": {"type": "string"},
                                "name": {"type": "string"},
                                "status": {"type": "string"},
                                "source": {"type": "string"},
                                "interviews_booked": {"type": "integer"},
                            },
                        },
                        "first_checked_in_at": {"type": "string", "format": "date-time"},
                        "first_checked_in_by": {
                            "type": ["string", "null"],
                            "description": "The device name, e.g. Door 2.",
                        },
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
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("Scan")}},
                    },
                    "responses": {
                        "201": _answer("Checked in (or out) now"),
                        "200": _answer(
                            "Already checked in: `first_checked_in_at` says when, `first_checked_in_by` where"
                        ),
                        "404": _answer(
                            "`unknown_code`: the badge matches nobody (or `unknown_event` for a token of "
                            "another event)"
                        ),
                        "409": {
                            "description": "`cancelled` registration, `waitlisted` (no place yet), another "
                            "event's badge (`wrong_event`), or an exit scan of someone not "
                            "inside; or `error: nonce_reused`, a nonce already logged for "
                            "another badge or device (nothing is logged: make a new nonce)",
                            "content": {
                                "application/json": {"schema": {"oneOf": [_ref("ScanAnswer"), _ref("Error")]}}
                            },
                        },
                        "400": _error_response(
                            "Malformed scan: `error` is invalid_nonce, code_required, invalid_scanned_at, …"
                        ),
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
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["scans"],
                                    # Items are not held to the Scan schema here: the batch answers a
                                    # malformed scan with its own `status: error` instead of refusing
                                    # the whole upload.
                                    "properties": {
                                        "scans": {
                                            "type": "array",
                                            "minItems": 1,
                                            "maxItems": 500,
                                            "items": {
                                                "description": "A `Scan`; anything else gets an error answer "
                                                "of its own.",
                                            },
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "One answer per scan, in the order sent. A scan of someone "
                            "already inside is logged as a flagged duplicate; a malformed "
                            "scan gets `status: error` and is not logged.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "status": {"const": "ok"},
                                            "results": {
                                                "type": "array",
                                                "items": {
                                                    "allOf": [
                                                        {"oneOf": [_ref("ScanAnswer"), _ref("Error")]},
                                                        {
                                                            "type": "object",
                                                            "properties": {
                                                                "http_status": {"type": "integer"}
                                                            },
                                                        },
                                                    ]
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error_response("Not a list of scans, or more than 500"),
                        "401": _error_response("Missing, expired or revoked device token"),
                        "404": _error_response("`unknown_event`: the token is for another event"),
                        "429": _retry_later("Too many uploads from this device"),
                        "503": _UNAVAILABLE,
                    },
                }
            },
            **_partner_paths(),
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This description",
                    "operationId": "openapi",
                    "security": [],
                    "responses": {
                        "200": {"description": "The OpenAPI document", "content": {"application/json": {}}}
                    },
                }
            },
        },
    }
