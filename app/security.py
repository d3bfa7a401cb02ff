"""Response headers every page gets, and the idle / absolute limits on a signed-in session."""

import time

from flask import Flask, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.database import reads_before_writing, writing
from app.extensions import db
from app.models import utcnow
from app.services.users import end_session

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

#: Session keys: when the person signed in, and when we last saw them (epoch seconds).
_SIGNED_IN_AT = "signed_in_at"
_SEEN_AT = "seen_at"


def start_session_clock() -> None:
    """Called right after a successful sign-in."""
    now = int(time.time())
    session[_SIGNED_IN_AT] = now
    session[_SEEN_AT] = now
    session.permanent = False


def _enforce_session_limits(app: Flask):
    if request.endpoint == "static" or "_user_id" not in session:
        return None  # nobody is signed in (Flask-Login keeps the user's id there); no user to load
    with reads_before_writing(db.session):  # loading the user never holds SQLite's write lock
        signed_in = current_user.is_authenticated
    if not signed_in:
        return None
    now = int(time.time())
    idle = now - session.get(_SEEN_AT, 0)
    age = now - session.get(_SIGNED_IN_AT, 0)
    if idle > app.config["SESSION_IDLE_MINUTES"] * 60 or age > app.config["SESSION_MAX_HOURS"] * 3600:
        with writing():
            end_session(db.session, session["_user_id"], utcnow())
            db.session.commit()
        logout_user()
        session.clear()
        flash(_("You were signed out after a period of inactivity. Please sign in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    if now - session.get(_SEEN_AT, 0) >= 30:  # avoid re-sending the cookie on every request
        session[_SEEN_AT] = now
    return None


def _add_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")  # booth, partner and manage links carry secrets
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    if request.endpoint != "static":
        # Pages may show personal data; nothing dynamic is kept by browsers or proxies.
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.before_request(lambda: _enforce_session_limits(app))
    app.after_request(_add_headers)
