"""The JSON API for scanner devices. Each route authenticates a device token, calls one service and
commits; answers carry a stable ``status`` (and ``error`` for refused requests)."""

from flask import Blueprint, current_app, g, jsonify, request

from app.access import bearer_secret, device_token_required
from app.api import openapi
from app.database import writes
from app.extensions import db, limiter
from app.models import utcnow
from app.services import checkin
from app.services.errors import DomainError
from app.services.tokens import hash_secret
from app.web import json_error, undo_refused_writes

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: Scans per device token (a batch upload counts once); ``CHECKIN_RATE_LIMIT`` overrides it.
DEFAULT_CHECKIN_RATE_LIMIT = "120/minute"


def _device_key() -> str:
    """Rate limits count per device token (a hash of it), not per address: a venue's devices
    share one Wi-Fi address."""
    return "device:" + hash_secret(bearer_secret())[:32]


def _checkin_limit() -> str:
    return current_app.config.get("CHECKIN_RATE_LIMIT") or DEFAULT_CHECKIN_RATE_LIMIT


#: Refusals that conflict with what is logged (409), not a malformed request (400).
_CONFLICTS = {"nonce_reused"}


def _error_status(error: DomainError) -> int:
    return 409 if error.code in _CONFLICTS else 400


def _error(error: DomainError):
    return json_error(error, _error_status(error), field=error.field)


def _for_this_event(slug: str) -> bool:
    """Is the device's token for this event? (A token opens one event's door only.)"""
    return g.device.event_slug == slug


def _not_this_event():
    return jsonify(
        status="error", error="unknown_event", message="This device token is not for that event."
    ), 404


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi.document(request.host_url.rstrip("/")))


@bp.post("/events/<slug>/checkins")
@writes
@limiter.limit(_checkin_limit, key_func=_device_key)
@device_token_required
def create_checkin(slug: str):
    if not _for_this_event(slug):
        return _not_this_event()
    now = utcnow()
    try:
        scan = checkin.scan_from_json(request.get_json(silent=True), now)
        result = checkin.check_in(
            db.session, g.device.event_id, scan, checkin.Scanner.of_device(g.device), now
        )
    except DomainError as error:
        undo_refused_writes()
        return _error(error)
    body = result.as_json()  # before committing: reading it afterwards would query everything again
    db.session.commit()
    return jsonify(body), result.http_status


@bp.post("/events/<slug>/checkins/batch")
@writes
@limiter.limit(_checkin_limit, key_func=_device_key)
@device_token_required
def create_checkin_batch(slug: str):
    if not _for_this_event(slug):
        return _not_this_event()
    body = request.get_json(silent=True)
    scans = body.get("scans") if isinstance(body, dict) else None
    now = utcnow()
    try:
        items = checkin.check_in_batch(
            db.session, g.device.event_id, scans, checkin.Scanner.of_device(g.device), now
        )
    except DomainError as error:
        undo_refused_writes()
        return _error(error)
    results = [_batch_answer(item) for item in items]
    db.session.commit()
    return jsonify(status="ok", results=results), 200


def _batch_answer(item: checkin.BatchItem) -> dict:
    if item.result is not None:
        return {**item.result.as_json(), "http_status": item.result.http_status}
    error = item.error or DomainError(
        "invalid_scan", "This scan was not logged."
    )  # an item has one or the other
    return {
        "status": "error", "nonce": item.nonce, "error": error.code,
        "message": str(error.message), "http_status": _error_status(error),
    }


from app.api import partners  # noqa: E402, F401  (the partner API's routes, on this blueprint)
