"""The events blueprint and what its staff pages share: the event a URL names, and the way back
to its page."""

from flask import Blueprint, flash, redirect, url_for

from app.extensions import db
from app.models import Event
from app.services import events
from app.web import or_404

bp = Blueprint("events", __name__)


def flash_warnings(warnings: list[str]) -> None:
    """Things staff should know about what they just saved, which is saved all the same."""
    for warning in warnings:
        flash(warning, "warning")


def event_or_404(slug: str) -> Event:
    return or_404(events.staff_event, db.session, slug)


def to_event_page(event: Event, anchor: str | None = None):
    return redirect(url_for("events.staff_event", slug=event.slug, _anchor=anchor))
