"""Error pages (HTML) and error bodies (JSON under /api/) for every HTTP error, and what a request
answers while the database is unreachable."""

import contextlib
import logging
import time

import sqlalchemy as sa
from flask import Flask, g, jsonify, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError, TimeoutError as PoolTimeoutError
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

from app.extensions import db, login_manager
from app.services.errors import DomainError
from app.web import json_error, wants_json

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait before retrying while the database is unreachable.
DATABASE_RETRY_AFTER_S = 5
#: The errors that mean "the database cannot be reached or cannot take this now" (a stopped or
#: restarting server, a dropped connection, an exhausted pool, SQLite's write lock held too long).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)


def _render(error: HTTPException):
    code = error.code or 500
    # Keep the headers the error carries (``Allow`` on a 405, ``Retry-After`` on a 429, …).
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if wants_json():
        key = (error.name or "error").lower().replace(" ", "_")
        return jsonify(status="error", error=key, message=error.description), code, headers
    if code >= 500:
        return _plain_page(code), code, headers
    return render_template("_layouts/error.html", error=error, code=code), code, headers


def _plain_page(code: int) -> str:
    """The page for a failure on our side: it needs neither the database nor the signed-in user
    (every template is given ``current_user``, and loading it reads the database)."""
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()
    return render_template("_layouts/plain_error.html", code=code)


def _csrf_failed(error: CSRFError):
    if wants_json():
        return jsonify(status="error", error="csrf_failed", message=error.description), 400
    return render_template("_layouts/error.html", error=error, code=400, csrf=True), 400


def _domain_error(error: DomainError):
    """A service refused and the view did not catch it: ``…_not_found`` is a 404, the rest a 400
    with the service's message. Never a 500."""
    if error.code.endswith("not_found"):
        return _render(NotFound())
    if wants_json():
        return json_error(error)
    return _render(BadRequest(description=str(error.message)))


class _Outage:
    """This process's view of a database outage: one log line when it starts, one when it ends,
    not a traceback per request (a scanner retrying every second would fill the disk)."""

    since: float | None = None

    @classmethod
    def failed(cls, error: Exception) -> None:
        if cls.since is None:
            cls.since = time.monotonic()
            # The driver's own first line ("connection refused", "database is locked"): no SQL, no values.
            cause = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:200]
            log.error(
                "database unavailable (%s: %s); answering 503 until it is back", type(error).__name__, cause
            )

    @classmethod
    def connected(cls, *_connection_details) -> None:
        """The pool handed out a live connection (PostgreSQL's is pinged first): the database is back."""
        if cls.since is not None:
            log.warning("database reachable again after %.1f s", time.monotonic() - cls.since)
            cls.since = None


def _database_unavailable(error: Exception):
    """``503 {"status":"error","error":"database_unavailable"}`` with ``Retry-After`` on the API, a
    plain page elsewhere. Nothing was committed, so a retry is safe."""
    _Outage.failed(error)
    with contextlib.suppress(SQLAlchemyError):  # the connection is gone; the pool replaces it later
        db.session.rollback()
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_S)}
    if wants_json():
        body = jsonify(status="error", error="database_unavailable",
                       message="The database is unreachable; nothing was saved. Retry shortly.")
        return body, 503, headers
    return _plain_page(503), 503, headers


def _tolerant_teardown(teardown):
    """Flask-SQLAlchemy's end-of-request cleanup rolls back; with the database gone that can
    raise outside every error handler (gunicorn then answers its own HTML 500). The response is
    already made by then: note the outage and let the pool replace the connection."""

    def cleanup(exc):
        try:
            teardown(exc)
        except SQLAlchemyError as error:
            _Outage.failed(error)

    return cleanup


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_failed)
    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, _database_unavailable)
    # Unhandled exceptions are logged by Flask and reach this as a 500 InternalServerError.
    app.register_error_handler(HTTPException, _render)
    with app.app_context():
        sa.event.listen(db.engine, "checkout", _Outage.connected)
    app.teardown_appcontext_funcs[:] = [
        _tolerant_teardown(f) if getattr(f, "__self__", None) is db else f
        for f in app.teardown_appcontext_funcs
    ]
