"""A person's referrals, as the person sees them on their own page: which organizations referred
them, and whether each may learn the terms of job offers they receive (position, wage, start date).
The person gives or withdraws that consent per organization; staff never set it."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.database import Session
from app.models import Partnership, Referral, Registration
from app.services import audit
from app.services.errors import DomainError


@dataclass(frozen=True)
class PersonReferral:
    id: int
    organization: str
    shares_offers: bool


def person_referrals(session: Session, registration: Registration) -> list[PersonReferral]:
    """The organizations that referred this registration, by name."""
    rows = session.scalars(
        select(Referral).where(Referral.registration_id == registration.id)
        .options(joinedload(Referral.partnership).joinedload(Partnership.organization)).order_by(Referral.id)
    ).all()
    return [PersonReferral(r.id, r.partnership.organization.name, r.shares_offers) for r in rows]


def set_offer_sharing(
    session: Session, registration: Registration, referral_id: int, share: bool, now: datetime
) -> Referral:
    """Give or withdraw the consent to share offers with one referring partner of ``registration``.
    Saying the same again changes nothing (and keeps the time it was said)."""
    referral = session.scalar(
        select(Referral).where(Referral.id == referral_id, Referral.registration_id == registration.id)
    )
    if referral is None:
        raise DomainError("unknown_referral", _l("That organization did not refer you."))
    if referral.shares_offers != share:
        referral.shares_offers = share
        referral.shares_offers_changed_at = now
        audit.record(session, "referral.offer_sharing", obj=referral, shares_offers=share)
        session.flush()
    return referral
