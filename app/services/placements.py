"""What a referring partner sees: the people it referred, event by event, and how far each got —
registered, checked in, interviewed, second interview, offered, hired — by the funnel every other
page uses (``services.funnel``). A confirmed hire is a placement; when several partners referred
the same person, each of them gets the credit (a shared placement), without learning who the
others are: a partner sees its own referrals and nothing about any other partner."""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app.models import (
    Event,
    Interview,
    Organization,
    Outcome,
    Partnership,
    Referral,
    Registration,
    RegistrationStatus,
)
from app.services import checkin
from app.services.funnel import Funnel, funnel


@dataclass
class ReferralProgress:
    name: str
    status: RegistrationStatus
    attended: bool = False
    interviews: int = 0
    second_interview: bool = False
    offers: list[str] = field(default_factory=list)
    #: Employers that confirmed the person as hired.
    hired_by: list[str] = field(default_factory=list)
    #: Another partner referred the same person too (the credit is shared; who it is is not shown).
    shared: bool = False

    @property
    def placed(self) -> bool:
        return bool(self.hired_by)


@dataclass
class EventReferrals:
    event: Event
    referral_code: str
    people: list[ReferralProgress]
    funnel: Funnel

    @property
    def placements(self) -> int:
        return self.funnel.people("hired")

    @property
    def second_interviews(self) -> int:
        return sum(1 for p in self.people if p.second_interview)

    @property
    def shared_placements(self) -> int:
        return sum(1 for p in self.people if p.placed and p.shared)


def partner_results(session: Session, organization: Organization) -> list[EventReferrals]:
    """Every event where ``organization`` refers people, newest first, with each referral's progress."""
    partnerships = session.scalars(
        select(Partnership).join(Partnership.event).where(Partnership.organization_id == organization.id)
        .options(joinedload(Partnership.event)).order_by(Event.starts_at.desc())
    ).all()
    results = []
    for partnership in partnerships:
        registrations = session.scalars(
            select(Registration).join(Referral, Referral.registration_id == Registration.id)
            .where(Referral.partnership_id == partnership.id)
            .options(joinedload(Registration.candidate))
        ).all()
        ids = [r.id for r in registrations]
        progress = {r.id: ReferralProgress(r.candidate.full_name, r.status) for r in registrations}
        arrived: set[int] = set()
        everyone: list[Interview] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            arrived.update(checkin._first_entries(session, chunk))  # the door service's own reading of its log
            everyone += session.scalars(
                select(Interview).where(Interview.registration_id.in_(chunk))
                .options(joinedload(Interview.participation))
            ).all()
            # How many partners referred each person: a count, never who the others are.
            partners = Counter(dict(session.execute(
                select(Referral.registration_id, func.count()).where(Referral.registration_id.in_(chunk))
                .group_by(Referral.registration_id)
            ).all()))
            for registration_id in chunk:
                progress[registration_id].shared = partners[registration_id] > 1
        people = funnel(((r.id, r.status) for r in registrations), arrived, everyone)
        for registration_id in people.checked_in:
            progress[registration_id].attended = True
        for interview in everyone:
            person = progress[interview.registration_id]
            employer = interview.participation.organization.name
            person.interviews += interview.held
            person.second_interview |= interview.outcome == Outcome.SECOND_INTERVIEW
            if interview.offered:
                person.offers.append(employer)
            if interview.hired:
                person.hired_by.append(employer)
        ordered = sorted(progress.values(), key=lambda p: (not p.placed, not p.offers, p.name.casefold()))
        results.append(EventReferrals(partnership.event, partnership.referral_code, ordered, people))
    return results
