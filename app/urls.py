"""Absolute links for e-mails, QR codes and printed sheets: ``BASE_URL`` when set, else the
address the request came in on, else (a CLI command, a background job) this machine on ``PORT``.
``HOST`` is left out on purpose: gunicorn may listen on 0.0.0.0, which no browser can open."""

from flask import current_app, has_request_context, request


def public_url(path: str) -> str:
    base = current_app.config.get("BASE_URL")
    if not base and has_request_context():
        base = request.host_url.rstrip("/")
    elif not base:
        base = f"http://127.0.0.1:{current_app.config['PORT']}"
    return base + path


def badge_url(badge_code: str) -> str:
    """What a badge's QR code holds."""
    return public_url(f"/b/{badge_code}")
