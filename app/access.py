"""Who may open a view: signed-in roles, and the secret links (booth, partner, scanner device)."""

from collections.abc import Callable
from functools import wraps

from flask import abort, g, jsonify, request
from flask_login import current_user, login_required
from werkzeug.exceptions import Forbidden

from app.database import reads_before_writing
from app.extensions import db
from app.models import Role, TokenScope, utcnow
from app.services.tokens import find_device, find_token, find_usable_token


def role_required(*roles: Role) -> Callable:
    """Signed in with one of ``roles``; anyone else signed in gets 403, anonymous users the login page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


class LinkEnded(Forbidden):
    """A booth or partner link that was revoked or has expired. Its holder has no account to sign
    in with, so the page says to ask the event staff for a new link (not "sign in")."""

    link_ended = True


staff_required = role_required(Role.STAFF)
door_required = role_required(Role.STAFF, Role.VOLUNTEER)


def link_token_required(scope: TokenScope) -> Callable:
    """For views under ``/<scope>/<token>``: the token must be live and of this scope. An unknown
    link gets 404 (a wrong link reveals nothing); a real one that expired or was revoked gets 403,
    so its holder knows to ask staff for a new one. The token is in ``g.access_token``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(token: str, *args, **kwargs):
            access_token = find_usable_token(db.session, token, scope, utcnow())
            if access_token is None:
                if find_token(db.session, token, scope) is not None:
                    raise LinkEnded()
                abort(404)
            g.access_token = access_token
            return view(*args, **kwargs)

        return wrapped

    return decorator


def bearer_secret() -> str:
    """The secret of the request's ``Authorization: Bearer <secret>`` header ("" without one)."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _unauthorized():
    response = jsonify(status="unauthorized", error="invalid_token")
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="hireday"'
    return response


def partner_api_token_required(view: Callable) -> Callable:
    """For the partner API: ``Authorization: Bearer <a partner API token>``; the token (and so its
    organization) is in ``g.access_token``. A missing or dead token gets a 401 JSON."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = find_usable_token(db.session, bearer_secret(), TokenScope.PARTNER_API, utcnow())
        if token is None:
            return _unauthorized()
        g.access_token = token
        return view(*args, **kwargs)

    return wrapped


def device_token_required(view: Callable) -> Callable:
    """For the JSON API: ``Authorization: Bearer <a scanner device's token>``; the device is in
    ``g.device``. A missing or dead token gets a 401 JSON."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with reads_before_writing(db.session):
            device = find_device(db.session, bearer_secret(), utcnow())
        if device is None:
            return _unauthorized()
        g.device = device
        return view(*args, **kwargs)

    return wrapped
