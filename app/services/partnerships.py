"""Referring partners of an event: job centers and community organizations, each with a referral
code that credits the people it sends."""

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.database import Session
from app.models import (
    AccessToken,
    Event,
    Organization,
    Partnership,
    Referral,
    TokenScope,
    User,
)
from app.services import audit, tokens
from app.services.constraints import broken_rule
from app.services.errors import DomainError
from app.services.events import refuse_if_archived

#: No 0/O or 1/I, so a code read aloud over the phone or copied from paper survives.
REFERRAL_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERRAL_CODE_LENGTH = 8


def new_referral_code() -> str:
    """8 characters from 32 (40 random bits): unguessable enough for a code that credits, grants nothing."""
    return "".join(secrets.choice(REFERRAL_CODE_ALPHABET) for _ in range(REFERRAL_CODE_LENGTH))


def unused_referral_code(session: Session) -> str:
    while True:
        code = new_referral_code()
        if session.scalar(select(Partnership.id).where(Partnership.referral_code == code)) is None:
            return code


def add_partner(
    session: Session, event: Event, organization: Organization, *, actor: User | None = None
) -> Partnership:
    """Make a job center or community organization a referring partner of an event, with a fresh
    referral code for its link."""
    refuse_if_archived(event)
    if not organization.kind.is_partner:
        raise DomainError(
            "not_a_partner", "Pick a job center or community organization.", field="organization"
        )
    for _attempt in range(5):
        partnership = Partnership(
            event_id=event.id, organization_id=organization.id, referral_code=unused_referral_code(session)
        )
        try:
            with session.begin_nested():
                session.add(partnership)
        except IntegrityError as exc:
            if broken_rule(exc) == "uq_partnerships_event_id_organization_id":
                raise DomainError(
                    "already_a_partner", f"{organization.name} is already a partner of this event.",
                    field="organization",
                ) from exc
            if broken_rule(exc) != "uq_partnerships_referral_code":
                raise
            continue  # another request took the same code a moment ago: draw again
        audit.record(session, "partnership.create", actor_user=actor, obj=partnership, event_id=event.id)
        return partnership
    raise DomainError("referral_code_unavailable", "Could not find a free referral code; try again.")


def remove_partnership(
    session: Session, partnership: Partnership, *, now: datetime, actor: User | None = None
) -> None:
    """Drop a partner from an event, and revoke its partner links for the event. Refused once it
    has referred anyone (that credit must stay)."""
    refuse_if_archived(partnership.event)
    referred = session.scalar(select(func.count()).where(Referral.partnership_id == partnership.id))
    if referred:
        raise DomainError(
            "has_referrals",
            f"{partnership.organization.name} cannot be removed: it referred {referred} "
            f"career seeker{'s' if referred != 1 else ''} to this event.",
        )
    partnership_id, event_id = partnership.id, partnership.event_id
    live_links = session.scalars(
        select(AccessToken).where(
            AccessToken.scope == TokenScope.PARTNER, AccessToken.event_id == event_id,
            AccessToken.organization_id == partnership.organization_id, AccessToken.revoked_at.is_(None),
        )
    )
    for token in live_links:
        tokens.revoke_token(session, token, now)
        audit.record(session, "token.revoke", actor_user=actor, obj=token, event_id=event_id, scope="partner")
    session.delete(partnership)
    session.flush()
    audit.record(
        session, "partnership.delete", actor_user=actor, event_id=event_id, partnership_id=partnership_id
    )


def referral_link(base_url: str, event: Event, partnership: Partnership) -> str:
    """The public registration link that credits ``partnership``."""
    return f"{base_url.rstrip('/')}/events/{event.slug}/register?ref={partnership.referral_code}"
