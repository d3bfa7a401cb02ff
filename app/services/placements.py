"""What a referring partner sees: the people it referred, event by event, and how far each got —
registered, attended, interviewed, second interview, conditional offer, hired. A confirmed hire is a
placement; when two partners referred the same person, both see them and both get the credit
(a shared placement)."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.models import (
    Event,
    HireStatus,
    Interview,
    Organization,
    Outcome,
    Partnership,
    Referral,
    Registration,
    RegistrationStatus,
)
from app.services import checkin


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
    #: Other partners that referred the same person (they share the credit).
    shared_with: list[str] = field(default_factory=list)

    @property
    def placed(self) -> bool:
        return bool(self.hired_by)


@dataclass
class EventReferrals:
    event: Event
    referral_code: str
    people: list[ReferralProgress]

    def count(self, attribute: str) -> int:
        return sum(1 for p in self.people if getattr(p, attribute))

    @property
    def registered(self) -> int:
        return sum(1 for p in self.people if p.status != RegistrationStatus.CANCELLED)

    @property
    def placements(self) -> int:
        return self.count("placed")

    @property
    def shared_placements(self) -> int:
        return sum(1 for p in self.people if p.placed and p.shared_with)


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
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for registration_id in checkin._first_entries(session, chunk):  # the door service's own reading of its log
                progress[registration_id].attended = True
            interviews = session.scalars(
                select(Interview).where(Interview.registration_id.in_(chunk))
                .options(joinedload(Interview.participation))
            ).all()
            for interview in interviews:
                person = progress[interview.registration_id]
                employer = interview.participation.organization.name
                if interview.started_at is not None or interview.outcome not in (None, Outcome.NO_SHOW):
                    person.interviews += 1
                    person.attended = True
                if interview.outcome == Outcome.SECOND_INTERVIEW:
                    person.second_interview = True
                if interview.outcome in (Outcome.CONDITIONAL_OFFER, Outcome.HIRED_ON_THE_SPOT):
                    person.offers.append(employer)
                if interview.hire_status == HireStatus.HIRED:
                    person.hired_by.append(employer)
            others = session.execute(
                select(Referral.registration_id, Organization.name)
                .join(Partnership, Partnership.id == Referral.partnership_id)
                .join(Organization, Organization.id == Partnership.organization_id)
                .where(Referral.registration_id.in_(chunk), Referral.partnership_id != partnership.id)
            ).all()
            for registration_id, name in others:
                progress[registration_id].shared_with.append(name)
        people = sorted(progress.values(), key=lambda p: (not p.placed, not p.offers, p.name.casefold()))
        results.append(EventReferrals(partnership.event, partnership.referral_code, people))
    return results
