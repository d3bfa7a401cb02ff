"""The interviews blueprint, and how its writes answer: a redirect, or JSON for the booth tablet's script."""

from flask import Blueprint, jsonify, redirect

from app.services.errors import DomainError
from app.web import flash_error, wants_json

bp = Blueprint("interviews", __name__)


def done(to: str):
    """After a booth write: a redirect, or for the tablet's script (which retries failed sends) the
    address to go to, so the flash message is still there when the page loads."""
    if wants_json():
        return jsonify(status="saved", redirect=to)
    return redirect(to, code=303)


def fail(error: DomainError, to: str):
    flash_error(error)
    return done(to)
