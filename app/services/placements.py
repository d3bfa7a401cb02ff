"""A referring partner's credit, event by event: its people at each stage of the funnel every other
page uses (``services.funnel``), its placements (confirmed hires) and the shared ones. When several
partners referred the same person, each of them gets the credit (a shared placement), without
learning who the others are. What the partner sees of each person is ``services.partner_view``."""

from dataclasses import dataclass

from app.database import Session
from app.models import Organization
from app.services.partner_view import PartnerEvent, ReferralStatus, partner_events


@dataclass(frozen=True)
class EventReferrals(PartnerEvent):
    @property
    def people(self) -> list[ReferralStatus]:
        return self.referrals

    @property
    def placements(self) -> int:
        return self.funnel.people("hired")

    @property
    def second_interviews(self) -> int:
        return sum(1 for p in self.referrals if p.second_interview)

    @property
    def shared_placements(self) -> int:
        return sum(1 for p in self.referrals if p.placed and p.shared)


def partner_results(session: Session, organization: Organization) -> list[EventReferrals]:
    """Every event where ``organization`` refers people, newest first, with each referral's progress."""
    return [
        EventReferrals(e.event, e.referral_code, e.referrals, e.funnel)
        for e in partner_events(session, organization)
    ]
