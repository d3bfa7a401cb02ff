"""Interviews at an employer's booth: the walk-up queue, starting an interview (from a badge, a
search or a booked slot), recording the outcome and offer, and confirming hires afterwards.

Every write from the booth tablet carries a client nonce. A write that creates an interview keeps
its nonce (``Interview.client_nonce``, unique), so a double tap or a retry on bad Wi-Fi finds the
interview it made the first time instead of making another; recording an outcome sets fields on
one interview, so repeating it changes nothing. One person's writes are serialised on their
registration row, so two tablets scanning the same badge put them in the queue once.

What a booth sees of a person is built here (``BoothCandidate``): their name and what they said
they are interested in — never contact details, ZIP, demographics or other employers' outcomes."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.database import Session
from app.models import (
    AccessToken,
    Booking,
    Candidate,
    Event,
    HireStatus,
    Interview,
    InterviewSlot,
    InterviewSource,
    Outcome,
    Participation,
    Position,
    Registration,
    RegistrationStatus,
    Sector,
    User,
    WageUnit,
    badge_code_is,
)
from app.services import audit, checkin, partner_events, wages
from app.services.badge_scan import badge_code_from, looks_like_badge_code
from app.services.errors import DomainError
from app.services.event_time import event_day, local_to_utc
from app.services.name_search import registrations_named
from app.services.registration import checkin_number_in

#: Conditions a conditional offer may carry, with how the booth shows them.
OFFER_CONDITIONS: dict[str, str] = {
    "background_check": "Background check",
    "drug_screen": "Drug screen",
    "reference_check": "Reference check",
    "work_authorization": "Work authorization (I-9)",
    "license_or_certification": "License or certification",
}
OFFERS = Outcome.where(offer=True)


# --- What the booth sees of a person -----------------------------------------------------------


@dataclass(frozen=True)
class BoothCandidate:
    """A person as an employer may see them: only what they agreed to share."""

    registration_id: int
    name: str
    #: Sectors they said they are interested in (their labels).
    interests: tuple[str, ...]
    #: This employer's positions they picked when registering.
    positions: tuple[str, ...]


def booth_candidate(registration: Registration, participation: Participation) -> BoothCandidate:
    return BoothCandidate(
        registration_id=registration.id,
        name=registration.candidate.full_name,
        interests=tuple(str(s.label) for s in Sector if s.value in (registration.sectors_of_interest or [])),
        positions=tuple(
            p.title for p in registration.positions_of_interest if p.participation_id == participation.id
        ),
    )


def find_by_badge(session: Session, participation: Participation, text: str) -> Registration | None:
    """The person of this event whose badge was scanned (cancelled registrations are not found)."""
    code = badge_code_from(text)
    if not looks_like_badge_code(code):
        return None
    return session.scalar(
        select(Registration).where(
            badge_code_is(code), Registration.event_id == participation.event_id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )


def search(
    session: Session, participation: Participation, query: str, limit: int = 12
) -> list[BoothCandidate]:
    """People of this event by name (``name_search``), or by the check-in number on their badge."""
    query = query or ""
    people = (
        select(Registration.id, Candidate.first_name, Candidate.last_name)
        .join(Registration.candidate)
        .where(
            Registration.event_id == participation.event_id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    number = checkin_number_in(query)
    if number is not None:
        on_badge = people.where(Registration.checkin_number == number).with_only_columns(Registration.id)
        ids = list(session.scalars(on_badge))
    else:
        ids = registrations_named(session, people, query, limit=limit)
    if not ids:
        return []
    found = {
        r.id: r for r in session.scalars(
            select(Registration).where(Registration.id.in_(ids))
            .options(joinedload(Registration.candidate), selectinload(Registration.positions_of_interest))
        )
    }
    return [booth_candidate(found[i], participation) for i in ids]


def booth_registration(session: Session, participation: Participation, registration_id: int) -> Registration:
    """A registration of the booth's event, or ``not_found`` (another event's people are not found)."""
    registration = session.get(Registration, registration_id)
    if (registration is None or registration.event_id != participation.event_id
            or registration.status == RegistrationStatus.CANCELLED):
        raise DomainError("not_found", "That person is not registered for this event.")
    return registration


def booth_interview(session: Session, participation: Participation, interview_id: int) -> Interview:
    """One of this booth's interviews; another employer's is ``not_found``."""
    interview = session.get(Interview, interview_id)
    if interview is None or interview.participation_id != participation.id:
        raise DomainError("not_found", "There is no such interview at this booth.")
    return interview


# --- Queue and start ---------------------------------------------------------------------------


def _by_nonce(session: Session, participation: Participation, nonce: str | None) -> Interview | None:
    if not nonce:
        return None
    interview = session.scalar(select(Interview).where(Interview.client_nonce == nonce))
    if interview is not None and interview.participation_id != participation.id:
        raise DomainError("nonce_reused", "This request was already used elsewhere. Reload the page.")
    return interview


def _check_nonce(nonce: str | None) -> str | None:
    nonce = (nonce or "").strip() or None
    if nonce is not None and len(nonce) > 64:
        raise DomainError("bad_nonce", "Reload the page and try again.")
    return nonce


def _lock(session: Session, registration: Registration, participation: Participation) -> None:
    if registration.event_id != participation.event_id or registration.status == RegistrationStatus.CANCELLED:
        raise DomainError("not_found", "That person is not registered for this event.")
    session.execute(select(Registration.id).where(Registration.id == registration.id).with_for_update())


def _open_interview(
    session: Session, participation: Participation, registration: Registration
) -> Interview | None:
    """The person's interview at this booth that has no outcome yet (queued or under way)."""
    return session.scalar(
        select(Interview)
        .where(Interview.participation_id == participation.id, Interview.registration_id == registration.id,
               Interview.outcome.is_(None))
        .order_by(Interview.id)
        .limit(1)
    )


def _booking_here(
    session: Session, participation: Participation, registration: Registration
) -> Booking | None:
    """The person's next live booking at this booth that has no interview yet."""
    return session.scalar(
        select(Booking)
        .join(Booking.slot)
        .outerjoin(Interview, Interview.booking_id == Booking.id)
        .where(Booking.registration_id == registration.id, Booking.cancelled_at.is_(None),
               InterviewSlot.participation_id == participation.id, Interview.id.is_(None))
        .order_by(InterviewSlot.starts_at)
        .limit(1)
    )


def _create(
    session: Session,
    interview: Interview,
    nonce: str | None,
    participation: Participation,
    registration_id: int,
) -> Interview:
    """Insert a new interview; when the database says it exists already (the same nonce, the same
    booking, or an open interview of this person here, written at the same moment), use that one."""
    try:
        with session.begin_nested():
            session.add(interview)
    except IntegrityError:
        again = _by_nonce(session, participation, nonce)
        if again is None and interview.booking_id is not None:
            again = session.scalar(select(Interview).where(Interview.booking_id == interview.booking_id))
        if again is None:
            again = session.scalar(
                select(Interview).where(
                    Interview.participation_id == participation.id,
                    Interview.registration_id == registration_id,
                    Interview.outcome.is_(None),
                )
            )
        if again is None:
            raise
        return again
    return interview


def _arrive(
    session: Session, participation: Participation, registration: Registration, now: datetime,
    nonce: str | None, token: AccessToken | None,
) -> None:
    """A person the booth scans or starts is at the event: if the door has not checked them in, the
    booth does, through the door's own ``check_in()`` (logged with the booth's link as the device),
    so a badge the door would refuse (cancelled, waitlisted) is refused here the same way."""
    if checkin.presence(session, registration.id).inside:
        return
    scanner = checkin.Scanner(device_id=token.id, name=token.name) if token else checkin.Scanner()
    scan = checkin.Scan(code=registration.badge_code, nonce=f"booth-{nonce or uuid.uuid4().hex}"[:64])
    result = checkin.check_in(session, participation.event_id, scan, scanner, now)
    if result.status not in (checkin.ScanStatus.CHECKED_IN, checkin.ScanStatus.ALREADY_CHECKED_IN):
        raise DomainError(
            result.status, "This badge cannot be checked in. Send the person to the registration desk."
        )
    audit.record(
        session, "checkin.at_booth", actor_token=token, obj=registration, event_id=participation.event_id
    )


def queue_walk_up(
    session: Session, participation: Participation, registration: Registration, now: datetime, *,
    nonce: str | None = None, token: AccessToken | None = None,
) -> Interview:
    """Put the person in the booth's walk-up queue (a badge scanned at the booth). Someone already
    waiting or being interviewed here keeps their place."""
    nonce = _check_nonce(nonce)
    if (done := _by_nonce(session, participation, nonce)) is not None:
        return done
    _require_open(participation, now)
    _lock(session, registration, participation)
    _arrive(session, participation, registration, now, nonce, token)
    if (waiting := _open_interview(session, participation, registration)) is not None:
        return waiting
    interview = _create(session, Interview(
        registration=registration, participation=participation, source=InterviewSource.WALK_UP,
        client_nonce=nonce, queued_at=now, created_at=now,
    ), nonce, participation, registration.id)
    session.flush()
    audit.record(
        session, "interview.queue", actor_token=token, obj=interview, event_id=participation.event_id
    )
    return interview


def start(
    session: Session, participation: Participation, registration: Registration, now: datetime, *,
    nonce: str | None = None, token: AccessToken | None = None,
) -> Interview:
    """Start interviewing the person now: their queued interview, else their booked slot here, else
    a walk-up interview made on the spot. Starting twice keeps the first start time."""
    nonce = _check_nonce(nonce)
    if (done := _by_nonce(session, participation, nonce)) is not None:
        return done
    _require_open(participation, now)
    _lock(session, registration, participation)
    _arrive(session, participation, registration, now, nonce, token)
    interview = _open_interview(session, participation, registration)
    if interview is None:
        booking = _booking_here(session, participation, registration)
        interview = _create(session, Interview(
            registration=registration, participation=participation,
            source=InterviewSource.BOOKED if booking else InterviewSource.WALK_UP,
            booking_id=booking.id if booking else None,
            client_nonce=nonce, queued_at=booking.slot.starts_at if booking else now, created_at=now,
        ), nonce, participation, registration.id)
    if interview.started_at is None:
        interview.started_at = now
        session.flush()
        audit.record(
            session, "interview.start", actor_token=token, obj=interview, event_id=participation.event_id
        )
    return interview


def start_booking(
    session: Session, participation: Participation, booking: Booking, now: datetime, *,
    nonce: str | None = None, token: AccessToken | None = None,
) -> Interview:
    """Start the interview of a booked slot (from the booth's "next up" list)."""
    _check_booking(participation, booking)
    return start(session, participation, booking.registration, now, nonce=nonce, token=token)


def _check_booking(participation: Participation, booking: Booking) -> None:
    if booking.slot.participation_id != participation.id or booking.cancelled_at is not None:
        raise DomainError("not_found", "There is no such booking at this booth.")


def booking_no_show(
    session: Session, participation: Participation, booking: Booking, now: datetime, *,
    nonce: str | None = None, token: AccessToken | None = None,
) -> Interview:
    """The person who booked this slot did not come."""
    _check_booking(participation, booking)
    nonce = _check_nonce(nonce)
    if (done := _by_nonce(session, participation, nonce)) is not None:
        return done
    _require_open(participation, now)
    interview = session.scalar(select(Interview).where(Interview.booking_id == booking.id))
    if interview is None:
        # Written with its outcome, so it never counts as an open interview (the person may be
        # waiting in this booth's walk-up line at the same time).
        interview = _create(
            session,
            Interview(
                registration_id=booking.registration_id,
                participation=participation,
                source=InterviewSource.BOOKED,
                booking_id=booking.id,
                client_nonce=nonce,
                queued_at=booking.slot.starts_at,
                created_at=now,
                outcome=Outcome.NO_SHOW,
                recorded_at=now,
            ),
            nonce,
            participation,
            booking.registration_id,
        )
    record_outcome(session, interview, OutcomeDetails(Outcome.NO_SHOW), now, token=token)
    return interview


# --- Outcomes ----------------------------------------------------------------------------------


@dataclass
class OutcomeDetails:
    outcome: Outcome
    position_id: int | None = None
    wage_cents: int | None = None
    wage_unit: WageUnit | None = None
    start_date: date | None = None
    conditions: list[str] = field(default_factory=list)
    #: The recruiter confirmed a wage outside the usual range for its unit (``services.wages``).
    wage_confirmed: bool = False
    #: The tablet's sequence number of this save (see ``Interview.outcome_seq``); None from a page
    #: without the booth script, whose saves are applied as they arrive.
    seq: int | None = None
    second_interview_on: date | None = None
    second_interview_time: time | None = None
    second_interview_place: str = ""
    notes: str = ""


def parse_wage(text: str) -> int | None:
    """``17.50``, ``$17.50`` or ``48,000`` → cents; blank → None. Refuses anything else."""
    text = (text or "").strip().replace("$", "").replace(",", "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,7}(\.\d{1,2})?", text):
        raise DomainError("bad_wage", "Type the wage as a number, like 17.50 or 48000.", field="wage")
    dollars, _, cents = text.partition(".")
    return int(dollars) * 100 + int((cents + "00")[:2])


def booth_day(event: Event) -> tuple[datetime, datetime]:
    """When booths interview: the event's day where it happens, midnight to midnight, widened by
    staff's earlier opening (``booth_opens_at``) or later closing (``booth_closes_at``)."""
    day = event_day(event)
    opens = local_to_utc(day, time(0, 0), event.timezone)
    # An evening event that runs past midnight keeps its booths open until it ends.
    closes = max(local_to_utc(day + timedelta(days=1), time(0, 0), event.timezone), event.ends_at)
    if event.booth_opens_at is not None:
        opens = min(opens, event.booth_opens_at)
    if event.booth_closes_at is not None:
        closes = max(closes, event.booth_closes_at)
    return opens, closes


def booth_phase(participation: Participation, now: datetime) -> str:
    """``"before"`` the booth day (bookings shown read-only), ``"open"`` during it (interviews start
    and outcomes are recorded), ``"after"`` it (hires are confirmed)."""
    opens, closes = booth_day(participation.event)
    return "before" if now < opens else "open" if now < closes else "after"


def outcomes_editable(participation: Participation, now: datetime) -> bool:
    """Interviews start, and outcomes are recorded or changed, only during the booth day."""
    return booth_phase(participation, now) == "open"


def _require_open(participation: Participation, now: datetime) -> None:
    phase = booth_phase(participation, now)
    if phase == "before":
        raise DomainError(
            "booth_not_open",
            "Interviews start on the day of the event. Until then you can see your bookings.",
        )
    if phase == "after":
        raise DomainError(
            "booth_closed", "The event day is over: interviews can no longer start. Confirm hires below."
        )


def close_open_interviews(session: Session, event: Event, now: datetime) -> int:
    """Once the booth day is over, no interview stays open: one under way is recorded as
    ``not_recorded`` (it took place; nobody said how it went), one still waiting in a line as a
    no-show (the person left). Returns how many it closed; nothing to do before the day ends, so
    pages that read the numbers call it first and write only when something closes."""
    _, closes = booth_day(event)
    if now < closes:
        return 0
    still_open = session.scalars(
        select(Interview).join(Interview.participation)
        .where(Participation.event_id == event.id, Interview.outcome.is_(None))
    ).all()
    for interview in still_open:
        interview.outcome = Outcome.NOT_RECORDED if interview.started_at is not None else Outcome.NO_SHOW
        interview.recorded_at = closes
    if still_open:
        session.flush()
        audit.record(session, "interview.close_day", obj=event, closed=len(still_open))
        for interview in still_open:
            partner_events.emit_interview_progress(session, interview, partner_events.NOT_REACHED, closes)
    return len(still_open)


def _positions(participation: Participation) -> dict[int, Position]:
    return {p.id: p for p in participation.positions}


def record_outcome(
    session: Session, interview: Interview, details: OutcomeDetails, now: datetime, *,
    token: AccessToken | None = None,
) -> Interview:
    """Record (or change, during the event's day) how the interview went. An offer needs a wage
    and its unit, and a position when the employer brought job orders; a second interview needs its
    date and time. Changing away from an offer clears its terms and hire status."""
    participation = interview.participation
    if details.seq is not None and interview.outcome_seq is not None and details.seq <= interview.outcome_seq:
        # An earlier tap that reached us late (offline, retried): the recruiter's later choice stands.
        return interview
    if booth_phase(participation, now) == "after":
        raise DomainError(
            "outcome_locked", "Outcomes can no longer be changed after the event day. Confirm hires below."
        )
    _require_open(participation, now)
    outcome = Outcome(details.outcome)
    if not outcome.kind.booth_choice:
        raise DomainError("unknown_outcome", "Choose one of the outcomes.", field="outcome")
    positions = _positions(participation)
    if details.position_id is not None and details.position_id not in positions:
        raise DomainError("unknown_position", "Choose one of your job orders.", field="position_id")
    notes = (details.notes or "").strip()
    if len(notes) > 4000:
        raise DomainError("notes_too_long", "Please keep notes under 4,000 characters.", field="notes")
    unknown = [c for c in details.conditions if c not in OFFER_CONDITIONS]
    if unknown:
        raise DomainError("unknown_condition", "Choose conditions from the list.", field="conditions")

    before = _recorded_fields(interview)
    reached = partner_events.stages_of(interview)
    interview.offer_wage_cents = interview.offer_wage_unit = interview.offer_start_date = None
    interview.offer_conditions = []
    interview.second_interview_at = interview.second_interview_place = None
    if outcome.kind.needs_terms:
        if positions and details.position_id is None:
            raise DomainError("position_required", "Choose the position offered.", field="position_id")
        if details.wage_cents is None:
            raise DomainError("wage_required", "Give the wage offered.", field="wage")
        if details.wage_unit is None:
            raise DomainError("wage_unit_required", "Choose per hour or per year.", field="wage_unit")
        wages.check_wage(
            details.wage_cents, details.wage_unit, field="wage", confirmed=details.wage_confirmed
        )
        wages.check_start_date(details.start_date, event_day(participation.event))
        interview.offer_wage_cents = details.wage_cents
        interview.offer_wage_unit = WageUnit(details.wage_unit)
        interview.offer_start_date = details.start_date
        if outcome.kind.conditions:
            interview.offer_conditions = [c for c in OFFER_CONDITIONS if c in details.conditions]
    elif outcome.kind.second_interview:
        if details.second_interview_on is None:
            raise DomainError("second_interview_date_required", "Give the date of the second interview.",
                              field="second_date")
        at = details.second_interview_time or time(9, 0)
        interview.second_interview_at = local_to_utc(
            details.second_interview_on, at, participation.event.timezone
        )
        place = (details.second_interview_place or "").strip()[:200]
        interview.second_interview_place = place or None

    if outcome.kind.needs_terms or details.position_id is not None:
        interview.position_id = details.position_id
    interview.notes = notes
    changed = interview.outcome != outcome
    interview.outcome = outcome
    interview.outcome_seq = details.seq if details.seq is not None else interview.outcome_seq
    interview.recorded_at = now
    interview.recorded_by_token_id = token.id if token else None
    interview.later_offer_at = None
    if outcome.kind.hired:
        interview.hire_status = HireStatus.HIRED
        interview.hired_start_date = details.start_date
        interview.hire_confirmed_at = now
    elif outcome.kind.offer:
        if interview.hire_status is None or changed:
            interview.hire_status, interview.hired_start_date, interview.hire_confirmed_at = (
                HireStatus.PENDING,
                None,
                None,
            )
    else:
        interview.hire_status = interview.hired_start_date = interview.hire_confirmed_at = None
    if outcome.kind.held and interview.started_at is None:
        interview.started_at = now
    session.flush()
    # A correction says which fields it changed (names only: never the old text of the notes).
    correction: dict[str, Any] = (
        {
            "changed": ".".join(
                name for name, value in _recorded_fields(interview).items() if before[name] != value
            )
        }
        if before["outcome"] is not None
        else {}
    )
    audit.record(session, "interview.outcome", actor_token=token, obj=interview,
                 event_id=participation.event_id, outcome=outcome.value, **correction)
    partner_events.emit_interview_progress(session, interview, reached, now)
    return interview


def _recorded_fields(interview: Interview) -> dict[str, object]:
    """What a recorded outcome consists of, by the short name a correction's audit entry lists."""
    return {
        "outcome": interview.outcome,
        "position": interview.position_id,
        "wage": (interview.offer_wage_cents, interview.offer_wage_unit),
        "start": interview.offer_start_date,
        "conditions": tuple(interview.offer_conditions or ()),
        "second": (interview.second_interview_at, interview.second_interview_place),
        "notes": interview.notes,
        "hire": interview.hire_status,
    }


#: Why staff confirm or correct a hire, as the audit trail records it (a code: no free text, which
#: could carry someone's personal data).
HIRE_REASONS: dict[str, str] = {
    "employer_confirmed": "The employer confirmed it",
    "candidate_reported": "The career seeker told us",
    "hired_after_second_interview": "Hired after a second interview",
    "booth_recorded_wrong": "Recorded wrong at the booth",
    "offer_withdrawn": "The employer withdrew the offer",
}


def confirm_hire(
    session: Session, interview: Interview, status: HireStatus | str | None, now: datetime, *,
    start_date: date | None = None, token: AccessToken | None = None, user: User | None = None,
    reason: str | None = None,
) -> Interview:
    """After (or during) the event: an interview led to a hire (with its start date), the offer was
    declined, or is still pending. A confirmed hire is a placement.

    Any interview that took place can lead to a hire (``hire_path`` on its outcome's kind): when its
    booth outcome was not an offer (a second interview, a walk-up not selected on the day), the
    offer is recorded with it (``later_offer_at``), so offered >= hired holds. ``status=None``
    takes such a later offer back. Staff (``user``) give a reason from ``HIRE_REASONS``; it goes
    into the audit trail."""
    if user is not None and reason not in HIRE_REASONS:
        raise DomainError("reason_required", "Choose why you are changing this.", field="reason")
    if interview.outcome is None or not interview.outcome.kind.hire_path:
        raise DomainError("no_offer", "Only an interview that took place can lead to a hire.")
    if user is None and not interview.offered:
        # The booth confirms its offers; a hire that came some other way is recorded by staff.
        raise DomainError("no_offer", "Only offers can be confirmed here. Staff can record other hires.")
    status = HireStatus(status) if status is not None else None
    reached = partner_events.stages_of(interview)
    if status is None:
        if interview.outcome.kind.offer:
            raise DomainError("offer_recorded_at_booth",
                              "The booth recorded this offer: mark it declined or still pending instead.")
        interview.later_offer_at = None
    elif not interview.outcome.kind.offer and interview.later_offer_at is None:
        interview.later_offer_at = now
    if status == HireStatus.HIRED and start_date is None:
        start_date = interview.offer_start_date
        if start_date is None:
            raise DomainError("start_date_required", "Give the start date.", field="start_date")
    if status == HireStatus.HIRED:
        wages.check_start_date(start_date, event_day(interview.participation.event))
    interview.hire_status = status
    interview.hired_start_date = start_date if status == HireStatus.HIRED else None
    interview.hire_confirmed_at = None if status in (None, HireStatus.PENDING) else now
    session.flush()
    audit.record(
        session,
        "interview.hire",
        actor_token=token,
        actor_user=user,
        obj=interview,
        event_id=interview.participation.event_id,
        hire_status=status.value if status else "no_offer",
        reason=reason,
        later_offer=interview.later_offer_at is not None,
    )
    partner_events.emit_interview_progress(session, interview, reached, now)
    return interview


def offers_pending(session: Session, event: Event) -> list[tuple[Participation, list[Interview]]]:
    """Offers still waiting for an answer, employer by employer (for staff to follow up)."""
    pending = session.scalars(
        select(Interview).join(Interview.participation)
        .where(Participation.event_id == event.id, Interview.hire_status == HireStatus.PENDING)
        .options(joinedload(Interview.participation).joinedload(Participation.organization),
                 joinedload(Interview.registration).joinedload(Registration.candidate),
                 joinedload(Interview.position))
        .order_by(Interview.recorded_at, Interview.id)
    ).unique().all()
    by_booth: dict[int, list[Interview]] = {}
    for interview in pending:
        by_booth.setdefault(interview.participation_id, []).append(interview)
    booths = {i.participation_id: i.participation for i in pending}
    return sorted(((booths[pid], items) for pid, items in by_booth.items()),
                  key=lambda item: item[0].organization.name.casefold())


def hire_candidates(session: Session, participation: Participation) -> list[Interview]:
    """Every interview at a booth that could lead to a hire, offers first: what staff confirm or correct."""
    interviews = (
        session.scalars(
            select(Interview)
            .where(
                Interview.participation_id == participation.id,
                Interview.outcome.in_(Outcome.where(hire_path=True)),
            )
            .options(
                joinedload(Interview.registration).joinedload(Registration.candidate),
                joinedload(Interview.position),
            )
        )
        .unique()
        .all()
    )
    return sorted(interviews, key=lambda i: (not i.offered, i.registration.candidate.full_name.casefold()))


# --- The booth's board -------------------------------------------------------------------------


@dataclass
class BoardItem:
    person: BoothCandidate
    interview: Interview | None = None
    booking: Booking | None = None
    #: Minutes waited so far (queue) — whole minutes.
    waiting_minutes: int = 0
    place: int = 0


@dataclass
class Board:
    booked: list[BoardItem]
    queue: list[BoardItem]
    in_progress: list[BoardItem]
    finished: list[BoardItem]

    @property
    def average_wait(self) -> int:
        return round(sum(i.waiting_minutes for i in self.queue) / len(self.queue)) if self.queue else 0


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def board(session: Session, participation: Participation, now: datetime) -> Board:
    """Everything the booth tablet shows: booked slots still to come (or under way, without an
    interview yet), the walk-up queue in order with waiting times, interviews under way, and the
    finished ones (newest first)."""
    interviews = list(
        session.scalars(
            select(Interview)
            .where(Interview.participation_id == participation.id)
            .options(
                joinedload(Interview.registration).joinedload(Registration.candidate),
                joinedload(Interview.registration).selectinload(Registration.positions_of_interest),
                joinedload(Interview.position),
            )
            .order_by(Interview.queued_at, Interview.id)
        ).unique()
    )
    interviewed_bookings = {i.booking_id for i in interviews if i.booking_id}
    bookings = session.scalars(
        select(Booking)
        .join(Booking.slot)
        .join(Booking.registration)
        .where(
            InterviewSlot.participation_id == participation.id,
            Booking.cancelled_at.is_(None),
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .options(
            joinedload(Booking.slot),
            joinedload(Booking.registration).joinedload(Registration.candidate),
            joinedload(Booking.registration).selectinload(Registration.positions_of_interest),
        )
        .order_by(InterviewSlot.starts_at, Booking.seat)
    ).unique()
    open_ids = {i.registration_id for i in interviews if i.outcome is None}
    booked = [
        BoardItem(booth_candidate(b.registration, participation), booking=b)
        for b in bookings
        if b.id not in interviewed_bookings and b.registration_id not in open_ids
        and b.slot.ends_at > now - timedelta(hours=1)
    ]
    queue = [
        BoardItem(
            booth_candidate(i.registration, participation),
            interview=i,
            waiting_minutes=_minutes(now - i.queued_at),
        )
        for i in interviews
        if i.outcome is None
        and i.started_at is None
        and i.registration.status != RegistrationStatus.CANCELLED
    ]
    for place, item in enumerate(queue, start=1):
        item.place = place
    in_progress = [
        BoardItem(booth_candidate(i.registration, participation), interview=i)
        for i in interviews if i.outcome is None and i.started_at is not None
    ]
    # An interview with an outcome has its recorded_at (the database checks it).
    done = sorted(
        (i for i in interviews if i.outcome), key=lambda i: i.recorded_at or i.queued_at, reverse=True
    )
    finished = [BoardItem(booth_candidate(i.registration, participation), interview=i) for i in done]
    return Board(booked, queue, in_progress, finished)


@dataclass
class QueuePlace:
    employer: str
    table: str | None
    place: int
    waiting_minutes: int


def queue_places(session: Session, registration: Registration, now: datetime) -> list[QueuePlace]:
    """Where the person stands in each booth's walk-up queue (1 = next)."""
    mine = list(
        session.scalars(
            select(Interview)
            .where(Interview.registration_id == registration.id, Interview.outcome.is_(None),
                   Interview.started_at.is_(None), Interview.source == InterviewSource.WALK_UP)
            .options(joinedload(Interview.participation).joinedload(Participation.organization))
        )
    )
    places = []
    for interview in mine:
        ahead = session.scalar(
            select(func.count())
            .select_from(Interview)
            .join(Interview.registration)
            .where(
                Interview.participation_id == interview.participation_id, Interview.outcome.is_(None),
                Interview.started_at.is_(None), Registration.status != RegistrationStatus.CANCELLED,
                (Interview.queued_at < interview.queued_at)
                | ((Interview.queued_at == interview.queued_at) & (Interview.id < interview.id)),
            )
        ) or 0
        places.append(
            QueuePlace(
                interview.participation.organization.name,
                interview.participation.table_number,
                ahead + 1,
                _minutes(now - interview.queued_at),
            )
        )
    return sorted(places, key=lambda p: p.place)


def offers_to_confirm(session: Session, participation: Participation) -> list[BoardItem]:
    """The booth's offers, pending first: what the employer confirms after the event."""
    interviews = session.scalars(
        select(Interview)
        .where(Interview.participation_id == participation.id, Interview.offered_clause())
        .options(joinedload(Interview.registration).joinedload(Registration.candidate),
                 joinedload(Interview.registration).selectinload(Registration.positions_of_interest),
                 joinedload(Interview.position))
    ).unique()
    order = {HireStatus.PENDING: 0, HireStatus.HIRED: 1, HireStatus.DECLINED: 2, None: 3}
    items = [
        (i.hire_status, BoardItem(booth_candidate(i.registration, participation), interview=i))
        for i in interviews
    ]
    return [item for _, item in sorted(items, key=lambda pair: (order[pair[0]], pair[1].person.name))]


def local_date_of(value: datetime | None, participation: Participation) -> date | None:
    return value.astimezone(ZoneInfo(participation.event.timezone)).date() if value else None


def local_time_of(value: datetime | None, participation: Participation) -> time | None:
    return (
        value.astimezone(ZoneInfo(participation.event.timezone)).time().replace(tzinfo=None)
        if value
        else None
    )
