"""Registering career seekers for an event: duplicates, capacity and the waitlist, the person's
own manage link, updates and cancellation.

A person is found by email or phone; the database refuses a second registration of the same
person for an event (``uq_registrations_event_id_candidate_id``) and a second candidate with the
same email or phone, so concurrent submits cannot double anyone. Writes for one event are
serialised on the event row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write lock),
which keeps the capacity count exact."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.boundary import fits_stored_int
from app.models import (
    Audience,
    Candidate,
    Event,
    EventStatus,
    Language,
    Partnership,
    Phase,
    Position,
    Participation,
    Referral,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Survey,
)
from app.services import audit, bookings
from app.services.contact import normalize_email, normalize_phone, normalize_zip
from app.services.errors import DomainError, ProblemList, each_problem
from app.services.surveys import check_answers, record_response
from app.services.tokens import hash_secret, new_badge_code, new_secret

#: Pre-survey answers that are also kept on the registration itself, for filtering and reports.
SURVEY_KEYS_ON_REGISTRATION = ("employment_status", "sectors", "how_heard")


@dataclass
class RegistrationDetails:
    """What a person gives when registering (raw, as typed; the service checks and normalises)."""

    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    zip_code: str = ""
    language: Language = Language.EN
    position_ids: list[int] = field(default_factory=list)
    referral_code: str = ""
    accessibility_needs: str = ""
    consent_share_profile: bool = False
    consent_email: bool = False
    consent_sms: bool = False
    #: Pre-event survey answers keyed by question key.
    survey_answers: dict[str, object] = field(default_factory=dict)


@dataclass
class RegistrationOutcome:
    registration: Registration
    #: The secret of the person's ``/r/<token>`` link: set when the link was made or renewed now,
    #: so it can be shown or e-mailed once.
    manage_token: str | None
    #: False when the person was already registered (nothing new was created).
    created: bool

    @property
    def waitlisted(self) -> bool:
        return self.registration.status == RegistrationStatus.WAITLISTED


def registration_open(event: Event, now: datetime) -> bool:
    return (
        event.status == EventStatus.PUBLISHED
        and event.ends_at > now
        and (event.registration_opens_at is None or event.registration_opens_at <= now)
        and (event.registration_closes_at is None or event.registration_closes_at > now)
    )


def candidate_pre_survey(session: Session, event: Event) -> Survey | None:
    return session.scalar(
        select(Survey).where(
            Survey.event_id == event.id, Survey.audience == Audience.CANDIDATE, Survey.phase == Phase.PRE
        )
    )


def _lock_event(session: Session, event: Event) -> None:
    """Serialise registration writes for one event (a no-op on SQLite, where a write request
    already holds the database's write lock)."""
    session.execute(select(Event.id).where(Event.id == event.id).with_for_update())


def _required_name(value: str, code: str, message: object, field: str) -> str:
    name = value.strip()
    if not name:
        raise DomainError(code, message, field=field)
    if len(name) > 100:
        raise DomainError("name_too_long", _l("Please keep names under 100 characters."), field=field)
    return name


def _clean(details: RegistrationDetails) -> tuple[str, str, str | None, str | None, str | None]:
    """The person's name and contact, normalised; every problem with them at once (``DomainErrors``)."""
    problems = ProblemList()
    first = problems.check(
        _required_name, details.first_name, "first_name_required", _l("Please enter your first name."), "first_name"
    )
    last = problems.check(
        _required_name, details.last_name, "last_name_required", _l("Please enter your last name."), "last_name"
    )
    email = problems.check(normalize_email, details.email) if details.email.strip() else None
    phone = problems.check(normalize_phone, details.phone) if details.phone.strip() else None
    if not details.email.strip() and not details.phone.strip():
        problems.found.append(DomainError(
            "contact_required", _l("Give an email address or a mobile phone number so we can reach you."), field="email"
        ))
    zip_code = problems.check(normalize_zip, details.zip_code) if details.zip_code.strip() else None
    problems.raise_any()
    return first, last, email, phone, zip_code


def _people_matching(session: Session, email: str | None, phone: str | None) -> list[Candidate]:
    """Candidates with this email or this phone: the one with the email first."""
    conditions = []
    if email:
        conditions.append(Candidate.email == email)
    if phone:
        conditions.append(Candidate.phone == phone)
    found = session.scalars(select(Candidate).where(or_(*conditions))).all()
    return sorted(found, key=lambda c: c.email != email)


def _find_or_create_candidate(
    session: Session, first: str, last: str, email: str | None, phone: str | None,
    zip_code: str | None, language: Language,
) -> Candidate:
    """The person with this email (else this phone), updated with what they typed now; or a new
    one. Another request creating the same person at the same moment is caught by the database's
    unique email/phone rules and resolved by reading theirs."""
    for _ in range(2):
        matches = _people_matching(session, email, phone)
        if matches:
            candidate = matches[0]
            candidate.first_name, candidate.last_name, candidate.language = first, last, language
            if zip_code:
                candidate.zip_code = zip_code
            if email and candidate.email is None:
                candidate.email = email
            # A phone already used by another person stays with them.
            if phone and candidate.phone is None and all(m.phone != phone for m in matches[1:]):
                candidate.phone = phone
            session.flush()
            return candidate
        candidate = Candidate(
            first_name=first, last_name=last, email=email, phone=phone, zip_code=zip_code, language=language
        )
        try:
            with session.begin_nested():
                session.add(candidate)
        except IntegrityError:
            continue  # created by a concurrent request: read it on the next pass
        return candidate
    raise DomainError("try_again", _l("We could not save your registration just now. Please try again."))


def _existing_registration(session: Session, event: Event, people: list[Candidate]) -> Registration | None:
    if not people:
        return None
    return session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.candidate_id.in_([p.id for p in people])
        )
    )


def holding_places(session: Session, event: Event) -> int:
    """Registrations that hold a place (registered, not waitlisted or cancelled)."""
    return session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED
        )
    ) or 0


def _status_for_new_place(session: Session, event: Event) -> RegistrationStatus:
    if event.capacity is not None and holding_places(session, event) >= event.capacity:
        return RegistrationStatus.WAITLISTED
    return RegistrationStatus.REGISTERED


def _event_positions(session: Session, event: Event, position_ids: list[int]) -> list[Position]:
    if not position_ids:
        return []
    if not all(fits_stored_int(i) for i in position_ids):  # a form with other mistakes comes here unchecked
        raise DomainError("unknown_position", _l("Choose positions from this event's list."), field="position_ids")
    positions = list(
        session.scalars(
            select(Position)
            .join(Position.participation)
            .where(Position.id.in_(position_ids), Participation.event_id == event.id)
        )
    )
    if len(positions) != len(set(position_ids)):
        raise DomainError("unknown_position", _l("Choose positions from this event's list."), field="position_ids")
    return positions


def partnership_for_code(session: Session, event: Event, code: str) -> Partnership | None:
    code = code.strip().upper()
    if not code:
        return None
    return session.scalar(
        select(Partnership).where(Partnership.event_id == event.id, Partnership.referral_code == code)
    )


def _credit_partner(session: Session, registration: Registration, partnership: Partnership | None) -> None:
    """Record the referral once; a second partner referring the same person is credited too."""
    if partnership is None:
        return
    already = session.scalar(
        select(Referral.id).where(
            Referral.registration_id == registration.id, Referral.partnership_id == partnership.id
        )
    )
    if already is None:
        session.add(Referral(registration=registration, partnership_id=partnership.id))
        session.flush()


def new_manage_token(registration: Registration) -> str:
    """Make a fresh secret for the person's ``/r/<token>`` link (the previous link stops working)."""
    secret = new_secret()
    registration.manage_token_hash = hash_secret(secret)
    return secret


def _checked(
    session: Session, event: Event, details: RegistrationDetails, survey: Survey | None
) -> tuple[str, str, str | None, str | None, str | None, list[Position]]:
    """What a person typed, cleaned, or every problem with it at once (``DomainErrors``)."""
    problems = ProblemList()
    cleaned = problems.check(_clean, details)
    positions = problems.check(_event_positions, session, event, details.position_ids)
    if survey is not None:
        problems.check(check_answers, survey, details.survey_answers)
    if not details.consent_share_profile:
        problems.found.append(DomainError(
            "consent_required",
            _l("Please agree to share your profile with the event's employers; it is how they can interview you."),
            field="consent_share_profile",
        ))
    problems.raise_any()
    # raise_any() raised otherwise; the assert only tells the type checker so.
    assert cleaned is not None and positions is not None  # nosec B101
    return (*cleaned, positions)


def contact_problems(details: RegistrationDetails) -> list[DomainError]:
    """Every problem with a person's name, contact and ZIP code, without writing (the page where
    they change their details shows them with the form's own)."""
    try:
        _clean(details)
    except DomainError as error:
        return each_problem(error)
    return []


def registration_problems(session: Session, event: Event, details: RegistrationDetails) -> list[DomainError]:
    """Every problem ``register`` would refuse an online registration for, without writing: the
    form shows them together with its own, so one submit tells a person everything to fix."""
    try:
        _checked(session, event, details, candidate_pre_survey(session, event))
    except DomainError as error:
        return each_problem(error)
    return []


def register(
    session: Session,
    event: Event,
    details: RegistrationDetails,
    now: datetime,
    *,
    source: RegistrationSource = RegistrationSource.ONLINE,
    renew_link_if_registered: bool = True,
) -> RegistrationOutcome:
    """Register a person for ``event``, or find their registration when they already have one.

    A new registration past the event's capacity goes to the waitlist. An already-registered
    person gets a renewed manage link (to e-mail to the address on file) and nothing else
    changes (a staff import passes ``renew_link_if_registered=False``: the person's link must keep
    working). A cancelled registration is brought back. The pre-event survey is required online
    only. Raises ``DomainError`` with the field to fix; nothing is written then."""
    if source == RegistrationSource.ONLINE and not registration_open(event, now):
        raise DomainError("registration_closed", _l("Registration for this event is closed."))
    survey = candidate_pre_survey(session, event) if source == RegistrationSource.ONLINE else None
    first, last, email, phone, zip_code, positions = _checked(session, event, details, survey)
    partnership = partnership_for_code(session, event, details.referral_code)

    _lock_event(session, event)
    existing = _existing_registration(session, event, _people_matching(session, email, phone))
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        # A public referral link attaches a partner only to a new registration: anyone knowing a
        # person's e-mail could otherwise show that partner the person's interviews and offers.
        # Staff (an import, the door) may attach one to a registration that exists.
        if source != RegistrationSource.ONLINE:
            _credit_partner(session, existing, partnership)
        token = new_manage_token(existing) if renew_link_if_registered else None
        audit.record(session, "registration.duplicate_attempt", obj=existing, source=source.value)
        session.flush()
        return RegistrationOutcome(existing, token, created=False)

    candidate = _find_or_create_candidate(session, first, last, email, phone, zip_code, details.language)
    status = _status_for_new_place(session, event)
    registration = existing or Registration(
        event=event, candidate=candidate, badge_code=new_badge_code(), created_at=now
    )
    registration.status = status
    registration.cancelled_at = None
    registration.source = source
    registration.language = details.language
    registration.accessibility_needs = details.accessibility_needs.strip()[:2000]
    registration.consent_share_profile = True
    registration.consent_email = details.consent_email
    registration.consent_sms = details.consent_sms
    registration.positions_of_interest = positions
    token = new_manage_token(registration)
    session.add(registration)
    session.flush()
    if survey is not None:
        record_response(session, survey, details.survey_answers, registration=registration, language=details.language)
        _copy_survey_answers(registration, details.survey_answers)
    _credit_partner(session, registration, partnership)
    audit.record(
        session, "registration.create", obj=registration,
        status=registration.status.value, source=source.value, referred=partnership is not None,
    )
    session.flush()
    return RegistrationOutcome(registration, token, created=True)


def _copy_survey_answers(registration: Registration, answers: dict[str, object]) -> None:
    status, sectors, how_heard = (answers.get(key) for key in SURVEY_KEYS_ON_REGISTRATION)
    registration.employment_status = status if isinstance(status, str) and status else None
    registration.sectors_of_interest = list(sectors) if isinstance(sectors, list | tuple) else []
    registration.how_heard = how_heard if isinstance(how_heard, str) and how_heard else None


def find_by_manage_token(session: Session, secret: str) -> Registration | None:
    if not secret or len(secret) > 100:
        return None
    return session.scalar(select(Registration).where(Registration.manage_token_hash == hash_secret(secret)))


def waitlist_position(session: Session, registration: Registration) -> int | None:
    """1 for the next person to get a place; None when not waitlisted."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = session.scalar(
        select(func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            (Registration.created_at < registration.created_at)
            | ((Registration.created_at == registration.created_at) & (Registration.id < registration.id)),
        )
    )
    return (ahead or 0) + 1


def cancel(session: Session, registration: Registration, now: datetime) -> list[Registration]:
    """Cancel a registration (again is fine) and give freed places to the waitlist, oldest first.
    Returns the registrations promoted, to notify them."""
    event = registration.event
    _lock_event(session, event)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    session.flush()
    bookings.cancel_all(session, registration, now)  # their interview seats go back to others
    audit.record(session, "registration.cancel", obj=registration)
    return promote_from_waitlist(session, event)


def promote_from_waitlist(session: Session, event: Event) -> list[Registration]:
    """Give every free place to the longest-waiting people."""
    free = None if event.capacity is None else event.capacity - holding_places(session, event)
    waiting = select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED
    ).order_by(Registration.created_at, Registration.id)
    if free is not None:
        if free <= 0:
            return []
        waiting = waiting.limit(free)
    promoted = list(session.scalars(waiting))
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        audit.record(session, "registration.promote", obj=registration)
    session.flush()
    return promoted


@dataclass
class DetailsUpdate:
    first_name: str
    last_name: str
    phone: str
    zip_code: str
    language: Language
    accessibility_needs: str
    consent_email: bool
    consent_sms: bool


def update_details(session: Session, registration: Registration, update: DetailsUpdate) -> None:
    """Change what a person told us. The email stays (it identifies them); a phone already used by
    someone else is refused."""
    candidate = registration.candidate
    first, last, _, phone, zip_code = _clean(
        RegistrationDetails(
            first_name=update.first_name, last_name=update.last_name,
            email=candidate.email or "", phone=update.phone, zip_code=update.zip_code,
        )
    )
    if phone and phone != candidate.phone:
        taken = session.scalar(select(Candidate.id).where(Candidate.phone == phone, Candidate.id != candidate.id))
        if taken is not None:
            raise DomainError(
                "phone_taken", _l("That phone number belongs to another registration. Use another number."), field="phone"
            )
    candidate.first_name, candidate.last_name = first, last
    candidate.phone, candidate.zip_code, candidate.language = phone, zip_code, update.language
    registration.language = update.language
    registration.accessibility_needs = update.accessibility_needs.strip()[:2000]
    registration.consent_email, registration.consent_sms = update.consent_email, update.consent_sms
    session.flush()
    audit.record(session, "registration.update", obj=registration)


def find_people(session: Session, query: str, limit: int = 25) -> list[Candidate]:
    """Staff search for a person by name, e-mail or phone (at any event), for their data requests.
    Every word must match (``freeman 5022`` is a Freeman whose phone has 5022 in it): a word matches
    the name or the e-mail, or, with 4 digits or more, the phone."""
    words: list[str] = []
    for word in query.strip().lower().split():
        # "(312) 555-0100" is one phone number, not three words: runs of words without letters join.
        if words and not any(ch.isalpha() for ch in word + words[-1]):
            words[-1] += " " + word
        else:
            words.append(word)
    if not words:
        return []
    matches_every_word = []
    for word in words:
        either = [
            func.lower(Candidate.first_name + " " + Candidate.last_name).contains(word, autoescape=True),
            Candidate.email.contains(word, autoescape=True),
        ]
        digits = "".join(ch for ch in word if ch.isdigit())
        if len(digits) >= 4:
            either.append(Candidate.phone.contains(digits, autoescape=True))
        matches_every_word.append(or_(*either))
    return session.scalars(
        select(Candidate).where(and_(*matches_every_word), Candidate.purged_at.is_(None))
        .order_by(Candidate.last_name, Candidate.first_name).limit(limit)
    ).all()
