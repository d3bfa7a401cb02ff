"""Events as the public and the staff find them: the public listings, one event by its address,
the staff overview with its headline counts, and the status an event moves through (draft →
published → closed → archived)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import (
    Event,
    EventStatus,
    Participation,
    Partnership,
    Position,
    Registration,
    RegistrationStatus,
    User,
)
from app.services import audit
from app.services.errors import DomainError

#: Statuses a career seeker may see.
PUBLIC_STATUSES = tuple(status for status in EventStatus if status.is_public)


def upcoming_events(session: Session, now: datetime) -> list[Event]:
    """Published events that have not ended, soonest first."""
    return list(
        session.scalars(
            select(Event)
            .where(Event.status == EventStatus.PUBLISHED, Event.ends_at > now)
            .order_by(Event.starts_at)
        )
    )


def past_events(session: Session, now: datetime, limit: int = 12) -> list[Event]:
    """Public events that have ended, latest first: a newcomer finds the demo's past event, and a
    career seeker the page of the event they went to."""
    return list(
        session.scalars(
            select(Event)
            .where(Event.status.in_(PUBLIC_STATUSES), Event.ends_at <= now)
            .order_by(Event.starts_at.desc())
            .limit(limit)
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


def archived_events(session: Session) -> list[Event]:
    """Archived events, newest first: off the overview, still there to look up and copy."""
    return list(
        session.scalars(
            select(Event).where(Event.status == EventStatus.ARCHIVED).order_by(Event.starts_at.desc())
        )
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


def event_by_slug(session: Session, slug: str) -> Event:
    """The event a URL names, whatever its status; ``DomainError("event_not_found")`` (a 404)
    when there is none."""
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise DomainError("event_not_found", "There is no such event.")
    return event


def staff_event(session: Session, slug: str) -> Event:
    """Any event, whatever its status, with its employers, positions and partners loaded."""
    event = session.scalar(
        select(Event)
        .where(Event.slug == slug)
        .options(
            selectinload(Event.participations).selectinload(Participation.organization),
            selectinload(Event.participations).selectinload(Participation.positions),
            selectinload(Event.partnerships).selectinload(Partnership.organization),
        )
    )
    if event is None:
        raise DomainError("event_not_found", "There is no such event.")
    return event


def copyable_events(session: Session) -> list[Event]:
    """Every event, newest first: any of them can be the start of the next one."""
    return list(session.scalars(select(Event).order_by(Event.starts_at.desc())))


@dataclass(frozen=True)
class EventCounts:
    registered: int
    waitlisted: int
    employers: int
    positions: int
    openings: int


def event_counts(session: Session, event: Event) -> EventCounts:
    by_status = dict(
        session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event.id)
            .group_by(Registration.status)
        ).all()
    )
    positions, openings = session.execute(
        select(func.count(Position.id), func.coalesce(func.sum(Position.openings), 0))
        .join(Position.participation)
        .where(Participation.event_id == event.id)
    ).one()
    employers = session.scalar(select(func.count()).where(Participation.event_id == event.id))
    return EventCounts(
        registered=by_status.get(RegistrationStatus.REGISTERED, 0),
        waitlisted=by_status.get(RegistrationStatus.WAITLISTED, 0),
        employers=employers or 0,
        positions=positions,
        openings=openings,
    )


def refuse_if_archived(event: Event) -> None:
    if event.status == EventStatus.ARCHIVED:
        raise DomainError("event_archived", "This event is archived; it can no longer be changed.")


#: The status changes staff may make; archived is final.
STATUS_TRANSITIONS: dict[EventStatus, tuple[EventStatus, ...]] = {
    EventStatus.DRAFT: (EventStatus.PUBLISHED,),
    EventStatus.PUBLISHED: (EventStatus.CLOSED,),
    EventStatus.CLOSED: (EventStatus.PUBLISHED, EventStatus.ARCHIVED),
    EventStatus.ARCHIVED: (),
}


def change_status(
    session: Session, event: Event, status: EventStatus | str, *, actor: User | None = None
) -> Event:
    """Move an event along draft → published → closed → archived (closed may go back to published)."""
    try:
        status = EventStatus(status)
    except ValueError as exc:
        raise DomainError("invalid_status", "There is no such status.") from exc
    if status not in STATUS_TRANSITIONS[event.status]:
        raise DomainError(
            "status_change_not_allowed", f"A {event.status.value} event cannot become {status.value}."
        )
    before = event.status
    event.status = status
    session.flush()
    audit.record(
        session, "event.status", actor_user=actor, obj=event, from_status=before.value, to_status=status.value
    )
    return event
