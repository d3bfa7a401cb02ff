"""Interview slots and bookings: making a booth's slots from its settings, blocking them, and
career seekers (or staff on their behalf) booking, cancelling and rebooking.

The database refuses an overbooked slot (seats are numbered 1..capacity and unique among live
bookings) and the same person twice in one slot. What it cannot express on every database — no
two overlapping bookings for a person, at most N bookings per event — is checked here while the
person's registration row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write lock),
so two tabs booking at once cannot both get through."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.database import Session
from app.models import (
    Booking,
    Event,
    EventStatus,
    Interview,
    InterviewSlot,
    Participation,
    Registration,
    RegistrationStatus,
    User,
)
from app.services import audit
from app.services.errors import DomainError

SLOT_TAKEN = _l("Sorry, that time was just taken. Please pick another.")


# --- Making slots ----------------------------------------------------------------------------------


def interview_window(participation: Participation) -> tuple[datetime, datetime]:
    """The booth's interview window: its own, else the whole event."""
    event = participation.event
    return (
        participation.interview_starts_at or event.starts_at,
        participation.interview_ends_at or event.ends_at,
    )


def planned_times(participation: Participation) -> list[tuple[datetime, datetime]]:
    """The slots the booth's settings call for: back to back through the window."""
    start, end = interview_window(participation)
    length = timedelta(minutes=participation.interview_minutes)
    times = []
    while start + length <= end:
        times.append((start, start + length))
        start += length
    return times


@dataclass
class SlotChanges:
    created: int = 0
    removed: int = 0
    #: Slots kept as they were because someone holds a seat in them (or was interviewed in one).
    kept_booked: int = 0
    resized: int = 0


def _slots(session: Session, participation: Participation) -> list[InterviewSlot]:
    return list(
        session.scalars(
            select(InterviewSlot)
            .where(InterviewSlot.participation_id == participation.id)
            .order_by(InterviewSlot.starts_at)
        )
    )


def _live_seats(session: Session, slot_ids: list[int]) -> dict[int, list[int]]:
    """Slot id → seat numbers held by live bookings."""
    seats: dict[int, list[int]] = {}
    if slot_ids:
        rows = session.execute(
            select(Booking.slot_id, Booking.seat).where(
                Booking.slot_id.in_(slot_ids), Booking.cancelled_at.is_(None)
            )
        )
        for slot_id, seat in rows:
            seats.setdefault(slot_id, []).append(seat)
    return seats


def _interviewed_slot_ids(session: Session, slot_ids: list[int]) -> set[int]:
    if not slot_ids:
        return set()
    return set(
        session.scalars(
            select(Booking.slot_id)
            .join(Interview, Interview.booking_id == Booking.id)
            .where(Booking.slot_id.in_(slot_ids))
        )
    )


def generate_slots(
    session: Session, participation: Participation, *, actor: User | None = None
) -> SlotChanges:
    """Make the booth's slots match its settings (window, length, interviewers). Safe to run again
    after the settings change: a slot someone booked is never moved, shrunk below its booked seats
    or removed, and no new slot is made over it; free slots that no longer fit are removed, blocked
    ones that still fit stay blocked."""
    changes = SlotChanges()
    existing = _slots(session, participation)
    ids = [s.id for s in existing]
    seats = _live_seats(session, ids)
    interviewed = _interviewed_slot_ids(session, ids)
    planned = planned_times(participation)
    planned_set = set(planned)
    kept: list[InterviewSlot] = []
    for slot in existing:
        booked = slot.id in seats or slot.id in interviewed
        if (slot.starts_at, slot.ends_at) in planned_set or booked:
            capacity = max(participation.interviewers, *seats.get(slot.id, [1]))
            if slot.capacity != capacity:
                slot.capacity = capacity
                changes.resized += 1
            if booked and (slot.starts_at, slot.ends_at) not in planned_set:
                changes.kept_booked += 1
            kept.append(slot)
        else:
            session.delete(slot)
            changes.removed += 1
    session.flush()
    for starts_at, ends_at in planned:
        if any(s.starts_at < ends_at and starts_at < s.ends_at for s in kept):
            continue  # this time is already a slot (or overlaps a booked one that stays)
        session.add(InterviewSlot(participation_id=participation.id, starts_at=starts_at, ends_at=ends_at,
                                  capacity=participation.interviewers))
        changes.created += 1
    session.flush()
    audit.record(
        session, "slots.generate", actor_user=actor, obj=participation, event_id=participation.event_id,
        created=changes.created, removed=changes.removed, kept_booked=changes.kept_booked,
    )
    return changes


def slots_match_settings(session: Session, participation: Participation) -> bool:
    """Whether the booth's slots are exactly what its settings call for (else staff should regenerate)."""
    existing = _slots(session, participation)
    return (
        {(s.starts_at, s.ends_at) for s in existing} == set(planned_times(participation))
        and all(s.capacity == participation.interviewers for s in existing)
    )


def set_blocked(session: Session, slot: InterviewSlot, blocked: bool, *, actor: User | None = None) -> int:
    """Take a slot out of booking (a break, a late start) or put it back. People already booked
    keep their seats; returns how many there are, so staff can tell them."""
    slot.is_blocked = blocked
    session.flush()
    audit.record(session, "slot.block" if blocked else "slot.unblock", actor_user=actor, obj=slot,
                 event_id=slot.participation.event_id)
    return len(_live_seats(session, [slot.id]).get(slot.id, []))


# --- What a person can book --------------------------------------------------------------------------


@dataclass
class OpenSlot:
    slot: InterviewSlot
    free_seats: int


@dataclass
class SlotRow:
    """A slot as staff see it: who holds its seats."""

    slot: InterviewSlot
    bookings: list[Booking] = field(default_factory=list)

    @property
    def free_seats(self) -> int:
        return self.slot.capacity - len(self.bookings)


def booked_counts(session: Session, slot_ids: list[int]) -> dict[int, int]:
    if not slot_ids:
        return {}
    return dict(
        session.execute(
            select(Booking.slot_id, func.count())
            .where(Booking.slot_id.in_(slot_ids), Booking.cancelled_at.is_(None))
            .group_by(Booking.slot_id)
        ).all()
    )


def open_slots(session: Session, participation: Participation, now: datetime) -> list[OpenSlot]:
    """The booth's slots a person can still book: not started, not blocked, with a free seat."""
    slots = list(
        session.scalars(
            select(InterviewSlot)
            .where(InterviewSlot.participation_id == participation.id, InterviewSlot.starts_at > now,
                   InterviewSlot.is_blocked.is_(False))
            .order_by(InterviewSlot.starts_at)
        )
    )
    taken = booked_counts(session, [s.id for s in slots])
    return [OpenSlot(s, s.capacity - taken.get(s.id, 0)) for s in slots if s.capacity > taken.get(s.id, 0)]


def open_slot_counts(session: Session, event: Event, now: datetime) -> dict[int, int]:
    """Participation id → how many of its slots can still be booked (one query for the whole event)."""
    taken = (
        select(Booking.slot_id, func.count().label("held"))
        .where(Booking.cancelled_at.is_(None))
        .group_by(Booking.slot_id)
        .subquery()
    )
    rows = session.execute(
        select(InterviewSlot.participation_id, func.count())
        .join(InterviewSlot.participation)
        .outerjoin(taken, taken.c.slot_id == InterviewSlot.id)
        .where(
            Participation.event_id == event.id,
            InterviewSlot.starts_at > now,
            InterviewSlot.is_blocked.is_(False),
            InterviewSlot.capacity > func.coalesce(taken.c.held, 0),
        )
        .group_by(InterviewSlot.participation_id)
    )
    return dict(rows.all())


def staff_slot_rows(session: Session, participation: Participation) -> list[SlotRow]:
    rows = {s.id: SlotRow(s) for s in _slots(session, participation)}
    if rows:
        bookings = session.scalars(
            select(Booking)
            .where(Booking.slot_id.in_(list(rows)), Booking.cancelled_at.is_(None))
            .options(joinedload(Booking.registration).joinedload(Registration.candidate))
            .order_by(Booking.seat)
        )
        for booking in bookings:
            rows[booking.slot_id].bookings.append(booking)
    return list(rows.values())


def live_bookings(session: Session, registration: Registration) -> list[Booking]:
    """The person's bookings that still hold a seat, in time order."""
    return list(
        session.scalars(
            select(Booking)
            .join(Booking.slot)
            .where(Booking.registration_id == registration.id, Booking.cancelled_at.is_(None))
            .options(joinedload(Booking.slot).joinedload(InterviewSlot.participation).joinedload(Participation.organization))
            .order_by(InterviewSlot.starts_at)
        )
    )


# --- Booking ------------------------------------------------------------------------------------------


def _lock_registration(session: Session, registration: Registration) -> None:
    """Serialise one person's bookings (a no-op on SQLite, where a writing transaction holds the lock)."""
    session.execute(select(Registration.id).where(Registration.id == registration.id).with_for_update())


def _check_can_book(registration: Registration, slot: InterviewSlot, now: datetime, by_staff: bool) -> None:
    event = registration.event
    if slot.participation.event_id != registration.event_id:
        raise DomainError("wrong_event", _l("That interview is at another event."), field="slot_id")
    if registration.status != RegistrationStatus.REGISTERED:
        raise DomainError("no_place", _l("Only people with a place at the event can book interviews."))
    if event.status not in (EventStatus.PUBLISHED, EventStatus.CLOSED) and not by_staff:
        raise DomainError("booking_closed", _l("Interviews for this event cannot be booked now."))
    if slot.starts_at <= now:
        raise DomainError(
            "slot_started", _l("That time has already started. Please pick a later one."), field="slot_id"
        )
    if slot.is_blocked:
        raise DomainError(
            "slot_blocked", _l("That time is not available. Please pick another."), field="slot_id"
        )


def book(
    session: Session,
    registration: Registration,
    slot: InterviewSlot,
    now: datetime,
    *,
    actor: User | None = None,
    replacing: Booking | None = None,
) -> Booking:
    """Book ``slot`` for the person. Booking the same slot again returns the same booking.

    Refused: a slot that is full or was just taken (``slot_taken``), blocked or started, one that
    overlaps another of the person's bookings (``overlap``), or more than the event allows per
    person (``too_many_bookings``). ``replacing`` is cancelled in the same step (rebooking), so a
    person at the limit can move a booking. Staff (``actor``) follow the same rules."""
    _check_can_book(registration, slot, now, by_staff=actor is not None)
    _lock_registration(session, registration)
    if replacing is not None:
        cancel(session, replacing, now, actor=actor)
    mine = live_bookings(session, registration)
    for booking in mine:
        if booking.slot_id == slot.id:
            return booking
    limit = registration.event.max_bookings_per_candidate
    if len(mine) >= limit:
        raise DomainError(
            "too_many_bookings",
            _l("You can book at most %(n)d interviews at this event. Cancel one to book another.", n=limit),
            field="slot_id",
        )
    for booking in mine:
        if booking.slot.participation_id == slot.participation_id:
            raise DomainError(
                "already_booked_with_employer",
                _l(
                    "You already have an interview booked with %(employer)s. Move that one to change the "
                    "time.",
                    employer=slot.participation.organization.name,
                ),
                field="slot_id",
            )
    for booking in mine:
        other = booking.slot
        if other.starts_at < slot.ends_at and slot.starts_at < other.ends_at:
            raise DomainError(
                "overlap", _l("That time overlaps another interview you booked. Please pick another time."),
                field="slot_id",
            )
    # Take the lowest free seat; if another person takes it between our read and our write, the
    # database refuses ours and we look again.
    for _ in range(slot.capacity + 1):
        held = set(
            session.scalars(
                select(Booking.seat).where(Booking.slot_id == slot.id, Booking.cancelled_at.is_(None))
            )
        )
        free = [seat for seat in range(1, slot.capacity + 1) if seat not in held]
        if not free:
            break
        booking = Booking(
            slot=slot, slot_capacity=slot.capacity, registration=registration, seat=free[0], created_at=now
        )
        try:
            with session.begin_nested():
                session.add(booking)
        except IntegrityError:
            continue
        audit.record(session, "booking.create", actor_user=actor, obj=booking, event_id=registration.event_id,
                     slot_id=slot.id, by_staff=actor is not None)
        return booking
    raise DomainError("slot_taken", SLOT_TAKEN, field="slot_id")


def cancel(session: Session, booking: Booking, now: datetime, *, actor: User | None = None) -> None:
    """Give the seat back (again is fine). A booking the interview already happened for stays."""
    if booking.cancelled_at is not None:
        return
    if session.scalar(select(Interview.id).where(Interview.booking_id == booking.id)) is not None:
        raise DomainError("already_interviewed", _l("This interview has already taken place."))
    booking.cancelled_at = now
    session.flush()
    audit.record(session, "booking.cancel", actor_user=actor, obj=booking,
                 event_id=booking.registration.event_id, by_staff=actor is not None)


def cancel_all(session: Session, registration: Registration, now: datetime) -> int:
    """Free every seat the person holds (their registration was cancelled); returns how many."""
    freed = 0
    for booking in live_bookings(session, registration):
        if session.scalar(select(Interview.id).where(Interview.booking_id == booking.id)) is None:
            booking.cancelled_at = now
            freed += 1
    session.flush()
    return freed
