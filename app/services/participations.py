"""Employers at an event (participations): the table, how the booth interviews, bringing an
employer in and taking it off again."""

from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.database import Session
from app.models import Booking, Event, Interview, InterviewSlot, Organization, Participation, Response, User
from app.services import audit
from app.services.constraints import broken_rule
from app.services.errors import DomainError
from app.services.event_time import event_day, local_to_utc, local_wall_time
from app.services.events import refuse_if_archived

MAX_INTERVIEWERS = 50


@dataclass(frozen=True)
class BoothSettings:
    """An employer's table and how it interviews; the window is local wall-clock times on the event day."""

    table_number: str | None = None
    interview_minutes: int = 10
    interview_start: time | None = None
    interview_end: time | None = None
    interviewers: int = 1


def _booth_values(event: Event, settings: BoothSettings) -> dict:
    table = (settings.table_number or "").strip() or None
    if table and len(table) > 20:
        raise DomainError("table_number_too_long", "Use at most 20 characters.", field="table_number")
    if not 1 <= settings.interview_minutes <= 240:
        raise DomainError("interview_minutes_range", "Use 1 to 240 minutes.", field="interview_minutes")
    if not 1 <= settings.interviewers <= MAX_INTERVIEWERS:
        raise DomainError(
            "interviewers_range", f"Use 1 to {MAX_INTERVIEWERS} interviewers.", field="interviewers"
        )
    start, end = settings.interview_start, settings.interview_end
    if (start is None) != (end is None):
        raise DomainError(
            "interview_window_incomplete",
            "Give both the start and the end of the interview window, or neither.",
            field="interview_end" if end is None else "interview_start",
        )
    starts_at = ends_at = None
    if start is not None and end is not None:
        day = event_day(event)
        starts_at, ends_at = local_to_utc(day, start, event.timezone), local_to_utc(day, end, event.timezone)
        if ends_at <= starts_at:
            raise DomainError(
                "interview_window_order", "Interviews must end after they start.", field="interview_end"
            )
        if starts_at < event.starts_at or ends_at > event.ends_at:
            opens = local_wall_time(event.starts_at, event.timezone).strftime("%H:%M")
            closes = local_wall_time(event.ends_at, event.timezone).strftime("%H:%M")
            raise DomainError(
                "interview_window_outside_event",
                f"Interviews must fall within the event's hours ({opens}–{closes}).",
                field="interview_start" if starts_at < event.starts_at else "interview_end",
            )
        if ends_at - starts_at < timedelta(minutes=settings.interview_minutes):
            raise DomainError(
                "interview_window_too_short",
                "The window is shorter than one interview.",
                field="interview_end",
            )
    return {
        "table_number": table,
        "interview_minutes": settings.interview_minutes,
        "interviewers": settings.interviewers,
        "interview_starts_at": starts_at,
        "interview_ends_at": ends_at,
    }


def _save_booth(session: Session, participation: Participation, values: dict) -> None:
    """Write in a savepoint; the database's unique rules (one employer per table, each employer
    once per event) come back as messages on the field concerned, and nothing else is lost."""
    try:
        with session.begin_nested():
            for key, value in values.items():
                setattr(participation, key, value)
            session.add(participation)
    except IntegrityError as exc:
        rule = broken_rule(exc)
        if rule == "uq_participations_event_id_table_number":
            holder = session.scalar(
                select(Organization.name)
                .join(Participation, Participation.organization_id == Organization.id)
                .where(Participation.event_id == participation.event_id,
                       Participation.table_number == values["table_number"])
            )
            raise DomainError(
                "table_taken",
                f"{holder or 'Another employer'} already has table {values['table_number']} at this event.",
                field="table_number",
            ) from exc
        if rule == "uq_participations_event_id_organization_id":
            raise DomainError(
                "already_at_event", "This employer is already at the event.", field="organization"
            ) from exc
        raise


def add_employer(
    session: Session,
    event: Event,
    organization: Organization,
    settings: BoothSettings,
    *,
    actor: User | None = None,
) -> Participation:
    """Bring a directory employer to an event, at a table, with its interview settings."""
    refuse_if_archived(event)
    if not organization.is_employer:
        raise DomainError("not_an_employer", "Pick an employer.", field="organization")
    participation = Participation(event_id=event.id, organization_id=organization.id)
    _save_booth(session, participation, _booth_values(event, settings))
    audit.record(session, "participation.create", actor_user=actor, obj=participation, event_id=event.id)
    return participation


def update_participation(
    session: Session, participation: Participation, settings: BoothSettings, *, actor: User | None = None
) -> Participation:
    refuse_if_archived(participation.event)
    _save_booth(session, participation, _booth_values(participation.event, settings))
    audit.record(session, "participation.update", actor_user=actor, obj=participation)
    return participation


def booth_settings_of(participation: Participation) -> BoothSettings:
    tz = participation.event.timezone
    return BoothSettings(
        table_number=participation.table_number,
        interview_minutes=participation.interview_minutes,
        interview_start=local_wall_time(participation.interview_starts_at, tz)
        if participation.interview_starts_at
        else None,
        interview_end=local_wall_time(participation.interview_ends_at, tz)
        if participation.interview_ends_at
        else None,
        interviewers=participation.interviewers,
    )


def participation_removal_refusal(session: Session, participation: Participation) -> DomainError | None:
    """Why an employer cannot be taken off its event (interviews, live bookings, survey answers:
    that history must stay), or None. The confirmation page says it before anyone confirms."""
    name = participation.organization.name
    interviews = session.scalar(select(func.count()).where(Interview.participation_id == participation.id))
    if interviews:
        return DomainError(
            "has_interviews",
            f"{name} cannot be removed: {interviews} interview{'s' if interviews != 1 else ''} "
            "with it are recorded at this event.",
        )
    bookings = session.scalar(
        select(func.count())
        .select_from(Booking)
        .join(Booking.slot)
        .where(InterviewSlot.participation_id == participation.id, Booking.cancelled_at.is_(None))
    )
    if bookings:
        return DomainError(
            "has_bookings",
            f"{name} cannot be removed: career seekers hold {bookings} interview booking"
            f"{'s' if bookings != 1 else ''} with it. Cancel those first.",
        )
    if session.scalar(select(func.count()).where(Response.participation_id == participation.id)):
        return DomainError(
            "has_survey_answers", f"{name} cannot be removed: it has answered a survey for this event."
        )
    return None


def remove_participation(
    session: Session, participation: Participation, *, actor: User | None = None
) -> None:
    """Take an employer off an event, with its job orders; refused as
    ``participation_removal_refusal`` says."""
    refuse_if_archived(participation.event)
    if (refusal := participation_removal_refusal(session, participation)) is not None:
        raise refusal
    event_id = participation.event_id
    participation_id = participation.id
    session.delete(participation)
    session.flush()
    audit.record(
        session,
        "participation.delete",
        actor_user=actor,
        event_id=event_id,
        participation_id=participation_id,
    )


def table_order(participation: Participation) -> tuple:
    """Tables 1, 2, … 10 in number order, then named tables (A3, Lobby), then employers without one."""
    table = participation.table_number
    if table is None:
        return (2, 0, "")
    return (0, int(table), "") if table.isdigit() else (1, 0, table.lower())
