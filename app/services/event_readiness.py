"""What staff should hear about an event before and after saving it: warnings about its date,
capacity and surveys, and the checklist shown before publishing."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.database import Session
from app.models import Event, EventStatus, InterviewSlot, Participation, Survey
from app.services.event_time import event_day
from app.services.events import registered_counts
from app.services.surveys import window_warning


def event_warnings(session: Session, event: Event, now: datetime) -> list[str]:
    """What staff should hear about an event they just saved (it is saved all the same): a date in
    the past, fewer places than people registered, a post-event survey that closes too soon."""
    warnings = []
    if event.has_ended(now) and event.status in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        warnings.append(
            f"{event.name} is dated in the past ({event_day(event):%B %-d, %Y}): nobody can register for it. "
            "Check the date."
        )
    registered = registered_counts(session, [event.id]).get(event.id, 0)
    if event.capacity is not None and registered > event.capacity:
        warnings.append(
            f"{registered:,} people are registered, more than the capacity of {event.capacity:,}. Everyone "
            "registered keeps their place; new registrations go to the waitlist."
        )
    surveys = session.scalars(select(Survey).where(Survey.event_id == event.id).order_by(Survey.id))
    warnings.extend(warning for survey in surveys if (warning := window_warning(survey)) is not None)
    return warnings


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the checklist shown before publishing: done, or what is missing."""

    done: bool
    text: str
    #: The page where it is fixed, as an anchor on the staff event page ("employers").
    anchor: str = ""


def _some_names(names: list[str], shown: int = 5) -> str:
    """"A, B, C, D, E and 7 more"."""
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _registration_window(event: Event, now: datetime) -> ChecklistItem:
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if closes is not None and closes <= now:
        return ChecklistItem(
            False, "Registration has already closed: nobody can register. Change the window."
        )
    tz = ZoneInfo(event.timezone)
    opening = f"opens {opens.astimezone(tz):%B %-d at %-I:%M %p}" if opens else "opens when you publish"
    closing = (
        f"closes {closes.astimezone(tz):%B %-d at %-I:%M %p}" if closes else "stays open until the event ends"
    )
    return ChecklistItem(True, f"Registration {opening} and {closing}.")


def publish_checklist(session: Session, event: Event, now: datetime) -> list[ChecklistItem]:
    """What to check before career seekers see the event; publishing is allowed either way (a
    small event may have no partners), but nothing here is a surprise afterwards."""
    with_slots = set(session.scalars(
        select(InterviewSlot.participation_id).join(InterviewSlot.participation)
        .where(Participation.event_id == event.id).distinct()
    ))
    employers = event.participations
    without_jobs = [p.organization.name for p in employers if not p.positions]
    without_slots = [p.organization.name for p in employers if p.id not in with_slots]
    past = event.has_ended(now)
    return [
        ChecklistItem(not past, "The event's date is in the past." if past else "The event's date is ahead."),
        ChecklistItem(
            bool(employers),
            f"{len(employers):,} employer(s) are at the event." if employers else "No employers yet.",
            "employers",
        ),
        ChecklistItem(
            not without_jobs,
            f"No job orders yet: {_some_names(without_jobs)}."
            if without_jobs
            else "Every employer has job orders.",
            "employers",
        ),
        ChecklistItem(
            not without_slots,
            f"No interview slots (career seekers cannot book ahead): {_some_names(without_slots)}."
            if without_slots
            else "Every employer has interview slots to book.",
            "employers",
        ),
        ChecklistItem(
            bool(event.partnerships),
            f"{len(event.partnerships):,} referring partner(s)."
            if event.partnerships
            else "No referring partners: nobody gets a referral link.",
            "partners",
        ),
        _registration_window(event, now),
    ]
