"""Error pages (HTML) and error bodies (JSON under /api/) for every HTTP error."""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

from app.services.errors import DomainError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _render(error: HTTPException):
    code = error.code or 500
    # Keep the headers the error carries (``Allow`` on a 405, ``Retry-After`` on a 429, …).
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if _wants_json():
        key = (error.name or "error").lower().replace(" ", "_")
        return jsonify(status="error", error=key, message=error.description), code, headers
    return render_template("_layouts/error.html", error=error, code=code), code, headers


def _csrf_failed(error: CSRFError):
    if _wants_json():
        return jsonify(status="error", error="csrf_failed", message=error.description), 400
    return render_template("_layouts/error.html", error=error, code=400, csrf=True), 400


def _domain_error(error: DomainError):
    """A service refused and the view did not catch it: ``…_not_found`` is a 404, the rest a 400
    with the service's message. Never a 500."""
    if error.code.endswith("not_found"):
        return _render(NotFound())
    if _wants_json():
        return jsonify(status="error", error=error.code, message=str(error.message)), 400
    return _render(BadRequest(description=str(error.message)))


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_failed)
    # Unhandled exceptions are logged by Flask and reach this as a 500 InternalServerError.
    app.register_error_handler(HTTPException, _render)
