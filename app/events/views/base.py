"""The events blueprint and what its staff pages share: the event a URL names, and the way back
to its page."""

from flask import Blueprint, abort, flash, redirect, url_for

from app.extensions import db
from app.models import Event
from app.services import events
from app.services.errors import DomainError


bp = Blueprint("events", __name__)


def flash_warnings(warnings: list[str]) -> None:
    """Things staff should know about what they just saved, which is saved all the same."""
    for warning in warnings:
        flash(warning, "warning")


def event_or_404(slug: str) -> Event:
    try:
        return events.staff_event(db.session, slug)
    except DomainError:
        abort(404)


def to_event_page(event: Event, anchor: str | None = None):
    return redirect(url_for("events.staff_event", slug=event.slug, _anchor=anchor))
