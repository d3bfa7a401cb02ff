"""Registering career seekers for an event: who is the same person, capacity and the waitlist, the
person's own manage links, updates and cancellation.

A person is a contact *and* a name (docs/people.md): the same e-mail or phone with the same folded
name is the same person; with another name it is another member of the household, registered in
their own right. The database refuses a second candidate with the same contact and name
(``uq_candidates_email_name_key``, ``uq_candidates_phone_name_key``) and a second registration of
one person for an event (``uq_registrations_event_id_candidate_id``), so concurrent submits
cannot double anyone. Writes for one event are serialised on the event row (``SELECT … FOR
UPDATE`` on PostgreSQL; SQLite's write lock), which keeps the capacity count and the check-in
numbers exact.

A registration holds several live manage links (``ManageLink``): a repeat attempt, a promotion or
a notice sends a new one and breaks none."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.boundary import fits_stored_int
from app.database import Session
from app.models import (
    Audience,
    Candidate,
    Event,
    EventStatus,
    Language,
    ManageLink,
    ManageLinkReason,
    Participation,
    Partnership,
    Phase,
    Position,
    Referral,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Survey,
    User,
)
from app.models.registration import name_key
from app.services import audit, bookings, partner_events
from app.services.calendar import entry_changed
from app.services.contact import normalize_email, normalize_phone, normalize_zip
from app.services.errors import DomainError, ProblemList, each_problem
from app.services.surveys import EMPLOYMENT_STATUS_CHOICES, check_answers, record_response
from app.services.tokens import hash_secret, lookup_hash, new_badge_code, new_secret

#: Pre-survey answers that are also kept on the registration itself, for filtering and reports.
SURVEY_KEYS_ON_REGISTRATION = ("employment_status", "sectors", "how_heard")
#: Links re-sent to one contact on file (after repeat attempts) per ``RESEND_WINDOW``: whoever
#: types someone's e-mail again and again cannot flood their inbox.
RESEND_LIMIT = 3
RESEND_WINDOW = timedelta(hours=1)


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
    #: The person lets the referring partner learn the terms of job offers they receive.
    consent_share_offers: bool = False
    accessibility_needs: str = ""
    consent_share_profile: bool = False
    consent_email: bool = False
    consent_sms: bool = False
    #: Pre-event survey answers keyed by question key.
    survey_answers: dict[str, object] = field(default_factory=dict)
    #: Asked at the door (online it is a pre-event survey answer): an ``EMPLOYMENT_STATUS_CHOICES`` key.
    employment_status: str = ""


@dataclass
class RegistrationOutcome:
    registration: Registration
    #: The secret of a new ``/r/<token>`` link, made now so it can be shown or e-mailed once. For
    #: someone already registered it is an *additional* link, for the contact on file only; None
    #: when none was made (no e-mail on file, too many re-sends, or a staff import or walk-in).
    manage_token: str | None
    #: False when the person was already registered (nothing new was created).
    created: bool
    #: Already registered and a link was due but not made: re-sent too often lately.
    resend_limited: bool = False

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
    """Serialise registration writes for one event (a no-op on SQLite, where a transaction that
    writes already holds the database's write lock: ``database.writing``)."""
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
        _required_name,
        details.first_name,
        "first_name_required",
        _l("Please enter your first name."),
        "first_name",
    )
    last = problems.check(
        _required_name,
        details.last_name,
        "last_name_required",
        _l("Please enter your last name."),
        "last_name",
    )
    email = problems.check(normalize_email, details.email) if details.email.strip() else None
    phone = problems.check(normalize_phone, details.phone) if details.phone.strip() else None
    if not details.email.strip() and not details.phone.strip():
        problems.found.append(
            DomainError(
                "contact_required",
                _l("Give an email address or a mobile phone number so we can reach you."),
                field="email",
            )
        )
    zip_code = problems.check(normalize_zip, details.zip_code) if details.zip_code.strip() else None
    problems.raise_any()
    return first, last, email, phone, zip_code


def _people_matching(session: Session, key: str, email: str | None, phone: str | None) -> list[Candidate]:
    """The person with this name and this e-mail or this phone: normally one; two when the e-mail
    and the phone were first given by two registrations (the one with the e-mail first)."""
    conditions = []
    if email:
        conditions.append(Candidate.email == email)
    if phone:
        conditions.append(Candidate.phone == phone)
    found = session.scalars(select(Candidate).where(Candidate.name_key == key, or_(*conditions))).all()
    return sorted(found, key=lambda c: (c.email != email, c.id))


def _find_or_create_candidate(
    session: Session, first: str, last: str, email: str | None, phone: str | None,
    zip_code: str | None, language: Language,
) -> Candidate:
    """The person with this name and contact, updated with what they typed now; or a new one.
    Another request creating the same person at the same moment is caught by the database's
    unique (contact, name) rules and resolved by reading theirs."""
    key = name_key(first, last)
    for _ in range(2):
        matches = _people_matching(session, key, email, phone)
        if matches:
            candidate = matches[0]
            candidate.first_name, candidate.last_name, candidate.language = first, last, language
            if zip_code:
                candidate.zip_code = zip_code
            # A contact already on another record of the same person stays there (merge them).
            if email and candidate.email is None and all(m.email != email for m in matches[1:]):
                candidate.email = email
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
        ).order_by(Registration.status == RegistrationStatus.CANCELLED, Registration.id)
    )


def checkin_number_in(query: str) -> int | None:
    """The check-in number a search is for ("123", "#123", "no. 123"), or None."""
    digits = query.strip().lstrip("#").strip()
    for prefix in ("no.", "no", "n.º", "nº"):
        if digits.lower().startswith(prefix):
            digits = digits[len(prefix):].strip()
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 6 else None


def next_checkin_number(session: Session, event: Event) -> int:
    """The next short check-in number of ``event`` (1, 2, 3 …). Called with the event locked."""
    return (
        session.scalar(select(func.max(Registration.checkin_number)).where(Registration.event_id == event.id))
        or 0
    ) + 1


def holding_places(session: Session, event: Event) -> int:
    """Registrations that hold a place (registered, not waitlisted or cancelled)."""
    return session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED
        )
    ) or 0


def _status_for_new_place(session: Session, event: Event, source: RegistrationSource) -> RegistrationStatus:
    """A place while there is one; the waitlist after. Someone registering at the door is in the
    room already: they get a place, full or not."""
    if source == RegistrationSource.WALK_IN:
        return RegistrationStatus.REGISTERED
    if event.capacity is not None and holding_places(session, event) >= event.capacity:
        return RegistrationStatus.WAITLISTED
    return RegistrationStatus.REGISTERED


def _event_positions(session: Session, event: Event, position_ids: list[int]) -> list[Position]:
    if not position_ids:
        return []
    if not all(fits_stored_int(i) for i in position_ids):  # a form with other mistakes comes here unchecked
        raise DomainError(
            "unknown_position", _l("Choose positions from this event's list."), field="position_ids"
        )
    positions = list(
        session.scalars(
            select(Position)
            .join(Position.participation)
            .where(Position.id.in_(position_ids), Participation.event_id == event.id)
        )
    )
    if len(positions) != len(set(position_ids)):
        raise DomainError(
            "unknown_position", _l("Choose positions from this event's list."), field="position_ids"
        )
    return positions


def partnership_for_code(session: Session, event: Event, code: str) -> Partnership | None:
    code = code.strip().upper()
    if not code:
        return None
    return session.scalar(
        select(Partnership).where(Partnership.event_id == event.id, Partnership.referral_code == code)
    )


def _credit_partner(
    session: Session,
    registration: Registration,
    partnership: Partnership | None,
    *,
    shares_offers: bool = False,
) -> bool:
    """Record the referral once; a second partner referring the same person is credited too. Only
    the person can consent to share offers with the partner (``shares_offers``), never staff.
    True when the partner was credited just now."""
    if partnership is None:
        return False
    already = session.scalar(
        select(Referral.id).where(
            Referral.registration_id == registration.id, Referral.partnership_id == partnership.id
        )
    )
    if already is not None:
        return False
    session.add(
        Referral(registration=registration, partnership_id=partnership.id, shares_offers=shares_offers)
    )
    session.flush()
    return True


def issue_manage_link(
    session: Session, registration: Registration, reason: ManageLinkReason, now: datetime
) -> str:
    """A new ``/r/<secret>`` link to ``registration``, beside the ones it has; returns the secret
    (kept nowhere: show or e-mail it once)."""
    secret = new_secret()
    session.add(
        ManageLink(registration=registration, token_hash=hash_secret(secret), reason=reason, created_at=now)
    )
    session.flush()
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
        problems.found.append(
            DomainError(
                "consent_required",
                _l(
                    "Please agree to share your profile with the event's employers; it is how they can "
                    "interview you."
                ),
                field="consent_share_profile",
            )
        )
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


def _resends_lately(session: Session, email: str, now: datetime) -> int:
    return session.scalar(
        select(func.count()).select_from(ManageLink)
        .join(Registration, Registration.id == ManageLink.registration_id)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .where(
            Candidate.email == email, ManageLink.reason == ManageLinkReason.RESENT,
            ManageLink.created_at > now - RESEND_WINDOW,
        )
    ) or 0


def _link_for_repeat_attempt(
    session: Session, registration: Registration, now: datetime
) -> tuple[str | None, bool]:
    """An additional link for someone already registered, to e-mail to the address on file (never
    shown to whoever typed the contact): (secret or None, whether the re-send limit stopped it)."""
    email = registration.candidate.email
    if email is None:
        return None, False
    if _resends_lately(session, email, now) >= RESEND_LIMIT:
        return None, True
    return issue_manage_link(session, registration, ManageLinkReason.RESENT, now), False


def register(
    session: Session,
    event: Event,
    details: RegistrationDetails,
    now: datetime,
    *,
    source: RegistrationSource = RegistrationSource.ONLINE,
    send_link_if_registered: bool = True,
) -> RegistrationOutcome:
    """Register a person for ``event``, or find their registration when they already have one.

    A new registration past the event's capacity goes to the waitlist (not at the door). An
    already-registered person keeps every link they have and gets an additional one for the
    address on file (rate-limited; a staff import or a walk-in passes
    ``send_link_if_registered=False``); nothing else changes. A cancelled registration is brought
    back. The pre-event survey is required online only. Raises ``DomainError`` with the field to
    fix; nothing is written then."""
    if source == RegistrationSource.ONLINE and not registration_open(event, now):
        raise DomainError("registration_closed", _l("Registration for this event is closed."))
    survey = candidate_pre_survey(session, event) if source == RegistrationSource.ONLINE else None
    first, last, email, phone, zip_code, positions = _checked(session, event, details, survey)
    partnership = partnership_for_code(session, event, details.referral_code)
    employment_status = _employment_status(details.employment_status) if details.employment_status else None

    _lock_event(session, event)
    existing = _existing_registration(
        session, event, _people_matching(session, name_key(first, last), email, phone)
    )
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        # A public referral link attaches a partner only to a new registration: anyone knowing a
        # person's e-mail could otherwise show that partner the person's interviews and offers.
        # Staff (an import, the door) may attach one to a registration that exists.
        if (
            source != RegistrationSource.ONLINE
            and partnership is not None
            and _credit_partner(session, existing, partnership)
        ):
            partner_events.emit(session, existing.id, partner_events.for_status(existing.status), now,
                                partnership_id=partnership.id)
        token, limited = (
            _link_for_repeat_attempt(session, existing, now) if send_link_if_registered else (None, False)
        )
        audit.record(
            session,
            "registration.duplicate_attempt",
            obj=existing,
            source=source.value,
            resent=token is not None,
        )
        session.flush()
        return RegistrationOutcome(existing, token, created=False, resend_limited=limited)

    candidate = _find_or_create_candidate(session, first, last, email, phone, zip_code, details.language)
    status = _status_for_new_place(session, event, source)
    registration = existing or Registration(
        event=event, candidate=candidate, badge_code=new_badge_code(), created_at=now,
        checkin_number=next_checkin_number(session, event),
    )
    if existing is not None:
        entry_changed(existing)  # registering again after cancelling: their calendar takes the entry back
    registration.status = status
    registration.cancelled_at = None
    registration.source = source
    registration.language = details.language
    registration.accessibility_needs = details.accessibility_needs.strip()[:2000]
    registration.consent_share_profile = True
    registration.consent_email = details.consent_email
    registration.consent_sms = details.consent_sms
    registration.positions_of_interest = positions
    session.add(registration)
    session.flush()
    token = issue_manage_link(session, registration, ManageLinkReason.REGISTERED, now)
    if survey is not None:
        record_response(
            session, survey, details.survey_answers, registration=registration, language=details.language
        )
        _copy_survey_answers(registration, details.survey_answers)
    elif employment_status:
        registration.employment_status = employment_status
    _credit_partner(session, registration, partnership,
                    shares_offers=details.consent_share_offers and source == RegistrationSource.ONLINE)
    partner_events.emit(session, registration.id, partner_events.for_status(registration.status), now)
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


def _employment_status(value: str) -> str:
    if value not in {choice["value"] for choice in EMPLOYMENT_STATUS_CHOICES}:
        raise DomainError(
            "unknown_employment_status", _l("Choose one of the listed answers."), field="employment_status"
        )
    return value


def find_manage_link(session: Session, secret: str) -> ManageLink | None:
    """The live link whose secret this is (not revoked, its registration not cancelled), or None."""
    presented = lookup_hash(secret)
    if presented is None:
        return None
    return session.scalar(
        select(ManageLink).join(ManageLink.registration)
        .where(ManageLink.token_hash == presented, ManageLink.revoked_at.is_(None),
               Registration.status != RegistrationStatus.CANCELLED)
    )


def find_by_manage_token(session: Session, secret: str) -> Registration | None:
    link = find_manage_link(session, secret)
    return link.registration if link is not None else None


def live_links(registration: Registration) -> list[ManageLink]:
    """The registration's links that still open it, oldest first (for the person's own page)."""
    return [link for link in registration.manage_links if link.revoked_at is None]


def revoke_link(session: Session, registration: Registration, link_id: int, now: datetime) -> ManageLink:
    """Stop one of the person's links working (from their own page). Revoking again is fine."""
    link = next((link for link in registration.manage_links if link.id == link_id), None)
    if link is None:
        raise DomainError("unknown_link", _l("That link is not one of this registration's links."))
    if link.revoked_at is None:
        link.revoked_at = now
        audit.record(session, "registration.link_revoke", obj=registration, link_id=link.id)
        session.flush()
    return link


def _revoke_all_links(registration: Registration, now: datetime) -> None:
    for link in live_links(registration):
        link.revoked_at = now


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


def cancel(session: Session, registration: Registration, now: datetime) -> list[tuple[Registration, str]]:
    """Cancel a registration (again is fine): its links stop working, and the freed place goes to
    the waitlist. Returns the people promoted with a new link each, to e-mail them."""
    event = registration.event
    _lock_event(session, event)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    _revoke_all_links(registration, now)  # registering again makes a new one
    session.flush()
    bookings.cancel_all(session, registration, now)  # their interview seats go back to others
    audit.record(session, "registration.cancel", obj=registration)
    partner_events.emit(session, registration.id, partner_events.PartnerEvent.CANCELLED, now)
    return _with_links(session, promote_from_waitlist(session, event, now), now)


def _with_links(
    session: Session, promoted: list[Registration], now: datetime
) -> list[tuple[Registration, str]]:
    """A new link for each person promoted, for the e-mail that tells them (only hashes are kept)."""
    return [(r, issue_manage_link(session, r, ManageLinkReason.PROMOTED, now)) for r in promoted]


def promote_from_waitlist(session: Session, event: Event, now: datetime) -> list[Registration]:
    """Give every free place to the longest-waiting people (after a cancellation or when the
    capacity grows). Returns them, oldest first, to e-mail (``registration_mail.send_promotions``)."""
    _lock_event(session, event)
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
        partner_events.emit(session, registration.id, partner_events.PartnerEvent.REGISTERED, now)
    session.flush()
    return promoted


def admit_from_waitlist(session: Session, registration: Registration, now: datetime, *, actor: User) -> None:
    """Staff at the door give a waitlisted person a place, full or not (they are in the room)."""
    if registration.status != RegistrationStatus.WAITLISTED:
        raise DomainError("not_waitlisted", "Only someone on the waitlist can be admitted from it.")
    _lock_event(session, registration.event)
    registration.status = RegistrationStatus.REGISTERED
    audit.record(session, "registration.admit", actor_user=actor, obj=registration)
    partner_events.emit(session, registration.id, partner_events.PartnerEvent.REGISTERED, now)
    session.flush()


def capacity_changed(session: Session, event: Event, now: datetime) -> list[tuple[Registration, str]]:
    """After staff save ``event``'s capacity: a larger one gives the new places to the waitlist at
    once, in order (each person with a new link, for ``send_promotions``). A smaller one takes no
    place away: everyone registered stays registered (``events.event_warnings`` tells staff)."""
    return _with_links(session, promote_from_waitlist(session, event, now), now)


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
    """Change what a person told us. The e-mail stays (with the name, it identifies them); a name
    and phone that another record already has together is refused (that is someone else, or the
    same person twice: staff merge those)."""
    candidate = registration.candidate
    first, last, _, phone, zip_code = _clean(
        RegistrationDetails(
            first_name=update.first_name, last_name=update.last_name,
            email=candidate.email or "", phone=update.phone, zip_code=update.zip_code,
        )
    )
    try:
        with session.begin_nested():
            candidate.first_name, candidate.last_name = first, last
            candidate.phone, candidate.zip_code, candidate.language = phone, zip_code, update.language
            session.flush()
    except IntegrityError:
        raise DomainError(
            "person_taken",
            _l(
                "Someone with this name already has a registration with this phone or e-mail. Check the "
                "name, or ask staff to help."
            ),
            field="first_name",
        ) from None
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
    return list(session.scalars(
        select(Candidate).where(and_(*matches_every_word), Candidate.purged_at.is_(None))
        .order_by(Candidate.last_name, Candidate.first_name).limit(limit)
    ))


def household(session: Session, candidate: Candidate) -> list[Candidate]:
    """Other people who share this person's e-mail or phone (a family on one phone), by name."""
    conditions = []
    if candidate.email:
        conditions.append(Candidate.email == candidate.email)
    if candidate.phone:
        conditions.append(Candidate.phone == candidate.phone)
    if not conditions:
        return []
    return list(session.scalars(
        select(Candidate).where(or_(*conditions), Candidate.id != candidate.id)
        .order_by(Candidate.last_name, Candidate.first_name, Candidate.id)
    ))


def merge_people(session: Session, keep: Candidate, other: Candidate, *, actor: User) -> None:
    """Staff found that two records are one person: ``other``'s registrations move to ``keep``,
    ``keep`` takes a contact it lacks, and ``other`` is removed. Refused when both are registered
    for one event (cancel one of those first), so no registration is ever lost or doubled."""
    if keep.id == other.id:
        raise DomainError("same_person", "Choose two different people to merge.")
    if keep.purged_at is not None or other.purged_at is not None:
        raise DomainError("purged", "A person whose data was removed cannot be merged.")
    both = session.scalars(
        select(Event.name)
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.candidate_id == other.id,
            Registration.event_id.in_(
                select(Registration.event_id).where(Registration.candidate_id == keep.id)
            ),
        )
        .order_by(Event.starts_at)
    ).all()
    if both:
        raise DomainError(
            "both_registered",
            f"Both are registered for {', '.join(both)}. Cancel one of those registrations first, then "
            "merge.",
        )
    moved = session.scalars(select(Registration).where(Registration.candidate_id == other.id)).all()
    for registration in moved:
        registration.candidate = keep
    email, phone = other.email, other.phone
    session.delete(other)
    session.flush()
    if keep.email is None and email:
        keep.email = email
    if keep.phone is None and phone:
        keep.phone = phone
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise DomainError("contact_taken", "Someone else with this name already has that contact.") from None
    audit.record(
        session, "person.merge", actor_user=actor, obj=keep, merged_id=other.id, registrations=len(moved)
    )
    session.flush()
