"""The audit trail: who did what, when, from which device (never a person's details)."""

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select

from app.access import staff_required
from app.extensions import db
from app.models import Event
from app.services import audit

bp = Blueprint("audit", __name__)


@bp.get("/staff/audit/")
@staff_required
def audit_trail():
    """Who did what: sign-ins, check-ins, outcomes and offers, exports, links issued and revoked."""
    slug = request.args.get("event", "")
    action = request.args.get("action", "")
    event = db.session.scalar(select(Event).where(Event.slug == slug)) if slug else None
    entries = audit.recent(db.session, event_id=event.id if event else None, action_prefix=action)
    logged = [entry for entry, _user, _token in entries]
    return render_template(
        "audit/audit.html", entries=entries, event=event, action=action,
        names=audit.object_names(db.session, logged), event_names=audit.event_names(db.session, logged),
        events=db.session.scalars(select(Event).order_by(Event.starts_at.desc())).all(),
        timezone=current_app.config["DEFAULT_TIMEZONE"],
    )
