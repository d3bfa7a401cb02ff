"""The public's event pages: the list of events and one event's page."""

from flask import render_template

from app.events.views.base import bp
from app.extensions import db
from app.models import utcnow
from app.services import events
from app.web import or_404


@bp.get("/")
def home():
    now = utcnow()
    return render_template(
        "events/home.html",
        events=events.upcoming_events(db.session, now),
        past=events.past_events(db.session, now),
    )


@bp.get("/events/<slug>/")
def event_page(slug: str):
    event = or_404(events.public_event, db.session, slug)
    return render_template("events/event.html", event=event, over=event.has_ended(utcnow()))
