"""Interview slots and bookings: generation from a booth's settings, regeneration that never
touches a booked slot, capacity, overlap, the per-event limit, cancel and rebook, blocking, and
ten people racing for one seat."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import writing
from app.models import Booking, InterviewSlot, Registration, RegistrationStatus
from app.services import bookings, interviews, registration as registrations
from app.services.errors import DomainError
from tests import factories
from tests.races import at_once, pausing_after, postgresql_only

START = factories.EVENT_START  # 10:00 in Chicago
BEFORE = START - timedelta(days=2)


@pytest.fixture
def booth(db):
    event = factories.make_event(db.session)
    return factories.make_participation(
        db.session, event, interview_minutes=15, interviewers=1,
        interview_starts_at=START, interview_ends_at=START + timedelta(hours=1),
    )


def person(db, event):
    return factories.make_registration(db.session, event)


def slots_of(db, booth) -> list[InterviewSlot]:
    return list(db.session.scalars(select(InterviewSlot).where(InterviewSlot.participation_id == booth.id)
                                   .order_by(InterviewSlot.starts_at)))


def test_slots_are_made_back_to_back_through_the_window(db, booth):
    changes = bookings.generate_slots(db.session, booth)
    slots = slots_of(db, booth)
    assert changes.created == 4
    assert [(s.starts_at - START, s.ends_at - s.starts_at, s.capacity) for s in slots] == [
        (timedelta(minutes=m), timedelta(minutes=15), 1) for m in (0, 15, 30, 45)
    ]
    assert bookings.slots_match_settings(db.session, booth)
    # Running it again changes nothing.
    again = bookings.generate_slots(db.session, booth)
    assert (again.created, again.removed) == (0, 0)


def test_a_booth_without_its_own_window_interviews_all_event_long(db):
    event = factories.make_event(db.session, ends_at=START + timedelta(hours=2))
    booth = factories.make_participation(db.session, event, interview_minutes=20, interviewers=3)
    bookings.generate_slots(db.session, booth)
    slots = slots_of(db, booth)
    assert len(slots) == 6 and {s.capacity for s in slots} == {3}
    assert slots[-1].ends_at == event.ends_at


def test_regenerating_after_a_settings_change_keeps_booked_slots_untouched(db, booth):
    bookings.generate_slots(db.session, booth)
    first, second, *_ = slots_of(db, booth)
    maria = person(db, booth.event)
    bookings.book(db.session, maria, second, BEFORE)  # 10:15–10:30
    bookings.set_blocked(db.session, first, True)

    booth.interview_minutes, booth.interviewers = 20, 2
    db.session.flush()
    assert not bookings.slots_match_settings(db.session, booth)
    changes = bookings.generate_slots(db.session, booth)

    slots = slots_of(db, booth)
    times = [(s.starts_at - START).seconds // 60 for s in slots]
    # 10:00 and 10:20 would overlap the booked 10:15 slot, so only 10:40 is new; the booked one stays.
    assert times == [15, 40]
    kept = next(s for s in slots if s.id == second.id)
    assert (kept.ends_at - kept.starts_at, kept.capacity) == (timedelta(minutes=15), 2)
    assert changes.kept_booked == 1
    assert len(bookings.live_bookings(db.session, maria)) == 1


def test_a_booked_slot_never_shrinks_below_its_booked_seats(db, booth):
    booth.interviewers = 3
    bookings.generate_slots(db.session, booth)
    slot = slots_of(db, booth)[0]
    people = [person(db, booth.event) for _ in range(3)]
    for p in people:
        bookings.book(db.session, p, slot, BEFORE)
    booth.interviewers = 1
    bookings.generate_slots(db.session, booth)
    assert slot.capacity == 3  # three people hold seats 1–3


def test_a_full_slot_says_just_taken(db, booth):
    bookings.generate_slots(db.session, booth)
    slot = slots_of(db, booth)[0]
    bookings.book(db.session, person(db, booth.event), slot, BEFORE)
    with pytest.raises(DomainError) as error:
        bookings.book(db.session, person(db, booth.event), slot, BEFORE)
    assert error.value.code == "slot_taken"
    assert "just taken" in str(error.value.message)
    assert [s.free_seats for s in bookings.open_slots(db.session, booth, BEFORE)] == [1, 1, 1]


def test_seats_fill_in_order_up_to_the_capacity(db, booth):
    booth.interviewers = 2
    bookings.generate_slots(db.session, booth)
    slot = slots_of(db, booth)[0]
    a = bookings.book(db.session, person(db, booth.event), slot, BEFORE)
    b = bookings.book(db.session, person(db, booth.event), slot, BEFORE)
    assert (a.seat, b.seat) == (1, 2)
    bookings.cancel(db.session, a, BEFORE)
    c = bookings.book(db.session, person(db, booth.event), slot, BEFORE)
    assert c.seat == 1


def test_booking_the_same_slot_twice_is_one_booking(db, booth):
    bookings.generate_slots(db.session, booth)
    slot = slots_of(db, booth)[0]
    maria = person(db, booth.event)
    assert bookings.book(db.session, maria, slot, BEFORE) == bookings.book(db.session, maria, slot, BEFORE)


def test_overlapping_slots_at_two_booths_are_refused(db, booth):
    other = factories.make_participation(
        db.session,
        booth.event,
        interview_minutes=10,
        interview_starts_at=START,
        interview_ends_at=START + timedelta(hours=1),
    )
    bookings.generate_slots(db.session, booth)
    bookings.generate_slots(db.session, other)
    maria = person(db, booth.event)
    bookings.book(db.session, maria, slots_of(db, booth)[0], BEFORE)  # 10:00–10:15
    with pytest.raises(DomainError) as error:
        bookings.book(db.session, maria, slots_of(db, other)[1], BEFORE)  # 10:10–10:20
    assert error.value.code == "overlap"
    bookings.book(db.session, maria, slots_of(db, other)[2], BEFORE)  # 10:20–10:30: fine


def test_at_most_n_bookings_per_event_and_rebooking_moves_one(db, booth):
    booth.event.max_bookings_per_candidate = 2
    others = [factories.make_participation(db.session, booth.event, interview_minutes=booth.interview_minutes,
                                           interview_starts_at=booth.interview_starts_at,
                                           interview_ends_at=booth.interview_ends_at) for _ in range(2)]
    for b in (booth, *others):
        bookings.generate_slots(db.session, b)
    # One booth each (one booking per person per employer), at three different times.
    s1, s2, s3 = slots_of(db, booth)[0], slots_of(db, others[0])[1], slots_of(db, others[1])[2]
    maria = person(db, booth.event)
    first = bookings.book(db.session, maria, s1, BEFORE)
    bookings.book(db.session, maria, s2, BEFORE)
    with pytest.raises(DomainError) as error:
        bookings.book(db.session, maria, s3, BEFORE)
    assert error.value.code == "too_many_bookings"
    moved = bookings.book(db.session, maria, s3, BEFORE, replacing=first)
    assert first.cancelled_at is not None and moved.slot_id == s3.id
    assert [b.slot_id for b in bookings.live_bookings(db.session, maria)] == [s2.id, s3.id]


def test_blocked_started_and_other_event_slots_cannot_be_booked(db, booth):
    bookings.generate_slots(db.session, booth)
    s1, s2, *_ = slots_of(db, booth)
    maria = person(db, booth.event)
    bookings.set_blocked(db.session, s1, True)
    with pytest.raises(DomainError, match="slot_blocked"):
        bookings.book(db.session, maria, s1, BEFORE)
    assert bookings.set_blocked(db.session, s1, False) == 0
    bookings.book(db.session, maria, s1, BEFORE)
    with pytest.raises(DomainError, match="slot_started"):
        bookings.book(db.session, maria, s2, s2.starts_at)
    stranger = person(db, factories.make_event(db.session))
    with pytest.raises(DomainError, match="wrong_event"):
        bookings.book(db.session, stranger, s2, BEFORE)
    waiting = person(db, booth.event)
    waiting.status = RegistrationStatus.WAITLISTED
    with pytest.raises(DomainError, match="no_place"):
        bookings.book(db.session, waiting, s2, BEFORE)


def test_cancelling_a_registration_frees_its_seats(db, booth):
    bookings.generate_slots(db.session, booth)
    slot = slots_of(db, booth)[0]
    maria = person(db, booth.event)
    bookings.book(db.session, maria, slot, BEFORE)
    registrations.cancel(db.session, maria, BEFORE)
    assert bookings.live_bookings(db.session, maria) == []
    bookings.book(db.session, person(db, booth.event), slot, BEFORE)


def test_a_booking_that_was_interviewed_cannot_be_cancelled(db, booth):
    bookings.generate_slots(db.session, booth)
    slot = slots_of(db, booth)[0]
    maria = person(db, booth.event)
    booking = bookings.book(db.session, maria, slot, BEFORE)
    interviews.start(db.session, booth, maria, slot.starts_at)
    with pytest.raises(DomainError, match="already_interviewed"):
        bookings.cancel(db.session, booking, slot.starts_at)


def ten_people_booking_one_seat_at_once(
    app, committed
) -> tuple[list[int], list[tuple[str, str]], list[Exception]]:
    """Ten people book the one seat of a slot at the same moment, each in their own session.
    Returns who got it, the refusals (code, message), and whatever was raised instead of an answer."""
    session = committed.session
    event = factories.make_event(session)
    booth = factories.make_participation(
        session,
        event,
        interview_minutes=15,
        interviewers=1,
        interview_starts_at=START,
        interview_ends_at=START + timedelta(minutes=15),
    )
    bookings.generate_slots(session, booth)
    people = [factories.make_registration(session, event).id for _ in range(10)]
    slot_id = slots_of(committed, booth)[0].id
    session.commit()
    booked, refused, errors = [], [], []

    def tap(n: int) -> None:
        with app.test_request_context(), writing(), Session(committed.engine) as own:
            try:
                bookings.book(
                    own, own.get_one(Registration, people[n]), own.get_one(InterviewSlot, slot_id), BEFORE
                )
                own.commit()
                booked.append(people[n])
            except DomainError as error:
                own.rollback()
                refused.append((error.code, str(error.message)))
            except Exception as exc:
                errors.append(exc)

    at_once(10, tap)
    return booked, refused, errors


def live_bookings_count(committed) -> int:
    with Session(committed.engine) as fresh:
        return fresh.scalars(
            select(func.count()).select_from(Booking).where(Booking.cancelled_at.is_(None))
        ).one()


def test_ten_people_booking_a_one_seat_slot_at_once_one_gets_it(app, committed):
    """Ten phones tap the same last seat at the same moment: exactly one booking, nine clear
    "just taken" answers, and the database holds one live booking."""
    booked, refused, errors = ten_people_booking_one_seat_at_once(app, committed)

    assert errors == []
    assert len(booked) == 1
    assert refused == [("slot_taken", "Sorry, that time was just taken. Please pick another.")] * 9
    assert live_bookings_count(committed) == 1


@contextmanager
def without_the_seat_index(engine: sa.Engine) -> Iterator[None]:
    """Drop the partial unique index on live seats (committed, so every session goes without it),
    and build it again afterwards. The seats taken twice meanwhile are deleted first, as the index
    cannot be built over them; the ``committed`` fixture would delete them after the test anyway.
    A run killed in between leaves nothing behind: every test run builds the schema afresh."""
    [index] = [
        i for i in Booking.metadata.tables["bookings"].indexes if i.name == "uq_bookings_slot_id_seat_active"
    ]
    with engine.begin() as connection:
        index.drop(connection)
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(sa.delete(Booking))
            index.create(connection)


@postgresql_only
def test_without_the_seat_index_ten_people_booking_a_one_seat_slot_at_once_all_get_it(app, committed):
    """Control: exists to prove the test above can fail. The same ten bookings through the same
    ``book()``, with a pause after each reads the slot's taken seats, so all ten see seat 1 free
    before any of them writes.

    Taking ``FOR UPDATE`` out of the SQL (``races.without_row_locks``) is not enough to make it
    fail: that lock is on each person's own registration row, so it queues one person's tabs, not
    ten different people. Without it, and with the same pause, all ten still insert seat 1, the
    partial unique index on live seats refuses nine (UniqueViolation), and ``book()`` catches that
    in its savepoint, looks again and answers "Sorry, that time was just taken": one booking and
    nine clean answers, every run. That index is this race's guard, so this control takes it out
    instead, and then every one of the ten is told the seat is theirs."""
    engine = committed.engine
    with without_the_seat_index(engine), pausing_after(engine, r"^SELECT bookings\.seat\s"):
        booked, refused, errors = ten_people_booking_one_seat_at_once(app, committed)
        live = live_bookings_count(committed)

    assert errors == []
    assert refused == []
    assert len(booked) > 1
    assert live == len(booked)


def test_open_slot_counts_per_employer(db, booth):
    bookings.generate_slots(db.session, booth)
    bookings.book(db.session, person(db, booth.event), slots_of(db, booth)[0], BEFORE)
    assert bookings.open_slot_counts(db.session, booth.event, BEFORE) == {booth.id: 3}
    assert bookings.open_slot_counts(db.session, booth.event, START + timedelta(minutes=31)) == {booth.id: 1}


def test_one_booking_per_employer_a_second_slot_there_is_refused(db):
    event = factories.make_event(db.session)
    booth = factories.make_participation(db.session, event)
    bookings_made = bookings.generate_slots(db.session, booth)
    first, second = db.session.scalars(select(InterviewSlot).where(InterviewSlot.participation_id == booth.id)
                                       .order_by(InterviewSlot.starts_at)).all()[:2]
    maria = factories.make_registration(db.session, event)
    now = first.starts_at - timedelta(days=3)
    bookings.book(db.session, maria, first, now)
    with pytest.raises(DomainError, match="already_booked_with_employer"):
        bookings.book(db.session, maria, second, now)
    assert bookings_made.created >= 2
