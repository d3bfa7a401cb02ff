"""The booth's interviews: queue order and waiting time, starting from a scan, a search or a booked
slot, outcomes recorded once however often the tablet retries, edits during the day, hires after."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.models import AuditEntry, HireStatus, Interview, InterviewSource, Outcome, Role, WageUnit
from app.services import bookings, checkin, interviews, job_orders
from app.services.errors import DomainError
from tests import factories

START = factories.EVENT_START  # 10:00 in Chicago


@pytest.fixture
def booth(db):
    event = factories.make_event(db.session)
    booth = factories.make_participation(db.session, event, interview_minutes=15)
    factories.make_position(db.session, booth, title="Line Cook")
    return booth


def at(minutes: int):
    return START + timedelta(minutes=minutes)


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Interview))


def test_the_queue_keeps_arrival_order_and_shows_waiting_time(db, booth):
    people = [factories.make_registration(db.session, booth.event) for _ in range(3)]
    for n, p in enumerate(people):
        interviews.queue_walk_up(db.session, booth, p, at(n * 5), nonce=f"q{n}")
    board = interviews.board(db.session, booth, at(12))
    assert [i.person.registration_id for i in board.queue] == [p.id for p in people]
    assert [(i.place, i.waiting_minutes) for i in board.queue] == [(1, 12), (2, 7), (3, 2)]
    # The person's own page shows their place.
    (place,) = interviews.queue_places(db.session, people[2], at(12))
    assert (place.place, place.waiting_minutes) == (3, 2)
    interviews.start(db.session, booth, people[0], at(13))
    assert [i.place for i in interviews.board(db.session, booth, at(13)).queue] == [1, 2]
    assert interviews.queue_places(db.session, people[2], at(13))[0].place == 2


def test_a_double_scan_or_a_retry_never_queues_twice(db, booth):
    maria = factories.make_registration(db.session, booth.event)
    first = interviews.queue_walk_up(db.session, booth, maria, at(0), nonce="n-1")
    assert interviews.queue_walk_up(db.session, booth, maria, at(1), nonce="n-1") is first
    # Another tablet of the same booth scanning her again: she keeps her place.
    assert interviews.queue_walk_up(db.session, booth, maria, at(2), nonce="n-2") is first
    assert count(db) == 1


def test_starting_a_booked_person_uses_their_booking(db, booth):
    bookings.generate_slots(db.session, booth)
    slot = db.session.scalars(
        select(bookings.InterviewSlot).order_by(bookings.InterviewSlot.starts_at)
    ).first()
    maria = factories.make_registration(db.session, booth.event)
    booking = bookings.book(db.session, maria, slot, START - timedelta(days=1))
    assert [i.booking for i in interviews.board(db.session, booth, at(0)).booked] == [booking]
    interview = interviews.start(db.session, booth, maria, at(2), nonce="s-1")
    assert (interview.source, interview.booking_id, interview.started_at) == (
        InterviewSource.BOOKED,
        booking.id,
        at(2),
    )
    board = interviews.board(db.session, booth, at(3))
    assert board.booked == [] and [i.interview for i in board.in_progress] == [interview]


def test_a_booked_person_who_does_not_come_is_a_no_show(db, booth):
    bookings.generate_slots(db.session, booth)
    slot = db.session.scalars(select(bookings.InterviewSlot)).first()
    maria = factories.make_registration(db.session, booth.event)
    booking = bookings.book(db.session, maria, slot, START - timedelta(days=1))
    interview = interviews.booking_no_show(db.session, booth, booking, at(20), nonce="ns")
    assert interviews.booking_no_show(db.session, booth, booking, at(21), nonce="ns") is interview
    assert (interview.outcome, interview.started_at) == (Outcome.NO_SHOW, None)


def offer(booth, **overrides) -> interviews.OutcomeDetails:
    fields = {
        "outcome": Outcome.CONDITIONAL_OFFER,
        "position_id": booth.positions[0].id,
        "wage_cents": 1850,
        "wage_unit": WageUnit.HOUR,
        "start_date": date(2026, 12, 28),
        "conditions": ["drug_screen", "background_check"],
    }
    fields.update(overrides)
    return interviews.OutcomeDetails(**fields)


def test_recording_an_offer_twice_keeps_one_record(db, booth):
    maria = factories.make_registration(db.session, booth.event)
    interview = interviews.start(db.session, booth, maria, at(0), nonce="tap")
    for _ in range(2):  # a double tap
        again = interviews.start(db.session, booth, maria, at(0), nonce="tap")
        interviews.record_outcome(db.session, again, offer(booth), at(15))
    assert count(db) == 1
    assert (interview.outcome, interview.offer_wage_cents, interview.hire_status) == (
        Outcome.CONDITIONAL_OFFER, 1850, HireStatus.PENDING)
    assert interview.offer_conditions == ["background_check", "drug_screen"]


def test_an_offer_needs_a_wage_and_a_position_and_a_second_interview_a_date(db, booth):
    interview = interviews.start(
        db.session, booth, factories.make_registration(db.session, booth.event), at(0)
    )
    for details, field in [
        (offer(booth, wage_cents=None), "wage"),
        (offer(booth, position_id=None), "position_id"),
        (offer(booth, wage_unit=None), "wage_unit"),
        (interviews.OutcomeDetails(Outcome.SECOND_INTERVIEW), "second_date"),
    ]:
        with pytest.raises(DomainError) as error:
            interviews.record_outcome(db.session, interview, details, at(10))
        assert error.value.field == field
    assert interview.outcome is None


def test_outcomes_can_change_during_the_day_and_not_after(db, booth):
    interview = interviews.start(
        db.session, booth, factories.make_registration(db.session, booth.event), at(0)
    )
    interviews.record_outcome(db.session, interview, offer(booth), at(15))
    second = interviews.OutcomeDetails(
        Outcome.SECOND_INTERVIEW,
        second_interview_on=date(2026, 12, 14),
        second_interview_time=time(14, 30),
        second_interview_place="HQ, 5th floor",
    )
    interviews.record_outcome(db.session, interview, second, at(60))
    assert interview.outcome == Outcome.SECOND_INTERVIEW
    assert (interview.offer_wage_cents, interview.hire_status) == (None, None)
    assert interview.second_interview_at.isoformat() == "2026-12-14T20:30:00+00:00"  # 2:30 pm in Chicago
    next_day = START + timedelta(hours=14)  # 00:00 the next day in Chicago
    with pytest.raises(DomainError, match="outcome_locked"):
        interviews.record_outcome(db.session, interview, offer(booth), next_day)


def test_hires_are_confirmed_after_the_event(db, booth):
    interview = interviews.start(
        db.session, booth, factories.make_registration(db.session, booth.event), at(0)
    )
    interviews.record_outcome(db.session, interview, offer(booth), at(15))
    later = START + timedelta(days=10)
    interviews.confirm_hire(db.session, interview, HireStatus.HIRED, later, start_date=date(2027, 1, 4))
    assert (interview.hire_status, interview.hired_start_date, interview.hire_confirmed_at) == (
        HireStatus.HIRED, date(2027, 1, 4), later)
    interviews.confirm_hire(db.session, interview, HireStatus.DECLINED, later)
    assert (interview.hire_status, interview.hired_start_date) == (HireStatus.DECLINED, None)
    not_offered = interviews.start(
        db.session, booth, factories.make_registration(db.session, booth.event), at(0)
    )
    interviews.record_outcome(
        db.session, not_offered, interviews.OutcomeDetails(Outcome.NOT_SELECTED), at(15)
    )
    with pytest.raises(DomainError, match="no_offer"):
        interviews.confirm_hire(db.session, not_offered, HireStatus.HIRED, later, start_date=date(2027, 1, 4))
    assert [i.interview for i in interviews.offers_to_confirm(db.session, booth)] == [interview]


def test_staff_record_a_hire_that_came_without_an_offer_at_the_booth(db, booth):
    staff = factories.make_user(db.session, Role.STAFF)
    second = interviews.start(db.session, booth, factories.make_registration(db.session, booth.event), at(0))
    interviews.record_outcome(db.session, second, interviews.OutcomeDetails(
        Outcome.SECOND_INTERVIEW, second_interview_on=date(2026, 12, 3)), at(15))
    later = START + timedelta(days=45)  # long after the booth link's 30 days
    with pytest.raises(DomainError, match="reason_required"):
        interviews.confirm_hire(
            db.session, second, HireStatus.HIRED, later, start_date=date(2027, 1, 4), user=staff
        )
    interviews.confirm_hire(
        db.session,
        second,
        HireStatus.HIRED,
        later,
        start_date=date(2027, 1, 4),
        user=staff,
        reason="hired_after_second_interview",
    )
    db.session.commit()  # the database's checks accept a hire whose offer came after the event
    assert (second.offered, second.hired, second.later_offer_at) == (True, True, later)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "interview.hire"))
    assert entry.actor_user_id == staff.id and entry.details["reason"] == "hired_after_second_interview"
    # Taking it back removes the offer it recorded, so the funnel does not keep a phantom offer.
    interviews.confirm_hire(db.session, second, None, later, user=staff, reason="booth_recorded_wrong")
    assert (second.offered, second.hired) == (False, False)
    db.session.commit()


def test_the_database_refuses_a_hire_without_an_offer(db, booth):
    interview = interviews.start(
        db.session, booth, factories.make_registration(db.session, booth.event), at(0)
    )
    interviews.record_outcome(db.session, interview, interviews.OutcomeDetails(Outcome.NOT_SELECTED), at(15))
    db.session.commit()
    interview.hire_status = HireStatus.HIRED
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_hired_on_the_spot_is_a_placement_at_once(db, booth):
    interview = interviews.start(
        db.session, booth, factories.make_registration(db.session, booth.event), at(0)
    )
    interviews.record_outcome(db.session, interview, offer(booth, outcome=Outcome.HIRED_ON_THE_SPOT), at(15))
    assert (interview.hire_status, interview.hired_start_date) == (HireStatus.HIRED, date(2026, 12, 28))
    assert interview.offer_conditions == []


def test_the_booth_sees_only_shared_fields_and_only_its_own_people(db, booth):
    other = factories.make_participation(db.session, booth.event)
    maria = factories.make_registration(db.session, booth.event, sectors_of_interest=["hospitality"])
    maria.positions_of_interest = [
        booth.positions[0],
        factories.make_position(db.session, other, title="Driver"),
    ]
    theirs = interviews.start(db.session, other, maria, at(0))
    interviews.record_outcome(db.session, theirs, interviews.OutcomeDetails(Outcome.NOT_SELECTED), at(5))
    mine = interviews.queue_walk_up(db.session, booth, maria, at(6))
    (item,) = interviews.board(db.session, booth, at(7)).queue
    assert item.person == interviews.BoothCandidate(
        maria.id,
        maria.candidate.full_name,
        ("Hospitality (hotels, restaurants, food service)",),
        ("Line Cook",),
    )
    assert (
        interviews.board(db.session, booth, at(7)).finished == []
    )  # the other employer's outcome stays theirs
    with pytest.raises(DomainError, match="not_found"):
        interviews.booth_interview(db.session, booth, theirs.id)
    assert interviews.booth_interview(db.session, booth, mine.id) is mine
    stranger = factories.make_registration(db.session, factories.make_event(db.session))
    with pytest.raises(DomainError, match="not_found"):
        interviews.booth_registration(db.session, booth, stranger.id)


def test_badges_are_found_by_code_or_url_and_people_by_name(db, booth):
    maria = factories.make_registration(db.session, booth.event, candidate=factories.make_candidate(
        db.session, first_name="María", last_name="Gómez"))
    assert interviews.find_by_badge(db.session, booth, maria.badge_code) == maria
    assert (
        interviews.find_by_badge(db.session, booth, f" https://hireday.test/b/{maria.badge_code}\n") == maria
    )
    assert interviews.find_by_badge(db.session, booth, "nonsense") is None
    assert [c.registration_id for c in interviews.search(db.session, booth, "góm")] == [maria.id]
    assert [c.registration_id for c in interviews.search(db.session, booth, "maría gó")] == [maria.id]
    assert interviews.search(db.session, booth, "x") == []


def test_the_door_and_the_booth_find_the_same_people_by_name(db, booth):
    """One name rule (services/name_search.py): the booth did not split hyphenated names, the door did."""
    ana = factories.make_registration(db.session, booth.event, candidate=factories.make_candidate(
        db.session, first_name="Ana", last_name="López-García"))
    factories.make_registration(db.session, booth.event, candidate=factories.make_candidate(
        db.session, first_name="Ángel", last_name="García"))
    for typed in ("garcia", "ana lopez", "GARC lóp", "lopez-garcia"):
        at_booth = [c.registration_id for c in interviews.search(db.session, booth, typed)]
        at_door = [f.registration.id for f in checkin.search(db.session, booth.event, typed)]
        assert at_booth == at_door and ana.id in at_booth, typed
    assert len(interviews.search(db.session, booth, "garcia")) == 2
    assert [c.name for c in interviews.search(db.session, booth, "garcia")] == [
        "Ángel García",
        "Ana López-García",
    ]


@pytest.mark.parametrize(
    ("typed", "cents"), [("17.50", 1750), ("$18", 1800), ("48,000", 4_800_000), ("", None)]
)
def test_wages_are_read_as_typed(typed, cents):
    assert interviews.parse_wage(typed) == cents


def test_a_wage_that_is_not_a_number_is_refused():
    with pytest.raises(DomainError, match="bad_wage"):
        interviews.parse_wage("eighteen")


def test_after_an_outcome_the_person_can_queue_at_the_same_booth_again(db, booth):
    maria = factories.make_registration(db.session, booth.event)
    first = interviews.start(db.session, booth, maria, at(0))
    interviews.record_outcome(db.session, first, interviews.OutcomeDetails(Outcome.SECOND_INTERVIEW,
                              second_interview_on=date(2026, 12, 15)), at(15))
    again = interviews.queue_walk_up(db.session, booth, maria, at(30))
    assert again is not first and count(db) == 2


def test_a_booked_no_show_while_waiting_in_the_walk_up_line_keeps_the_line_place(db, booth):
    bookings.generate_slots(db.session, booth)
    slot = db.session.scalars(select(bookings.InterviewSlot)).first()
    maria = factories.make_registration(db.session, booth.event)
    booking = bookings.book(db.session, maria, slot, START - timedelta(days=1))
    waiting = interviews.queue_walk_up(db.session, booth, maria, at(0))
    interviews.booking_no_show(db.session, booth, booking, at(20))
    assert [i.interview for i in interviews.board(db.session, booth, at(21)).queue] == [waiting]


@pytest.mark.parametrize(("cents", "unit", "code"), [
    (180_000, WageUnit.HOUR, "wage_implausible"),   # $1,800 an hour
    (2_200, WageUnit.YEAR, "wage_implausible"),     # $22 a year: an hourly wage with the wrong unit
    (500_000, WageUnit.HOUR, "wage_implausible"),   # $5,000 an hour
    (600, WageUnit.HOUR, "wage_unusual"),           # $6 an hour: below any minimum wage, maybe a typo
    (45_000_000, WageUnit.YEAR, "wage_unusual"),    # $450,000 a year
])
def test_wages_are_checked_by_their_unit(db, booth, cents, unit, code):
    interview = interviews.start(
        db.session, booth, factories.make_registration(db.session, booth.event), at(0)
    )
    details = offer(booth, wage_cents=cents, wage_unit=unit)
    with pytest.raises(DomainError, match=code) as raised:
        interviews.record_outcome(db.session, interview, details, at(15))
    assert raised.value.field == "wage"
    if code == "wage_unusual":  # confirmed, an unusual wage is kept as typed, unit and all
        details.wage_confirmed = True
        interviews.record_outcome(db.session, interview, details, at(15))
        assert (interview.offer_wage_cents, interview.offer_wage_unit) == (cents, unit)
    else:
        assert interview.outcome is None


def test_an_offer_cannot_start_before_the_event(db, booth):
    interview = interviews.start(
        db.session, booth, factories.make_registration(db.session, booth.event), at(0)
    )
    with pytest.raises(DomainError, match="start_date_past"):
        interviews.record_outcome(db.session, interview, offer(booth, start_date=date(2020, 1, 1)), at(15))


def test_a_job_order_wage_is_checked_by_its_unit(db, booth):
    with pytest.raises(DomainError, match="wage_implausible"):
        job_orders.add_position(db.session, booth, job_orders.PositionDetails(
            title="Server", wage_min_cents=500_000, wage_unit=WageUnit.HOUR))
    with pytest.raises(DomainError, match="wage_implausible") as raised:
        job_orders.add_position(db.session, booth, job_orders.PositionDetails(
            title="Server", wage_min_cents=2_200, wage_unit=WageUnit.YEAR))
    assert "Did you mean $22.00 an hour?" in str(raised.value.message)
    with pytest.raises(DomainError, match="wage_unusual"):
        job_orders.add_position(db.session, booth, job_orders.PositionDetails(
            title="Chef", wage_min_cents=20_000, wage_unit=WageUnit.HOUR))
    chef = job_orders.add_position(db.session, booth, job_orders.PositionDetails(
        title="Chef", wage_min_cents=20_000, wage_unit=WageUnit.HOUR, wage_confirmed=True))
    assert chef.wage_min_cents == 20_000
