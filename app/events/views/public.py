"""The public's event pages: the list of events and one event's page."""

from flask import abort, render_template

from app.extensions import db
from app.models import utcnow
from app.services import events
from app.services.errors import DomainError

from app.events.views.base import bp


@bp.get("/")
def home():
    now = utcnow()
    return render_template(
        "events/home.html", events=events.upcoming_events(db.session, now), past=events.past_events(db.session, now)
    )


@bp.get("/events/<slug>/")
def event_page(slug: str):
    try:
        event = events.public_event(db.session, slug)
    except DomainError:
        abort(404)
    return render_template("events/event.html", event=event, over=event.has_ended(utcnow()))
