"""Events: what the public sees, the staff overview, and setting an event up — its details and
status, copying a past one, the employers at it (with their job orders), the referring partners,
and the booth, partner and scanner links that let people without an account in.

Times arrive as local wall-clock times in the event's own time zone and are stored in UTC."""

import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.models import (
    AccessToken,
    Booking,
    EmploymentType,
    Event,
    EventKind,
    EventStatus,
    Interview,
    InterviewSlot,
    Organization,
    OrganizationKind,
    Participation,
    Partnership,
    Position,
    Question,
    Referral,
    Registration,
    RegistrationStatus,
    Response,
    Sector,
    Survey,
    TokenScope,
    User,
    WageUnit,
)
from app.services import audit, tokens, wages
from app.services.errors import DomainError
from app.services.event_templates import template_for
from app.services.surveys import add_default_surveys, window_warning

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


# --- Times ----------------------------------------------------------------------------------------


def zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name``, or a ``DomainError`` on the time zone field."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise DomainError("invalid_timezone", "Pick a time zone from the list.", field="timezone") from exc


def local_to_utc(day: date, at: time, timezone: str) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``timezone``."""
    return datetime.combine(day, at, tzinfo=zone(timezone)).astimezone(UTC)


def event_day(event: Event) -> date:
    """The event's date where it happens."""
    return event.starts_at.astimezone(ZoneInfo(event.timezone)).date()


def local_wall_time(value: datetime, timezone: str) -> time:
    return value.astimezone(ZoneInfo(timezone)).time().replace(tzinfo=None)


def _move(value: datetime | None, days: int, old_zone: ZoneInfo, new_zone: ZoneInfo) -> datetime | None:
    """The same local wall-clock time ``days`` later (and read in ``new_zone``): right across a
    daylight-saving change, where adding 24-hour days to a UTC time would be an hour off."""
    if value is None:
        return None
    wall = value.astimezone(old_zone).replace(tzinfo=None) + timedelta(days=days)
    return wall.replace(tzinfo=new_zone).astimezone(UTC)


def _broken_rule(error: IntegrityError) -> str:
    """The name of the constraint that refused a write. PostgreSQL names it; SQLite lists a unique
    rule's columns, from which the naming convention (``uq_<table>_<columns>``) rebuilds the name."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name
    message = str(error.orig)
    prefix = "UNIQUE constraint failed: "
    if message.startswith(prefix):
        columns = [c.strip() for c in message[len(prefix):].split(",")]
        table = columns[0].split(".")[0]
        return f"uq_{table}_" + "_".join(c.split(".", 1)[1] for c in columns)
    return message


def _refuse_if_archived(event: Event) -> None:
    if event.status == EventStatus.ARCHIVED:
        raise DomainError("event_archived", "This event is archived; it can no longer be changed.")


# --- Events: details, templates, status, copies ---------------------------------------------------

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 80
#: Would read as a staff page rather than an event (``/staff/events/new``).
RESERVED_SLUGS = frozenset({"new", "slug-suggestion"})
MAX_BOOKINGS_LIMIT = 20


@dataclass(frozen=True)
class EventDetails:
    """What staff type about an event. Dates and times are local to ``timezone``; the registration
    window is naive local date-times."""

    name: str
    slug: str
    venue: str
    address: str
    day: date
    start: time
    end: time
    timezone: str
    sectors: Sequence[str] = ()
    description: str = ""
    #: Shown on Spanish pages; empty: they show ``description``, marked as English.
    description_es: str = ""
    registration_opens: datetime | None = None
    registration_closes: datetime | None = None
    capacity: int | None = None
    max_bookings_per_candidate: int = 3
    #: Booths interview on the event's day; these widen that window (local times, optional).
    booth_opens: datetime | None = None
    booth_closes: datetime | None = None


def slugify(text: str) -> str:
    """``Techapalooza Spring 2027`` → ``techapalooza-spring-2027`` (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:SLUG_MAX_LENGTH].rstrip("-")


def _slug_taken(session: Session, slug: str, exclude_event_id: int | None) -> bool:
    statement = select(Event.id).where(Event.slug == slug)
    if exclude_event_id is not None:
        statement = statement.where(Event.id != exclude_event_id)
    return slug in RESERVED_SLUGS or session.scalar(statement) is not None


def suggest_slug(session: Session, name: str, *, exclude_event_id: int | None = None) -> str:
    """A free slug made from ``name``: ``techapalooza``, else ``techapalooza-2``, ``-3``, …"""
    base = slugify(name) or "event"
    slug, n = base, 2
    while _slug_taken(session, slug, exclude_event_id):
        suffix = f"-{n}"
        slug = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        n += 1
    return slug


def check_slug(session: Session, slug: str, *, exclude_event_id: int | None = None) -> str:
    """``slug`` when it is well formed and free, else a ``DomainError`` on the slug field."""
    slug = slug.strip()
    if not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX_LENGTH:
        raise DomainError(
            "invalid_slug",
            f"Use lowercase letters, digits and single hyphens only, at most {SLUG_MAX_LENGTH} characters "
            "(e.g. techapalooza-spring-2027).",
            field="slug",
        )
    if _slug_taken(session, slug, exclude_event_id):
        raise DomainError("slug_taken", "Another event already uses this web address; choose another.", field="slug")
    return slug


def _event_values(session: Session, details: EventDetails, *, event_id: int | None = None) -> dict:
    """Validated column values for ``details``; the first problem found raises, on its field."""
    name = " ".join(details.name.split())
    if not name:
        raise DomainError("name_required", "Give the event a name.", field="name")
    if len(name) > 200:
        raise DomainError("name_too_long", "Use at most 200 characters.", field="name")
    slug = (
        check_slug(session, details.slug, exclude_event_id=event_id)
        if details.slug.strip()
        else suggest_slug(session, name, exclude_event_id=event_id)
    )
    venue, address = details.venue.strip(), details.address.strip()
    if not venue:
        raise DomainError("venue_required", "Say where the event takes place.", field="venue")
    if not address:
        raise DomainError("address_required", "Give the venue's street address.", field="address")
    tz = zone(details.timezone)
    starts_at = datetime.combine(details.day, details.start, tzinfo=tz).astimezone(UTC)
    ends_at = datetime.combine(details.day, details.end, tzinfo=tz).astimezone(UTC)
    if ends_at <= starts_at:
        raise DomainError("ends_before_start", "The event must end after it starts.", field="end")
    opens_at = details.registration_opens.replace(tzinfo=tz).astimezone(UTC) if details.registration_opens else None
    closes_at = details.registration_closes.replace(tzinfo=tz).astimezone(UTC) if details.registration_closes else None
    if opens_at and opens_at >= ends_at:
        raise DomainError(
            "registration_opens_too_late", "Registration must open before the event ends.", field="registration_opens"
        )
    if closes_at and opens_at and closes_at <= opens_at:
        raise DomainError(
            "registration_window_order", "Registration must close after it opens.", field="registration_closes"
        )
    if closes_at and closes_at > ends_at:
        raise DomainError(
            "registration_closes_too_late", "Registration must close by the end of the event.",
            field="registration_closes",
        )
    booth_opens_at = details.booth_opens.replace(tzinfo=tz).astimezone(UTC) if details.booth_opens else None
    booth_closes_at = details.booth_closes.replace(tzinfo=tz).astimezone(UTC) if details.booth_closes else None
    if booth_opens_at and booth_opens_at > starts_at:
        raise DomainError("booth_opens_too_late", "Booths can open earlier than the event's day, not later: "
                          "leave this blank to open them at midnight of the event's day.", field="booth_opens")
    if booth_closes_at and booth_closes_at < ends_at:
        raise DomainError("booth_closes_too_early", "Booths can close later than the event's day, not earlier: "
                          "leave this blank to close them at midnight after the event.", field="booth_closes")
    if details.capacity is not None and details.capacity < 1:
        raise DomainError("capacity_positive", "Capacity must be at least 1, or left blank for no limit.",
                          field="capacity")
    if not 0 <= details.max_bookings_per_candidate <= MAX_BOOKINGS_LIMIT:
        raise DomainError(
            "max_bookings_range", f"Use a number from 0 (no booking ahead) to {MAX_BOOKINGS_LIMIT}.",
            field="max_bookings_per_candidate",
        )
    try:
        chosen = {Sector(s) for s in details.sectors}
    except ValueError as exc:
        raise DomainError("invalid_sector", "Pick sectors from the list.", field="sectors") from exc
    return {
        "name": name,
        "slug": slug,
        "venue": venue[:200],
        "address": address[:300],
        "timezone": details.timezone,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "registration_opens_at": opens_at,
        "registration_closes_at": closes_at,
        "booth_opens_at": booth_opens_at,
        "booth_closes_at": booth_closes_at,
        "capacity": details.capacity,
        "max_bookings_per_candidate": details.max_bookings_per_candidate,
        "sectors": [s.value for s in Sector if s in chosen],
        "description": details.description.strip(),
        "description_es": details.description_es.strip(),
    }


def _save_event(session: Session, event: Event, values: dict) -> None:
    """Write ``values`` in a savepoint, so a slug taken a moment ago by someone else becomes a
    field message and the session stays usable."""
    try:
        with session.begin_nested():
            for key, value in values.items():
                setattr(event, key, value)
            session.add(event)
    except IntegrityError as exc:
        if _broken_rule(exc) != "uq_events_slug":
            raise
        raise DomainError(
            "slug_taken", "Another event already uses this web address; choose another.", field="slug"
        ) from exc


def event_details_of(event: Event) -> EventDetails:
    """An event's details as staff would type them (local times), to edit or copy."""
    tz = ZoneInfo(event.timezone)

    def local(value: datetime | None) -> datetime | None:
        return value.astimezone(tz).replace(tzinfo=None) if value else None

    return EventDetails(
        name=event.name,
        slug=event.slug,
        venue=event.venue,
        address=event.address,
        day=event_day(event),
        start=local_wall_time(event.starts_at, event.timezone),
        end=local_wall_time(event.ends_at, event.timezone),
        timezone=event.timezone,
        sectors=tuple(event.sectors),
        description=event.description,
        description_es=event.description_es,
        registration_opens=local(event.registration_opens_at),
        registration_closes=local(event.registration_closes_at),
        capacity=event.capacity,
        max_bookings_per_candidate=event.max_bookings_per_candidate,
        booth_opens=local(event.booth_opens_at),
        booth_closes=local(event.booth_closes_at),
    )


def create_event(
    session: Session, details: EventDetails, kind: EventKind | str = EventKind.BLANK, *, actor: User | None = None
) -> Event:
    """A new draft event of the template ``kind`` (which sets its series), with its default surveys."""
    kind = EventKind(kind)
    event = Event(kind=kind, series=template_for(kind).series, status=EventStatus.DRAFT)
    _save_event(session, event, _event_values(session, details))
    add_default_surveys(session, event)
    audit.record(session, "event.create", actor_user=actor, obj=event, kind=kind.value)
    return event


def update_event(session: Session, event: Event, details: EventDetails, *, actor: User | None = None) -> Event:
    """Change an event's details. Moving it to another day (or time zone) moves what hangs off its
    times along with it: employers' interview windows, interview slots, survey windows."""
    _refuse_if_archived(event)
    values = _event_values(session, details, event_id=event.id)
    old_zone, new_zone = ZoneInfo(event.timezone), ZoneInfo(values["timezone"])
    days = (details.day - event_day(event)).days
    before = _calendar_facts(event)
    _save_event(session, event, values)
    if days or old_zone.key != new_zone.key:
        _move_event_times(session, event, days, old_zone, new_zone)
    if _calendar_facts(event) != before:
        # Registrants are told (jobs.send_event_change_notices); a higher SEQUENCE makes their
        # calendars replace the entry.
        event.ics_sequence += 1
        session.flush()
    audit.record(session, "event.update", actor_user=actor, obj=event, moved_days=days)
    return event


def _calendar_facts(event: Event) -> tuple:
    """What registrants are told about when it changes: when and where."""
    return (event.starts_at, event.ends_at, event.venue.strip(), event.address.strip())


def _move_event_times(session: Session, event: Event, days: int, old_zone: ZoneInfo, new_zone: ZoneInfo) -> None:
    for participation in event.participations:
        participation.interview_starts_at = _move(participation.interview_starts_at, days, old_zone, new_zone)
        participation.interview_ends_at = _move(participation.interview_ends_at, days, old_zone, new_zone)
    for survey in session.scalars(select(Survey).where(Survey.event_id == event.id)):
        survey.opens_at = _move(survey.opens_at, days, old_zone, new_zone)
        survey.closes_at = _move(survey.closes_at, days, old_zone, new_zone)
    slots = list(
        session.scalars(
            select(InterviewSlot).join(InterviewSlot.participation).where(Participation.event_id == event.id)
        )
    )
    if slots:
        later = _move(slots[0].starts_at, days, old_zone, new_zone) > slots[0].starts_at
        # One slot at a time, the far end first, so no slot lands on another's time that has not
        # moved yet (a booth's slot times are unique).
        for slot in sorted(slots, key=lambda s: s.starts_at, reverse=later):
            slot.starts_at = _move(slot.starts_at, days, old_zone, new_zone)
            slot.ends_at = _move(slot.ends_at, days, old_zone, new_zone)
            session.flush()
    session.flush()


#: The status changes staff may make; archived is final.
STATUS_TRANSITIONS: dict[EventStatus, tuple[EventStatus, ...]] = {
    EventStatus.DRAFT: (EventStatus.PUBLISHED,),
    EventStatus.PUBLISHED: (EventStatus.CLOSED,),
    EventStatus.CLOSED: (EventStatus.PUBLISHED, EventStatus.ARCHIVED),
    EventStatus.ARCHIVED: (),
}


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
    for survey in session.scalars(select(Survey).where(Survey.event_id == event.id).order_by(Survey.id)):
        if (warning := window_warning(survey)) is not None:
            warnings.append(warning)
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
        return ChecklistItem(False, "Registration has already closed: nobody can register. Change the window.")
    tz = ZoneInfo(event.timezone)
    opening = f"opens {opens.astimezone(tz):%B %-d at %-I:%M %p}" if opens else "opens when you publish"
    closing = f"closes {closes.astimezone(tz):%B %-d at %-I:%M %p}" if closes else "stays open until the event ends"
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
        ChecklistItem(bool(employers), f"{len(employers):,} employer(s) are at the event." if employers
                      else "No employers yet.", "employers"),
        ChecklistItem(not without_jobs, f"No job orders yet: {_some_names(without_jobs)}." if without_jobs
                      else "Every employer has job orders.", "employers"),
        ChecklistItem(not without_slots,
                      f"No interview slots (career seekers cannot book ahead): {_some_names(without_slots)}."
                      if without_slots else "Every employer has interview slots to book.", "employers"),
        ChecklistItem(bool(event.partnerships), f"{len(event.partnerships):,} referring partner(s)."
                      if event.partnerships else "No referring partners: nobody gets a referral link.", "partners"),
        _registration_window(event, now),
    ]


def change_status(session: Session, event: Event, status: EventStatus | str, *, actor: User | None = None) -> Event:
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


def copy_event(
    session: Session, source: Event, *, name: str, slug: str, day: date, actor: User | None = None
) -> Event:
    """A new draft like ``source`` on ``day``: its details, employers (tables and interview
    settings), job orders, partners (with new referral codes) and surveys (questions, no answers).
    Every time moves by the same number of days, keeping its local wall-clock time."""
    old = event_details_of(source)
    tz = ZoneInfo(source.timezone)
    days = (day - old.day).days

    def moved_local(value: datetime | None) -> datetime | None:
        return value + timedelta(days=days) if value else None

    details = EventDetails(
        name=name, slug=slug, venue=old.venue, address=old.address, day=day, start=old.start, end=old.end,
        timezone=old.timezone, sectors=old.sectors, description=old.description,
        registration_opens=moved_local(old.registration_opens),
        registration_closes=moved_local(old.registration_closes),
        capacity=old.capacity, max_bookings_per_candidate=old.max_bookings_per_candidate,
        booth_opens=moved_local(old.booth_opens), booth_closes=moved_local(old.booth_closes),
    )
    event = Event(kind=source.kind, series=source.series, status=EventStatus.DRAFT)
    _save_event(session, event, _event_values(session, details))

    for booth in source.participations:
        session.add(
            Participation(
                event=event,
                organization_id=booth.organization_id,
                table_number=booth.table_number,
                interview_minutes=booth.interview_minutes,
                interviewers=booth.interviewers,
                interview_starts_at=_move(booth.interview_starts_at, days, tz, tz),
                interview_ends_at=_move(booth.interview_ends_at, days, tz, tz),
                positions=[
                    Position(
                        title=p.title, sector=p.sector, openings=p.openings, wage_min_cents=p.wage_min_cents,
                        wage_max_cents=p.wage_max_cents, wage_unit=p.wage_unit,
                        employment_type=p.employment_type, requirements=p.requirements,
                    )
                    for p in booth.positions
                ],
            )
        )
    for partnership in source.partnerships:
        session.add(
            Partnership(
                event=event, organization_id=partnership.organization_id, referral_code=_unused_referral_code(session)
            )
        )
    surveys = session.scalars(
        select(Survey).where(Survey.event_id == source.id).options(selectinload(Survey.questions)).order_by(Survey.id)
    )
    for survey in surveys:
        session.add(
            Survey(
                event=event, audience=survey.audience, phase=survey.phase,
                title_en=survey.title_en, title_es=survey.title_es,
                opens_at=_move(survey.opens_at, days, tz, tz), closes_at=_move(survey.closes_at, days, tz, tz),
                questions=[
                    Question(
                        key=q.key, position=q.position, kind=q.kind, prompt_en=q.prompt_en, prompt_es=q.prompt_es,
                        choices=[dict(c) for c in q.choices], required=q.required,
                    )
                    for q in survey.questions
                ],
            )
        )
    session.flush()
    add_default_surveys(session, event)  # a source made before a default survey existed
    audit.record(session, "event.copy", actor_user=actor, obj=event, source_event_id=source.id)
    return event


# --- Employers at an event ------------------------------------------------------------------------

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
            "interview_window_incomplete", "Give both the start and the end of the interview window, or neither.",
            field="interview_end" if end is None else "interview_start",
        )
    starts_at = ends_at = None
    if start is not None and end is not None:
        day = event_day(event)
        starts_at, ends_at = local_to_utc(day, start, event.timezone), local_to_utc(day, end, event.timezone)
        if ends_at <= starts_at:
            raise DomainError("interview_window_order", "Interviews must end after they start.", field="interview_end")
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
                "interview_window_too_short", "The window is shorter than one interview.", field="interview_end"
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
        rule = _broken_rule(exc)
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
            raise DomainError("already_at_event", "This employer is already at the event.", field="organization") from exc
        raise


def add_employer(
    session: Session, event: Event, organization: Organization, settings: BoothSettings, *, actor: User | None = None
) -> Participation:
    """Bring a directory employer to an event, at a table, with its interview settings."""
    _refuse_if_archived(event)
    if not organization.is_employer:
        raise DomainError("not_an_employer", "Pick an employer.", field="organization")
    participation = Participation(event_id=event.id, organization_id=organization.id)
    _save_booth(session, participation, _booth_values(event, settings))
    audit.record(session, "participation.create", actor_user=actor, obj=participation, event_id=event.id)
    return participation


def update_participation(
    session: Session, participation: Participation, settings: BoothSettings, *, actor: User | None = None
) -> Participation:
    _refuse_if_archived(participation.event)
    _save_booth(session, participation, _booth_values(participation.event, settings))
    audit.record(session, "participation.update", actor_user=actor, obj=participation)
    return participation


def booth_settings_of(participation: Participation) -> BoothSettings:
    tz = participation.event.timezone
    return BoothSettings(
        table_number=participation.table_number,
        interview_minutes=participation.interview_minutes,
        interview_start=local_wall_time(participation.interview_starts_at, tz) if participation.interview_starts_at else None,
        interview_end=local_wall_time(participation.interview_ends_at, tz) if participation.interview_ends_at else None,
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
        return DomainError("has_survey_answers", f"{name} cannot be removed: it has answered a survey for this event.")
    return None


def remove_participation(session: Session, participation: Participation, *, actor: User | None = None) -> None:
    """Take an employer off an event, with its job orders; refused as ``participation_removal_refusal`` says."""
    _refuse_if_archived(participation.event)
    if (refusal := participation_removal_refusal(session, participation)) is not None:
        raise refusal
    event_id = participation.event_id
    participation_id = participation.id
    session.delete(participation)
    session.flush()
    audit.record(
        session, "participation.delete", actor_user=actor, event_id=event_id, participation_id=participation_id
    )


# --- Job orders -----------------------------------------------------------------------------------

MAX_OPENINGS = 10_000


@dataclass(frozen=True)
class PositionDetails:
    """A job order; wages are whole cents (``dollars_to_cents`` turns a typed amount into cents)."""

    title: str
    openings: int = 1
    wage_min_cents: int | None = None
    wage_max_cents: int | None = None
    wage_unit: WageUnit | str | None = None
    employment_type: EmploymentType | str = EmploymentType.FULL_TIME
    sector: Sector | str | None = None
    requirements: str = ""
    #: Shown on Spanish pages; empty: they show ``title``, marked as English.
    title_es: str = ""


    #: Staff confirmed a wage outside the usual range for its unit (``services.wages``).
    wage_confirmed: bool = False


def dollars_to_cents(amount: Decimal | str | int | float | None) -> int | None:
    """``17.5`` → ``1750``, rounded to the cent; None stays None."""
    if amount is None or amount == "":
        return None
    try:
        return int((Decimal(str(amount)) * 100).quantize(Decimal(1)))
    except InvalidOperation as exc:
        raise DomainError("invalid_amount", "Enter an amount in dollars, e.g. 18.50.") from exc


def _position_values(details: PositionDetails) -> dict:
    title = " ".join(details.title.split())
    if not title:
        raise DomainError("title_required", "Give the job a title.", field="title")
    if len(title) > 200:
        raise DomainError("title_too_long", "Use at most 200 characters.", field="title")
    title_es = " ".join(details.title_es.split())
    if len(title_es) > 200:
        raise DomainError("title_too_long", "Use at most 200 characters.", field="title_es")
    if not 1 <= details.openings <= MAX_OPENINGS:
        raise DomainError("openings_range", f"Use 1 to {MAX_OPENINGS:,} openings.", field="openings")
    low, high = details.wage_min_cents, details.wage_max_cents
    if low is not None and low < 0:
        raise DomainError("wage_negative", "A wage cannot be negative.", field="wage_min")
    if high is not None and high < 0:
        raise DomainError("wage_negative", "A wage cannot be negative.", field="wage_max")
    if low is not None and high is not None and high < low:
        raise DomainError("wage_range_order", "The highest wage must be at least the lowest.", field="wage_max")
    unit = WageUnit(details.wage_unit) if details.wage_unit else None
    if (low is not None or high is not None) and unit is None:
        raise DomainError("wage_unit_required", "Say whether the wage is per hour or per year.", field="wage_unit")
    wages.check_wage(low, unit, field="wage_min", confirmed=details.wage_confirmed)
    wages.check_wage(high, unit, field="wage_max", confirmed=details.wage_confirmed)
    return {
        "title": title,
        "title_es": title_es,
        "openings": details.openings,
        "wage_min_cents": low,
        "wage_max_cents": high,
        "wage_unit": unit if (low is not None or high is not None) else None,
        "employment_type": EmploymentType(details.employment_type),
        "sector": Sector(details.sector) if details.sector else None,
        "requirements": details.requirements.strip(),
    }


def add_position(
    session: Session, participation: Participation, details: PositionDetails, *, actor: User | None = None
) -> Position:
    _refuse_if_archived(participation.event)
    position = Position(participation=participation, **_position_values(details))
    session.add(position)
    session.flush()
    audit.record(session, "position.create", actor_user=actor, obj=position, event_id=participation.event_id)
    return position


def update_position(
    session: Session, position: Position, details: PositionDetails, *, actor: User | None = None
) -> Position:
    _refuse_if_archived(position.participation.event)
    for key, value in _position_values(details).items():
        setattr(position, key, value)
    session.flush()
    audit.record(session, "position.update", actor_user=actor, obj=position, event_id=position.participation.event_id)
    return position


def position_warnings(position: Position) -> list[str]:
    """What staff should hear about a job order they just saved (it is saved all the same)."""
    title = position.title.casefold()
    twins = [p for p in position.participation.positions if p is not position and p.title.casefold() == title]
    if not twins:
        return []
    return [
        f"{position.participation.organization.name} already has a job order called “{position.title}” at this "
        "event. Career seekers will see the title twice; if it is the same job, remove one, or make the titles "
        "say how the jobs differ (shift, location)."
    ]


def remove_position(session: Session, position: Position, *, actor: User | None = None) -> None:
    """Delete a job order; refused once an interview or offer names it."""
    participation = position.participation
    _refuse_if_archived(participation.event)
    if session.scalar(select(func.count()).where(Interview.position_id == position.id)):
        raise DomainError(
            "has_interviews", f"{position.title} cannot be removed: interviews or offers are recorded for it."
        )
    position_id, event_id = position.id, participation.event_id
    participation.positions.remove(position)
    session.flush()
    audit.record(session, "position.delete", actor_user=actor, event_id=event_id, position_id=position_id)


# --- Referring partners ---------------------------------------------------------------------------

#: No 0/O or 1/I, so a code read aloud over the phone or copied from paper survives.
REFERRAL_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERRAL_CODE_LENGTH = 8
PARTNER_KINDS = (OrganizationKind.JOB_CENTER, OrganizationKind.COMMUNITY_ORG)


def new_referral_code() -> str:
    """8 characters from 32 (40 random bits): unguessable enough for a code that credits, grants nothing."""
    return "".join(secrets.choice(REFERRAL_CODE_ALPHABET) for _ in range(REFERRAL_CODE_LENGTH))


def _unused_referral_code(session: Session) -> str:
    while True:
        code = new_referral_code()
        if session.scalar(select(Partnership.id).where(Partnership.referral_code == code)) is None:
            return code


def add_partner(
    session: Session, event: Event, organization: Organization, *, actor: User | None = None
) -> Partnership:
    """Make a job center or community organization a referring partner of an event, with a fresh
    referral code for its link."""
    _refuse_if_archived(event)
    if organization.kind not in PARTNER_KINDS:
        raise DomainError("not_a_partner", "Pick a job center or community organization.", field="organization")
    for _attempt in range(5):
        partnership = Partnership(
            event_id=event.id, organization_id=organization.id, referral_code=_unused_referral_code(session)
        )
        try:
            with session.begin_nested():
                session.add(partnership)
        except IntegrityError as exc:
            if _broken_rule(exc) == "uq_partnerships_event_id_organization_id":
                raise DomainError(
                    "already_a_partner", f"{organization.name} is already a partner of this event.",
                    field="organization",
                ) from exc
            if _broken_rule(exc) != "uq_partnerships_referral_code":
                raise
            continue  # another request took the same code a moment ago: draw again
        audit.record(session, "partnership.create", actor_user=actor, obj=partnership, event_id=event.id)
        return partnership
    raise DomainError("referral_code_unavailable", "Could not find a free referral code; try again.")


def remove_partnership(
    session: Session, partnership: Partnership, *, now: datetime, actor: User | None = None
) -> None:
    """Drop a partner from an event, and revoke its partner links for the event. Refused once it
    has referred anyone (that credit must stay)."""
    _refuse_if_archived(partnership.event)
    referred = session.scalar(select(func.count()).where(Referral.partnership_id == partnership.id))
    if referred:
        raise DomainError(
            "has_referrals",
            f"{partnership.organization.name} cannot be removed: it referred {referred} "
            f"career seeker{'s' if referred != 1 else ''} to this event.",
        )
    partnership_id, event_id = partnership.id, partnership.event_id
    live_links = session.scalars(
        select(AccessToken).where(
            AccessToken.scope == TokenScope.PARTNER, AccessToken.event_id == event_id,
            AccessToken.organization_id == partnership.organization_id, AccessToken.revoked_at.is_(None),
        )
    )
    for token in live_links:
        tokens.revoke_token(session, token, now)
        audit.record(session, "token.revoke", actor_user=actor, obj=token, event_id=event_id, scope="partner")
    session.delete(partnership)
    session.flush()
    audit.record(session, "partnership.delete", actor_user=actor, event_id=event_id, partnership_id=partnership_id)


def referral_link(base_url: str, event: Event, partnership: Partnership) -> str:
    """The public registration link that credits ``partnership``."""
    return f"{base_url.rstrip('/')}/events/{event.slug}/register?ref={partnership.referral_code}"


# --- Links for people without an account -----------------------------------------------------------

#: Scanner devices keep working a little after the event, for late uploads of offline scans.
DEVICE_TOKEN_DAYS = 2


def issue_partner_link(
    session: Session, partnership: Partnership, *, actor: User | None = None
) -> tuple[AccessToken, str]:
    """A partner's own page link (stored hashed: the secret is returned once). Partners follow hires
    for months after an event, so it has no expiry; staff revoke it when needed."""
    token, secret = tokens.issue_token(
        session, TokenScope.PARTNER, partnership.organization.name,
        event=partnership.event, organization=partnership.organization, created_by=actor,
    )
    audit.record(session, "token.issue", actor_user=actor, obj=token, event_id=partnership.event_id, scope="partner")
    return token, secret


def _refuse_if_already_expired(expires_at: datetime, now: datetime, what: str) -> None:
    if expires_at <= now:
        raise DomainError(
            "link_would_be_expired", f"This event is too long over: a new {what} would not work anymore."
        )


def issue_booth_link(
    session: Session, participation: Participation, *, valid_days: int, now: datetime, actor: User | None = None
) -> tuple[AccessToken, str]:
    """An employer's booth tablet link, valid until ``valid_days`` after the event (to confirm hires)."""
    event = participation.event
    expires_at = event.ends_at + timedelta(days=valid_days)
    _refuse_if_already_expired(expires_at, now, "booth link")
    token, secret = tokens.issue_token(
        session, TokenScope.BOOTH, participation.organization.name,
        participation=participation, event=event, expires_at=expires_at, created_by=actor,
    )
    audit.record(session, "token.issue", actor_user=actor, obj=token, event_id=event.id, scope="booth")
    return token, secret


def table_order(participation: Participation) -> tuple:
    """Tables 1, 2, … 10 in number order, then named tables (A3, Lobby), then employers without one."""
    table = participation.table_number
    if table is None:
        return (2, 0, "")
    return (0, int(table), "") if table.isdigit() else (1, 0, table.lower())


def issue_booth_links(
    session: Session, event: Event, *, valid_days: int, now: datetime, actor: User | None = None
) -> list[tuple[Participation, AccessToken, str]]:
    """A new booth link for every employer at the event, in table order, to hand out (or e-mail)
    at once; the earlier links keep working until revoked."""
    return [
        (participation, *issue_booth_link(session, participation, valid_days=valid_days, now=now, actor=actor))
        for participation in sorted(event.participations, key=table_order)
    ]


def issue_device_token(
    session: Session, event: Event, name: str, *, now: datetime, actor: User | None = None
) -> tuple[AccessToken, str]:
    """A door scanner's token for this event, valid until shortly after it ends."""
    expires_at = event.ends_at + timedelta(days=DEVICE_TOKEN_DAYS)
    _refuse_if_already_expired(expires_at, now, "scanner token")
    token, secret = tokens.issue_token(
        session, TokenScope.DEVICE, name, event=event, expires_at=expires_at, created_by=actor,
    )
    audit.record(session, "token.issue", actor_user=actor, obj=token, event_id=event.id, scope="device")
    return token, secret


def event_links(session: Session, event: Event) -> list[AccessToken]:
    """Every booth, partner and device link issued for the event, newest first."""
    return list(
        session.scalars(
            select(AccessToken)
            .where(AccessToken.event_id == event.id)
            .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
        )
    )


def revoke_link(session: Session, event: Event, token_id: int, now: datetime, *, actor: User | None = None) -> AccessToken:
    token = session.get(AccessToken, token_id)
    if token is None or token.event_id != event.id:
        raise DomainError("link_not_found", "There is no such link for this event.")
    tokens.revoke_token(session, token, now)
    audit.record(session, "token.revoke", actor_user=actor, obj=token, event_id=event.id, scope=token.scope.value)
    return token
