"""Links for people without an account: booth tablet links, partner page links and door scanner
tokens, issued per event (stored hashed) and revoked by staff."""

from datetime import datetime, timedelta

from sqlalchemy import select

from app.database import Session
from app.models import AccessToken, Event, Participation, Partnership, TokenScope, User
from app.services import audit, tokens
from app.services.errors import DomainError
from app.services.participations import table_order

#: Scanner devices keep working a little after the event, for late uploads of offline scans.
DEVICE_TOKEN_DAYS = 2


def issue_partner_link(
    session: Session, partnership: Partnership, *, actor: User | None = None
) -> tuple[AccessToken, str]:
    """A partner's own page link (stored hashed: the secret is returned once). Partners follow hires
    for months after an event, so it has no expiry; staff revoke it when needed."""
    token, secret = tokens.issue_token(
        session, TokenScope.PARTNER, partnership.organization.name,
        event=partnership.event, organization=partnership.organization, created_by=actor,
    )
    audit.record(
        session, "token.issue", actor_user=actor, obj=token, event_id=partnership.event_id, scope="partner"
    )
    return token, secret


def _refuse_if_already_expired(expires_at: datetime, now: datetime, what: str) -> None:
    if expires_at <= now:
        raise DomainError(
            "link_would_be_expired", f"This event is too long over: a new {what} would not work anymore."
        )


def issue_booth_link(
    session: Session,
    participation: Participation,
    *,
    valid_days: int,
    now: datetime,
    actor: User | None = None,
) -> tuple[AccessToken, str]:
    """An employer's booth tablet link, valid until ``valid_days`` after the event (to confirm hires)."""
    event = participation.event
    expires_at = event.ends_at + timedelta(days=valid_days)
    _refuse_if_already_expired(expires_at, now, "booth link")
    token, secret = tokens.issue_token(
        session, TokenScope.BOOTH, participation.organization.name,
        participation=participation, event=event, expires_at=expires_at, created_by=actor,
    )
    audit.record(session, "token.issue", actor_user=actor, obj=token, event_id=event.id, scope="booth")
    return token, secret


def issue_booth_links(
    session: Session, event: Event, *, valid_days: int, now: datetime, actor: User | None = None
) -> list[tuple[Participation, AccessToken, str]]:
    """A new booth link for every employer at the event, in table order, to hand out (or e-mail)
    at once; the earlier links keep working until revoked."""
    return [
        (
            participation,
            *issue_booth_link(session, participation, valid_days=valid_days, now=now, actor=actor),
        )
        for participation in sorted(event.participations, key=table_order)
    ]


def issue_device_token(
    session: Session, event: Event, name: str, *, now: datetime, actor: User | None = None
) -> tuple[AccessToken, str]:
    """A door scanner's token for this event, valid until shortly after it ends."""
    expires_at = event.ends_at + timedelta(days=DEVICE_TOKEN_DAYS)
    _refuse_if_already_expired(expires_at, now, "scanner token")
    token, secret = tokens.issue_token(
        session, TokenScope.DEVICE, name, event=event, expires_at=expires_at, created_by=actor,
    )
    audit.record(session, "token.issue", actor_user=actor, obj=token, event_id=event.id, scope="device")
    return token, secret


def event_links(session: Session, event: Event) -> list[AccessToken]:
    """Every booth, partner and device link issued for the event, newest first."""
    return list(
        session.scalars(
            select(AccessToken)
            .where(AccessToken.event_id == event.id)
            .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
        )
    )


def revoke_link(
    session: Session, event: Event, token_id: int, now: datetime, *, actor: User | None = None
) -> AccessToken:
    token = session.get(AccessToken, token_id)
    if token is None or token.event_id != event.id:
        raise DomainError("link_not_found", "There is no such link for this event.")
    tokens.revoke_token(session, token, now)
    audit.record(
        session, "token.revoke", actor_user=actor, obj=token, event_id=event.id, scope=token.scope.value
    )
    return token
