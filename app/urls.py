"""Absolute links for e-mails, QR codes and printed sheets: ``BASE_URL`` when set, else the
address the request came in on."""

from flask import current_app, has_request_context, request

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def public_url(path: str) -> str:
    base = current_app.config.get("BASE_URL")
    if not base:
        base = request.host_url.rstrip("/") if has_request_context() else DEFAULT_BASE_URL
    return base + path


def badge_url(badge_code: str) -> str:
    """What a badge's QR code holds."""
    return public_url(f"/b/{badge_code}")
