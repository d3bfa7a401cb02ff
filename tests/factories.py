"""Plain functions that build valid rows with sensible defaults (override any field by keyword)."""

import functools
import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.models import (
    Candidate,
    Event,
    EventStatus,
    ManageLinkReason,
    Organization,
    OrganizationKind,
    Participation,
    Partnership,
    Position,
    Registration,
    Role,
    User,
    WageUnit,
    utcnow,
)
from app.services.registration import issue_manage_link, next_checkin_number
from app.services.tokens import new_badge_code

PASSWORD = "correct-horse-battery"
#: A fixed "event day" for tests that need one.
EVENT_START = datetime(2026, 12, 10, 16, 0, tzinfo=UTC)  # 10:00 in Chicago

_counter = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    return generate_password_hash(PASSWORD)


def _n() -> int:
    return next(_counter)


def make_user(session: Session, role: Role = Role.STAFF, **fields) -> User:
    n = _n()
    user = User(
        email=fields.pop("email", f"user{n}@example.org"),
        name=fields.pop("name", f"User {n}"),
        role=role,
        **fields,
    )
    user.password_hash = _password_hash()  # hashing is slow on purpose: once per test run
    session.add(user)
    session.flush()
    return user


def make_event(session: Session, **fields) -> Event:
    n = _n()
    starts_at = fields.pop("starts_at", EVENT_START)
    event = Event(
        slug=fields.pop("slug", f"event-{n}"),
        name=fields.pop("name", f"Hiring Event {n}"),
        venue="Harold Washington Library Center",
        address="400 S State St, Chicago, IL 60605",
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + timedelta(hours=5)),
        status=fields.pop("status", EventStatus.PUBLISHED),
        **fields,
    )
    session.add(event)
    session.flush()
    return event


def make_organization(
    session: Session, kind: OrganizationKind = OrganizationKind.EMPLOYER, **fields
) -> Organization:
    organization = Organization(name=fields.pop("name", f"Organization {_n()}"), kind=kind, **fields)
    session.add(organization)
    session.flush()
    return organization


def make_participation(
    session: Session, event: Event, organization: Organization | None = None, **fields
) -> Participation:
    participation = Participation(
        event=event, organization=organization or make_organization(session), **fields
    )
    session.add(participation)
    session.flush()
    return participation


def make_position(session: Session, participation: Participation, **fields) -> Position:
    position = Position(
        participation=participation,
        title=fields.pop("title", "Line Cook"),
        wage_min_cents=fields.pop("wage_min_cents", 1800),
        wage_max_cents=fields.pop("wage_max_cents", 2200),
        wage_unit=fields.pop("wage_unit", WageUnit.HOUR),
        **fields,
    )
    session.add(position)
    session.flush()
    return position


def make_partnership(session: Session, event: Event, **fields) -> Partnership:
    partnership = Partnership(
        event=event,
        organization=fields.pop("organization", None)
        or make_organization(session, OrganizationKind.JOB_CENTER),
        referral_code=fields.pop("referral_code", f"REF{_n():05d}"),
        **fields,
    )
    session.add(partnership)
    session.flush()
    return partnership


def make_candidate(session: Session, **fields) -> Candidate:
    n = _n()
    candidate = Candidate(
        first_name=fields.pop("first_name", "Maria"),
        last_name=fields.pop("last_name", f"Lopez{n}"),
        email=fields.pop("email", f"maria.lopez{n}@example.com"),
        phone=fields.pop("phone", f"+1312555{n % 10000:04d}"),
        zip_code=fields.pop("zip_code", "60608"),
        **fields,
    )
    session.add(candidate)
    session.flush()
    return candidate


def make_registration(
    session: Session, event: Event, candidate: Candidate | None = None, **fields
) -> Registration:
    registration = Registration(
        event=event,
        candidate=candidate or make_candidate(session),
        badge_code=fields.pop("badge_code", None) or new_badge_code(),
        checkin_number=fields.pop("checkin_number")
        if "checkin_number" in fields
        else next_checkin_number(session, event),
        consent_share_profile=fields.pop("consent_share_profile", True),
        **fields,
    )
    session.add(registration)
    session.flush()
    return registration


def make_booking_page(session: Session, event: Event) -> str:
    """A registration of ``event`` with an employer's interview slots open to book: the path of
    that person's own page (``/r/<manage token>``)."""
    from app.services import bookings

    hotel = make_participation(
        session,
        event,
        make_organization(session),
        interview_minutes=15,
        interview_starts_at=event.starts_at,
        interview_ends_at=event.starts_at + timedelta(hours=1),
    )
    bookings.generate_slots(session, hotel)
    return f"/r/{make_manage_link(session, make_registration(session, event))}"


def make_manage_link(session: Session, registration: Registration) -> str:
    """A new secret for ``registration``'s own page (``/r/<secret>``), as its confirmation carries."""
    return issue_manage_link(session, registration, ManageLinkReason.REGISTERED, utcnow())
