"""The demo data: what someone exploring HireDay after ``make run`` finds, the same every time, and
loading it again changes nothing."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.models import (
    Answer,
    Base,
    Booking,
    Candidate,
    CheckIn,
    Event,
    EventStatus,
    HireStatus,
    Interview,
    InterviewSlot,
    Outcome,
    Participation,
    Partnership,
    Position,
    Question,
    QuestionKind,
    Referral,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Response,
    Survey,
)
from app.services import checkin, interviews, reports
from app.services.demo import load_demo
from app.services.demo.hospitality import HOSPITALITY_SLUG
from app.services.demo.loader import DEMO_LOGINS
from app.services.users import authenticate

NOW = datetime(2026, 9, 15, 15, 0, tzinfo=UTC)


def _count(session, statement) -> int:
    return session.scalar(select(func.count()).select_from(statement.subquery()))


def _table_counts(session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_hospitality_hires_is_full_size_and_open_for_registration(db):
    session = db.session
    load_demo(session, now=NOW)

    event = session.scalar(select(Event).where(Event.slug == HOSPITALITY_SLUG))
    assert event.name == "Hospitality Hires Chicago" and event.status == EventStatus.PUBLISHED
    assert event.registration_opens_at < NOW < event.registration_closes_at <= event.starts_at
    assert event.starts_at.astimezone(ZoneInfo("America/Chicago")).hour == 10
    registrations = select(Registration).where(Registration.event_id == event.id)
    assert _count(session, registrations) == 2500
    assert _count(session, registrations.where(Registration.status == RegistrationStatus.CANCELLED)) == 40
    assert _count(session, select(Participation).where(Participation.event_id == event.id)) == 60
    positions = select(Position).join(Participation).where(Participation.event_id == event.id)
    assert 140 <= _count(session, positions) <= 160
    codes = session.scalars(select(Partnership.referral_code).where(Partnership.event_id == event.id)).all()
    assert len(codes) == 12 == len(set(codes)) and all(len(code) == 8 for code in codes)
    # Shared placement: some people were referred by two partners.
    referred_twice = (
        select(Referral.registration_id).join(Registration).where(Registration.event_id == event.id)
        .group_by(Referral.registration_id).having(func.count() > 1)
    )
    assert _count(session, referred_twice) > 0

    badges = session.scalars(select(Registration.badge_code)).all()
    assert len(badges) == len(set(badges)) and min(len(code) for code in badges) >= 22
    emails = session.scalars(select(Candidate.email)).all()
    assert all(email.split("@")[1] in {"example.com", "example.org", "example.net"} for email in emails)

    for email, password, role in DEMO_LOGINS:
        user = authenticate(session, email, password, NOW)
        assert user is not None and user.role == role


def test_loading_the_demo_again_adds_nothing(db):
    first = load_demo(db.session, now=NOW)
    assert first["events_created"] == 3
    before = _table_counts(db.session)

    again = load_demo(db.session, now=NOW)

    assert _table_counts(db.session) == before
    assert again["events_skipped"] == 3 and again["users_skipped"] == 2
    assert "events_created" not in again and "registrations_created" not in again


def test_the_demo_is_the_same_every_time(db):
    def snapshot() -> list[tuple]:
        people = db.session.execute(
            select(
                Candidate.first_name,
                Candidate.last_name,
                Candidate.email,
                Candidate.phone,
                Candidate.zip_code,
            ).order_by(Candidate.email)
        ).all()
        outcomes = db.session.execute(
            select(Candidate.email, Interview.outcome, Interview.offer_wage_cents, Interview.hire_status)
            .join(Registration, Registration.candidate_id == Candidate.id)
            .join(Interview, Interview.registration_id == Registration.id)
            .order_by(Candidate.email, Interview.queued_at)
        ).all()
        return people + outcomes

    attempt = db.session.begin_nested()
    load_demo(db.session, now=NOW)
    first = snapshot()
    attempt.rollback()
    assert db.session.scalar(select(func.count(Candidate.id))) == 0

    load_demo(db.session, now=NOW)

    assert snapshot() == first


def test_techapalooza_has_check_ins_offers_hires_and_survey_answers(db):
    session = db.session
    load_demo(session, now=NOW)

    event = session.scalar(
        select(Event).where(Event.series == "techapalooza", Event.status == EventStatus.CLOSED)
    )
    assert event.ends_at < NOW
    assert event.slug == "techapalooza-fall-2026"  # the Thursday 12 to 18 days before NOW: September 3
    # Recent enough that its booth links still confirm hires (BOOTH_LINK_DAYS = 30).
    assert event.ends_at + timedelta(days=30) > NOW
    registrations = select(Registration).where(Registration.event_id == event.id)
    total = _count(session, registrations)
    checked_in = _count(session, select(CheckIn.registration_id).distinct().where(
        CheckIn.event_id == event.id, CheckIn.successful))
    assert 0.6 * total <= checked_in <= 0.85 * total
    walk_ins = _count(session, registrations.where(Registration.source == RegistrationSource.WALK_IN))
    assert walk_ins == 8
    scans = select(CheckIn).where(CheckIn.event_id == event.id)
    assert (
        _count(session, scans.where(CheckIn.error_code == "unknown_code", CheckIn.registration_id.is_(None)))
        > 0
    )
    assert _count(session, scans.where(CheckIn.is_duplicate)) == 1

    interviews = session.scalars(
        select(Interview).join(Registration).where(Registration.event_id == event.id)
    ).all()
    assert {i.outcome for i in interviews} == {o for o in Outcome if o.kind.booth_choice}
    offers = [i for i in interviews if i.offered]
    assert offers
    for offer in offers:
        position = offer.position
        assert position.participation_id == offer.participation_id
        assert position.wage_min_cents <= offer.offer_wage_cents <= position.wage_max_cents
        assert offer.offer_wage_unit == position.wage_unit and offer.offer_start_date > event.starts_at.date()
    assert any(i.offer_conditions == ["background_check"] for i in offers)
    hired = [i for i in offers if i.hire_status == HireStatus.HIRED]
    assert hired and all(i.hired_start_date and i.hire_confirmed_at <= NOW for i in hired)
    assert {i.hire_status for i in offers} == set(HireStatus)

    surveys = session.scalars(select(Survey).where(Survey.event_id == event.id)).all()
    assert len(surveys) == 4
    for survey in surveys:
        assert _count(session, select(Response).where(Response.survey_id == survey.id)) > 0, survey.audience
    numbers = session.execute(
        select(Question.kind, Answer.number).join(Answer.question).join(Question.survey)
        .where(Survey.event_id == event.id, Answer.number.is_not(None))
    ).all()
    assert numbers
    assert all((1 <= n <= 5) if kind == QuestionKind.SCALE_5 else (0 <= n <= 10) for kind, n in numbers)


def test_an_event_is_happening_today_with_arrivals_lines_and_outcomes(db):
    session = db.session
    load_demo(session, now=NOW)
    event = session.scalar(select(Event).where(Event.slug == "techapalooza-express-2026-09-15"))
    assert event.status == EventStatus.PUBLISHED and event.starts_at < NOW < event.ends_at
    assert interviews.booth_phase(event.participations[0], NOW) == "open"
    arrived = set(checkin.first_entries_for_event(session, event.id))
    assert len(arrived) >= 20 and all(
        at <= NOW for at in checkin.first_entries_for_event(session, event.id).values()
    )
    rows = session.scalars(
        select(Interview).join(Registration).where(Registration.event_id == event.id)
    ).all()
    waiting = [i for i in rows if i.outcome is None and i.started_at is None]
    talking = [i for i in rows if i.outcome is None and i.started_at is not None]
    done = [i for i in rows if i.outcome is not None]
    assert waiting and talking and done, (len(waiting), len(talking), len(done))
    assert all(i.registration_id in arrived for i in rows if i.started_at)  # every interview has an arrival
    assert all(i.recorded_at <= NOW for i in done) and all(i.queued_at <= NOW for i in rows)
    assert all(
        i.hire_status in (None, HireStatus.PENDING) or i.outcome == Outcome.HIRED_ON_THE_SPOT for i in done
    )
    # The report compares it with the series' last completed event, the one two weeks ago.
    previous = reports.previous_in_series(session, event, NOW)
    assert previous is not None and previous.slug == "techapalooza-fall-2026"


def test_nobody_in_the_demo_books_one_employer_twice(db):
    load_demo(db.session, now=NOW)
    twice = (
        select(Booking.registration_id, InterviewSlot.participation_id)
        .join(InterviewSlot, InterviewSlot.id == Booking.slot_id)
        .where(Booking.cancelled_at.is_(None))
        .group_by(Booking.registration_id, InterviewSlot.participation_id).having(func.count() > 1)
    )
    assert _count(db.session, twice) == 0
