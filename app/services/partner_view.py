"""What a referring partner sees of one referral: the one definition the partner page, the partner
API, its CSV and the partner webhooks all read, so none of them can tell a partner something
another does not.

A referral shows the person's name, their registration, how far they got by the funnel
(``services.funnel``: registered, checked in, interviewed, offered, hired), when each step
happened, and which employers offered and hired. The terms of an offer (position, wage, start
date) are shown only when the person consented to share them with *this* partner
(``Referral.shares_offers``). When other partners referred the same person, each sees only that it
shares the credit: never who the others are, nor how many."""

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.database import Session
from app.models import (
    Audience,
    CheckIn,
    Event,
    Interview,
    Organization,
    Partnership,
    Phase,
    Referral,
    Registration,
    RegistrationStatus,
    Response,
    Survey,
    WageUnit,
)
from app.services import checkin
from app.services.funnel import Funnel, funnel


class Stage(enum.StrEnum):
    """How far a referred person got, latest first in ``STAGE_ORDER``: the funnel's stages, and
    before any of them the registration's own status."""

    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"
    REGISTERED = "registered"
    ATTENDED = "attended"
    INTERVIEWED = "interviewed"
    OFFERED = "offered"
    HIRED = "hired"


#: The funnel's sets, latest stage first: a person's stage is the first that holds them.
_FUNNEL_STAGES: tuple[tuple[str, Stage], ...] = (
    ("hired", Stage.HIRED),
    ("offered", Stage.OFFERED),
    ("interviewed", Stage.INTERVIEWED),
    ("checked_in", Stage.ATTENDED),
)
_BEFORE_ARRIVAL = {
    RegistrationStatus.REGISTERED: Stage.REGISTERED,
    RegistrationStatus.WAITLISTED: Stage.WAITLISTED,
    RegistrationStatus.CANCELLED: Stage.CANCELLED,
}


@dataclass(frozen=True)
class OfferTerms:
    """An offer's terms: only for a partner the person consented to share them with."""

    position: str | None
    wage_cents: int | None
    wage_unit: WageUnit | None
    start_date: date | None


@dataclass(frozen=True)
class Offer:
    """One employer's offer to the person, and whether it became a hire."""

    employer: str
    offered_at: datetime | None
    hired: bool
    hired_at: datetime | None
    #: None unless the person consented to share offer terms with this partner.
    terms: OfferTerms | None


@dataclass(frozen=True)
class EventRef:
    id: int
    slug: str
    name: str
    starts_at: datetime
    timezone: str


@dataclass(frozen=True)
class ReferralStatus:
    """One referral as its partner sees it. Times are UTC; a stage not reached has no time."""

    referral_id: int
    event: EventRef
    #: The person's name as the partner page shows it.
    name: str
    registration_status: RegistrationStatus
    stage: Stage
    referred_at: datetime
    registered_at: datetime
    cancelled_at: datetime | None
    checked_in_at: datetime | None
    interviewed_at: datetime | None
    offered_at: datetime | None
    hired_at: datetime | None
    #: When the person answered the post-event survey.
    survey_completed_at: datetime | None
    #: Interviews that took place (one person may have several).
    interviews: int
    second_interview: bool
    offers: tuple[Offer, ...]
    #: The person consented to share offer terms with this partner.
    shares_offers: bool
    #: Another partner referred the same person too: the credit is shared (who, or how many, is not said).
    shared: bool
    #: The latest time anything this referral shows changed: what ``updated_since`` compares.
    updated_at: datetime

    @property
    def hired_by(self) -> list[str]:
        return [offer.employer for offer in self.offers if offer.hired]

    @property
    def placed(self) -> bool:
        return self.stage == Stage.HIRED

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None or self.stage in (Stage.INTERVIEWED, Stage.OFFERED, Stage.HIRED)


@dataclass(frozen=True)
class PartnerEvent:
    """A partner's referrals at one event, with the funnel of its own people there."""

    event: Event
    referral_code: str
    referrals: list[ReferralStatus]
    funnel: Funnel


@dataclass(frozen=True)
class ReferralFilter:
    """Which of a partner's referrals to read: one event, events starting within dates (in UTC)."""

    event_slug: str | None = None
    starts_from: date | None = None
    starts_until: date | None = None


#: Registrations read per round of queries (``IN`` lists stay short on both databases).
_CHUNK = 500


def partner_events(
    session: Session, organization: Organization, only: ReferralFilter = ReferralFilter()
) -> list[PartnerEvent]:
    """Every event where ``organization`` is a referring partner (newest first), with its referrals."""
    query = (
        select(Partnership).join(Partnership.event).where(Partnership.organization_id == organization.id)
        .options(joinedload(Partnership.event)).order_by(Event.starts_at.desc(), Event.id.desc())
    )
    if only.event_slug is not None:
        query = query.where(Event.slug == only.event_slug)
    if only.starts_from is not None:
        query = query.where(Event.starts_at >= _midnight(only.starts_from))
    if only.starts_until is not None and only.starts_until < date.max:
        query = query.where(Event.starts_at < _midnight(only.starts_until + timedelta(days=1)))
    return [_partner_event(session, partnership) for partnership in session.scalars(query).all()]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def referral_statuses(
    session: Session, organization: Organization, only: ReferralFilter = ReferralFilter()
) -> list[ReferralStatus]:
    """Every referral of ``organization`` (of the events ``only`` names), events newest first."""
    return [status for event in partner_events(session, organization, only) for status in event.referrals]


def _partner_event(session: Session, partnership: Partnership) -> PartnerEvent:
    rows = session.execute(
        select(Referral, Registration).join(Registration, Referral.registration_id == Registration.id)
        .where(Referral.partnership_id == partnership.id)
        .options(joinedload(Registration.candidate))
    ).all()
    registrations = [registration for _, registration in rows]
    facts = _Facts.read(session, [r.id for r in registrations])
    people = funnel(((r.id, r.status) for r in registrations), facts.first_entry, facts.interviews)
    event = partnership.event
    ref = EventRef(event.id, event.slug, event.name, event.starts_at, event.timezone)
    statuses = [_status(referral, registration, ref, people, facts) for referral, registration in rows]
    statuses.sort(key=lambda s: (not s.placed, s.offered_at is None, s.name.casefold(), s.referral_id))
    return PartnerEvent(event, partnership.referral_code, statuses, people)


@dataclass
class _Facts:
    """What happened to a set of registrations, read in a few queries per ``_CHUNK`` of them."""

    first_entry: dict[int, datetime]
    last_scan: dict[int, datetime]
    interviews: list[Interview]
    by_registration: dict[int, list[Interview]]
    referrers: dict[int, int]
    survey: dict[int, tuple[datetime, datetime]]

    @classmethod
    def read(cls, session: Session, ids: list[int]) -> "_Facts":
        facts = cls({}, {}, [], {}, {}, {})
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            facts.first_entry.update(
                checkin._first_entries(session, chunk)
            )  # the door's own reading of its log
            facts.last_scan.update(_last_scans(session, chunk))
            facts.interviews += session.scalars(
                select(Interview).where(Interview.registration_id.in_(chunk))
                .options(joinedload(Interview.participation), joinedload(Interview.position))
                .order_by(Interview.id)
            ).all()
            facts.referrers.update(_referrer_counts(session, chunk))
            facts.survey.update(_post_survey_answers(session, chunk))
        for interview in facts.interviews:
            facts.by_registration.setdefault(interview.registration_id, []).append(interview)
        return facts

    def interviews_of(self, registration_id: int) -> list[Interview]:
        return self.by_registration.get(registration_id, [])


def _last_scans(session: Session, ids: list[int]) -> Iterable[tuple[int, datetime]]:
    """When the server last logged a successful scan of each (an entry, an exit or an undo)."""
    return [(rid, at) for rid, at in session.execute(
        select(CheckIn.registration_id, func.max(CheckIn.received_at))
        .where(CheckIn.registration_id.in_(ids), CheckIn.successful.is_(True))
        .group_by(CheckIn.registration_id)
    ).all() if rid is not None]


def _referrer_counts(session: Session, ids: list[int]) -> Iterable[tuple[int, int]]:
    """How many partners referred each person: only ever compared with 1, never shown."""
    return [(rid, count) for rid, count in session.execute(
        select(Referral.registration_id, func.count()).where(Referral.registration_id.in_(ids))
        .group_by(Referral.registration_id)
    ).all()]


def _post_survey_answers(session: Session, ids: list[int]) -> dict[int, tuple[datetime, datetime]]:
    rows = session.execute(
        select(Response.registration_id, Response.submitted_at, Response.updated_at)
        .join(Survey, Response.survey_id == Survey.id)
        .where(
            Response.registration_id.in_(ids),
            Survey.audience == Audience.CANDIDATE,
            Survey.phase == Phase.POST,
        )
    ).all()
    return {
        registration_id: (submitted, updated)
        for registration_id, submitted, updated in rows
        if registration_id
    }


def _status(
    referral: Referral, registration: Registration, event: EventRef, people: Funnel, facts: _Facts
) -> ReferralStatus:
    rid = registration.id
    interviews = facts.interviews_of(rid)
    held = [i for i in interviews if i.held]
    offered = [i for i in interviews if i.offered]
    survey = facts.survey.get(rid)
    return ReferralStatus(
        referral_id=referral.id,
        event=event,
        name=registration.candidate.full_name,
        registration_status=registration.status,
        stage=_stage(rid, registration.status, people),
        referred_at=referral.created_at,
        registered_at=registration.created_at,
        cancelled_at=registration.cancelled_at,
        checked_in_at=facts.first_entry.get(rid),
        interviewed_at=_earliest(_held_at(i) for i in held),
        offered_at=_earliest(_offered_at(i) for i in offered),
        hired_at=_earliest(i.hire_confirmed_at for i in offered if i.hired),
        survey_completed_at=survey[0] if survey else None,
        interviews=len(held),
        second_interview=any(i.second_interview for i in interviews),
        offers=tuple(_offer(i, referral.shares_offers) for i in offered),
        shares_offers=referral.shares_offers,
        shared=facts.referrers.get(rid, 1) > 1,
        updated_at=max(_change_times(referral, registration, interviews, facts.last_scan.get(rid), survey)),
    )


def _stage(registration_id: int, status: RegistrationStatus, people: Funnel) -> Stage:
    for name, stage in _FUNNEL_STAGES:
        if registration_id in getattr(people, name):
            return stage
    return _BEFORE_ARRIVAL[status]


def _held_at(interview: Interview) -> datetime | None:
    return interview.started_at or interview.recorded_at


def _offered_at(interview: Interview) -> datetime | None:
    if interview.outcome is not None and interview.outcome.kind.offer:
        return interview.recorded_at
    return interview.later_offer_at


def _earliest(times: Iterable[datetime | None]) -> datetime | None:
    return min((t for t in times if t is not None), default=None)


def _offer(interview: Interview, terms_shared: bool) -> Offer:
    return Offer(
        employer=interview.participation.organization.name,
        offered_at=_offered_at(interview),
        hired=interview.hired,
        hired_at=interview.hire_confirmed_at if interview.hired else None,
        terms=_terms(interview) if terms_shared else None,
    )


def _terms(interview: Interview) -> OfferTerms:
    return OfferTerms(
        position=interview.position.title if interview.position is not None else None,
        wage_cents=interview.offer_wage_cents,
        wage_unit=interview.offer_wage_unit,
        start_date=interview.hired_start_date or interview.offer_start_date,
    )


def _change_times(
    referral: Referral, registration: Registration, interviews: list[Interview],
    last_scan: datetime | None, survey: tuple[datetime, datetime] | None,
) -> Iterator[datetime]:
    """Each fact's own time of its last change: the referral (and its consent), the registration
    (a cancellation, a place from the waitlist), the door's log, each interview, the survey."""
    times: Iterable[datetime | None] = chain(
        (referral.created_at, referral.shares_offers_changed_at, registration.created_at,
         registration.updated_at, registration.cancelled_at, last_scan),
        (i.updated_at for i in interviews),
        survey or (),
    )
    return (t for t in times if t is not None)


def utc_iso(value: datetime | None) -> str | None:
    """A time as the partner API and webhooks write it: UTC, ``Z``, microseconds when there are any."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value is not None else None


def _offer_json(offer: Offer) -> dict[str, Any]:
    body: dict[str, Any] = {
        "employer": offer.employer, "offered_at": utc_iso(offer.offered_at),
        "hired": offer.hired, "hired_at": utc_iso(offer.hired_at),
    }
    if offer.terms is not None:
        terms = offer.terms
        body["terms"] = {
            "position": terms.position,
            "wage": f"{terms.wage_cents / 100:.2f}" if terms.wage_cents is not None else None,
            "wage_unit": terms.wage_unit.value if terms.wage_unit is not None else None,
            "start_date": terms.start_date.isoformat() if terms.start_date else None,
        }
    return body


def as_json(status: ReferralStatus) -> dict[str, Any]:
    """A referral as the partner API and the partner webhooks carry it (times in UTC, ``Z``).
    ``offers[].terms`` is there only when the person consented to share offer terms with this
    partner."""
    return {
        "id": status.referral_id,
        "event": {
            "slug": status.event.slug,
            "name": status.event.name,
            "starts_at": utc_iso(status.event.starts_at),
        },
        "name": status.name,
        "registration_status": status.registration_status.value,
        "stage": status.stage.value,
        "referred_at": utc_iso(status.referred_at),
        "registered_at": utc_iso(status.registered_at),
        "cancelled_at": utc_iso(status.cancelled_at),
        "checked_in_at": utc_iso(status.checked_in_at),
        "interviewed_at": utc_iso(status.interviewed_at),
        "offered_at": utc_iso(status.offered_at),
        "hired_at": utc_iso(status.hired_at),
        "survey_completed_at": utc_iso(status.survey_completed_at),
        "interviews": status.interviews,
        "second_interview": status.second_interview,
        "offers": [_offer_json(offer) for offer in status.offers],
        "shares_offers": status.shares_offers,
        "shared_credit": status.shared,
        "updated_at": utc_iso(status.updated_at),
    }


def referral_status(session: Session, referral: Referral) -> ReferralStatus:
    """One referral as its partner sees it, read for that person alone (a webhook's payload): the
    same reading the partner page and the API make of all of a partner's referrals."""
    registration = referral.registration
    facts = _Facts.read(session, [registration.id])
    people = funnel([(registration.id, registration.status)], facts.first_entry, facts.interviews)
    event = registration.event
    ref = EventRef(event.id, event.slug, event.name, event.starts_at, event.timezone)
    return _status(referral, registration, ref, people, facts)
