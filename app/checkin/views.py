from dataclasses import dataclass

from flask import Blueprint, render_template

from app.access import door_required
from app.extensions import db
from app.models import Event, utcnow
from app.services import checkin, events

bp = Blueprint("checkin", __name__, url_prefix="/door")


@dataclass(frozen=True)
class _DoorRow:
    event: Event
    registered: int
    checked_in: int


@bp.get("/")
@door_required
def door():
    """Where a volunteer lands after signing in: the events open for check-in and their counts."""
    upcoming = events.upcoming_events(db.session, utcnow())
    registered = events.registered_counts(db.session, [e.id for e in upcoming])
    rows = [
        _DoorRow(e, registered.get(e.id, 0), checkin.checked_in_count(db.session, e.id)) for e in upcoming
    ]
    return render_template("checkin/door.html", rows=rows)
