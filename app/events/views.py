from flask import Blueprint, abort, render_template

from app.access import staff_required
from app.extensions import db
from app.models import utcnow
from app.services import events
from app.services.errors import DomainError

bp = Blueprint("events", __name__)


@bp.get("/")
def home():
    return render_template("events/home.html", events=events.upcoming_events(db.session, utcnow()))


@bp.get("/events/<slug>/")
def event_page(slug: str):
    try:
        event = events.public_event(db.session, slug)
    except DomainError:
        abort(404)
    return render_template("events/event.html", event=event)


@bp.get("/staff/")
@staff_required
def staff_events():
    return render_template("events/staff_list.html", summaries=events.staff_overview(db.session))
