"""Setting an event up: its details as staff type them (name, web address, venue, times, the
registration window), creating and editing it, and copying a past event to start the next one."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import (
    Event,
    EventKind,
    EventStatus,
    InterviewSlot,
    Participation,
    Partnership,
    Position,
    Question,
    Sector,
    Survey,
    User,
)
from app.services import audit
from app.services.constraints import broken_rule
from app.services.errors import DomainError
from app.services.event_templates import template_for
from app.services.event_time import event_day, local_wall_time, move_by_days, zone
from app.services.events import refuse_if_archived
from app.services.partnerships import unused_referral_code
from app.services.surveys import add_default_surveys

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
        raise DomainError(
            "slug_taken", "Another event already uses this web address; choose another.", field="slug"
        )
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
    opens_at = (
        details.registration_opens.replace(tzinfo=tz).astimezone(UTC) if details.registration_opens else None
    )
    closes_at = (
        details.registration_closes.replace(tzinfo=tz).astimezone(UTC)
        if details.registration_closes
        else None
    )
    if opens_at and opens_at >= ends_at:
        raise DomainError(
            "registration_opens_too_late",
            "Registration must open before the event ends.",
            field="registration_opens",
        )
    if closes_at and opens_at and closes_at <= opens_at:
        raise DomainError(
            "registration_window_order",
            "Registration must close after it opens.",
            field="registration_closes",
        )
    if closes_at and closes_at > ends_at:
        raise DomainError(
            "registration_closes_too_late", "Registration must close by the end of the event.",
            field="registration_closes",
        )
    booth_opens_at = details.booth_opens.replace(tzinfo=tz).astimezone(UTC) if details.booth_opens else None
    booth_closes_at = (
        details.booth_closes.replace(tzinfo=tz).astimezone(UTC) if details.booth_closes else None
    )
    if booth_opens_at and booth_opens_at > starts_at:
        raise DomainError(
            "booth_opens_too_late",
            "Booths can open earlier than the event's day, not later: "
            "leave this blank to open them at midnight of the event's day.",
            field="booth_opens",
        )
    if booth_closes_at and booth_closes_at < ends_at:
        raise DomainError(
            "booth_closes_too_early",
            "Booths can close later than the event's day, not earlier: "
            "leave this blank to close them at midnight after the event.",
            field="booth_closes",
        )
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
        if broken_rule(exc) != "uq_events_slug":
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
    session: Session,
    details: EventDetails,
    kind: EventKind | str = EventKind.BLANK,
    *,
    actor: User | None = None,
) -> Event:
    """A new draft event of the template ``kind`` (which sets its series), with its default surveys."""
    kind = EventKind(kind)
    event = Event(kind=kind, series=template_for(kind).series, status=EventStatus.DRAFT)
    _save_event(session, event, _event_values(session, details))
    add_default_surveys(session, event)
    audit.record(session, "event.create", actor_user=actor, obj=event, kind=kind.value)
    return event


def update_event(
    session: Session, event: Event, details: EventDetails, *, actor: User | None = None
) -> Event:
    """Change an event's details. Moving it to another day (or time zone) moves what hangs off its
    times along with it: employers' interview windows, interview slots, survey windows."""
    refuse_if_archived(event)
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


def _move_event_times(
    session: Session, event: Event, days: int, old_zone: ZoneInfo, new_zone: ZoneInfo
) -> None:
    for participation in event.participations:
        participation.interview_starts_at = move_by_days(
            participation.interview_starts_at, days, old_zone, new_zone
        )
        participation.interview_ends_at = move_by_days(
            participation.interview_ends_at, days, old_zone, new_zone
        )
    for survey in session.scalars(select(Survey).where(Survey.event_id == event.id)):
        survey.opens_at = move_by_days(survey.opens_at, days, old_zone, new_zone)
        survey.closes_at = move_by_days(survey.closes_at, days, old_zone, new_zone)
    slots = list(
        session.scalars(
            select(InterviewSlot).join(InterviewSlot.participation).where(Participation.event_id == event.id)
        )
    )
    if slots:
        later = move_by_days(slots[0].starts_at, days, old_zone, new_zone) > slots[0].starts_at
        # One slot at a time, the far end first, so no slot lands on another's time that has not
        # moved yet (a booth's slot times are unique).
        for slot in sorted(slots, key=lambda s: s.starts_at, reverse=later):
            slot.starts_at = move_by_days(slot.starts_at, days, old_zone, new_zone)
            slot.ends_at = move_by_days(slot.ends_at, days, old_zone, new_zone)
            session.flush()
    session.flush()


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
                interview_starts_at=move_by_days(booth.interview_starts_at, days, tz, tz),
                interview_ends_at=move_by_days(booth.interview_ends_at, days, tz, tz),
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
                event=event,
                organization_id=partnership.organization_id,
                referral_code=unused_referral_code(session),
            )
        )
    surveys = session.scalars(
        select(Survey)
        .where(Survey.event_id == source.id)
        .options(selectinload(Survey.questions))
        .order_by(Survey.id)
    )
    for survey in surveys:
        session.add(
            Survey(
                event=event,
                audience=survey.audience,
                phase=survey.phase,
                title_en=survey.title_en,
                title_es=survey.title_es,
                opens_at=move_by_days(survey.opens_at, days, tz, tz),
                closes_at=move_by_days(survey.closes_at, days, tz, tz),
                questions=[
                    Question(
                        key=q.key,
                        position=q.position,
                        kind=q.kind,
                        prompt_en=q.prompt_en,
                        prompt_es=q.prompt_es,
                        choices=[dict(c) for c in q.choices],
                        required=q.required,
                    )
                    for q in survey.questions
                ],
            )
        )
    session.flush()
    add_default_surveys(session, event)  # a source made before a default survey existed
    audit.record(session, "event.copy", actor_user=actor, obj=event, source_event_id=source.id)
    return event
