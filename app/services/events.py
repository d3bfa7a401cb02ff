"""Finding events: what the public sees, and the staff overview."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.models import Event, EventStatus, Participation, Position, Registration, RegistrationStatus
from app.services.errors import DomainError

#: Statuses a career seeker may see.
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CLOSED)


def upcoming_events(session: Session, now: datetime) -> list[Event]:
    """Published events that have not ended, soonest first."""
    return list(
        session.scalars(
            select(Event)
            .where(Event.status == EventStatus.PUBLISHED, Event.ends_at > now)
            .order_by(Event.starts_at)
        )
    )


def public_event(session: Session, slug: str) -> Event:
    """The event behind ``/events/<slug>/``, with its employers and positions loaded."""
    event = session.scalar(
        select(Event)
        .where(Event.slug == slug, Event.status.in_(PUBLIC_STATUSES))
        .options(
            selectinload(Event.participations).selectinload(Participation.organization),
            selectinload(Event.participations).selectinload(Participation.positions),
        )
    )
    if event is None:
        raise DomainError("event_not_found", "There is no such event.")
    return event


@dataclass(frozen=True)
class EventSummary:
    event: Event
    registered: int
    waitlisted: int
    employers: int
    openings: int


def registered_counts(session: Session, event_ids: list[int]) -> dict[int, int]:
    """Registrations that hold a place (not waitlisted, not cancelled), per event."""
    return dict(
        session.execute(
            select(Registration.event_id, func.count())
            .where(Registration.event_id.in_(event_ids), Registration.status == RegistrationStatus.REGISTERED)
            .group_by(Registration.event_id)
        ).all()
    )


def staff_overview(session: Session) -> list[EventSummary]:
    """Every event that is not archived, newest first, with its headline counts (one query each kind)."""
    events = list(
        session.scalars(
            select(Event).where(Event.status != EventStatus.ARCHIVED).order_by(Event.starts_at.desc())
        )
    )
    ids = [e.id for e in events]
    by_status = {
        (event_id, status): count
        for event_id, status, count in session.execute(
            select(Registration.event_id, Registration.status, func.count())
            .where(Registration.event_id.in_(ids))
            .group_by(Registration.event_id, Registration.status)
        )
    }
    employers = dict(
        session.execute(
            select(Participation.event_id, func.count())
            .where(Participation.event_id.in_(ids))
            .group_by(Participation.event_id)
        ).all()
    )
    openings = dict(
        session.execute(
            select(Participation.event_id, func.coalesce(func.sum(Position.openings), 0))
            .join(Position.participation)
            .where(Participation.event_id.in_(ids))
            .group_by(Participation.event_id)
        ).all()
    )
    return [
        EventSummary(
            event=e,
            registered=by_status.get((e.id, RegistrationStatus.REGISTERED), 0),
            waitlisted=by_status.get((e.id, RegistrationStatus.WAITLISTED), 0),
            employers=employers.get(e.id, 0),
            openings=openings.get(e.id, 0),
        )
        for e in events
    ]
