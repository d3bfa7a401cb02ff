"""Random secrets (badge codes, link tokens), the hash they are stored under, and the access
tokens behind booth, partner and scanner-device links."""

import base64
import hashlib
import hmac
import secrets
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.database import Prepared, Session
from app.models import AccessToken, Event, Organization, Participation, TokenScope, User
from app.models.token import usable
from app.services.errors import DomainError


def new_secret() -> str:
    """256 random bits, URL-safe: for booth, partner, device and manage links."""
    return secrets.token_urlsafe(32)


def new_badge_code() -> str:
    """128 random bits in lower-case base32 (26 characters of a-z and 2-7): short enough for a QR
    code that scans fast, and the same code whatever case a handheld scanner types it in (Caps
    Lock on). Codes made before were URL-safe base64; they are matched without regard to case too
    (``models.registration.badge_code_is``)."""
    return base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=").lower()


def hash_secret(secret: str) -> str:
    """SHA-256 hex digest. Secrets carry 128+ random bits, so no salt or slow hash is needed."""
    return hashlib.sha256(secret.encode()).hexdigest()


def lookup_hash(secret: str) -> str | None:
    """The hash to look a presented secret up by, or None for one no token can have (empty, or
    too long to be ours: not worth hashing)."""
    return hash_secret(secret) if secret and len(secret) <= 100 else None


def issue_token(
    session: Session,
    scope: TokenScope,
    name: str,
    *,
    event: Event | None = None,
    participation: Participation | None = None,
    organization: Organization | None = None,
    expires_at: datetime | None = None,
    created_by: User | None = None,
) -> tuple[AccessToken, str]:
    """Create an access token; returns it with its secret, which is never stored and shown once."""
    name = name.strip()
    if not name:
        raise DomainError("name_required", "Give the link a name staff will recognise.", field="name")
    if scope == TokenScope.BOOTH and participation is None:
        raise DomainError("participation_required", "A booth link belongs to one employer at one event.")
    if scope == TokenScope.PARTNER and organization is None:
        raise DomainError("organization_required", "A partner link belongs to one partner organization.")
    if scope == TokenScope.DEVICE and event is None:
        raise DomainError("event_required", "A scanner device belongs to one event.")
    if participation is not None and event is None:
        event = participation.event
    secret = new_secret()
    token = AccessToken(
        token_hash=hash_secret(secret),
        scope=scope,
        name=name[:120],
        event=event,
        participation=participation,
        organization=organization,
        expires_at=expires_at,
        created_by_id=created_by.id if created_by else None,
    )
    session.add(token)
    session.flush()
    return token, secret


#: Built once: every booth tap looks its token up, and then its event.
_BY_HASH = (
    select(AccessToken)
    .options(joinedload(AccessToken.event))
    .where(AccessToken.token_hash == bindparam("token_hash"))
)


def find_usable_token(session: Session, secret: str, scope: TokenScope, now: datetime) -> AccessToken | None:
    """The unrevoked, unexpired token of ``scope`` whose secret this is, or None."""
    presented = lookup_hash(secret)
    if presented is None:
        return None
    token = session.scalar(_BY_HASH, {"token_hash": presented})
    if token is None or not hmac.compare_digest(token.token_hash, presented):
        return None
    if token.scope != scope or not token.is_usable(now):
        return None
    return token


class Device(NamedTuple):
    """A scanner device, as the check-in API knows it: its token, name and event."""

    id: int
    name: str
    event_id: int
    event_slug: str


_TOKENS, _EVENTS = AccessToken.__table__, Event.__table__
#: Read on every scan the check-in API takes, so it runs on the driver's cursor (``Prepared``).
#: It is read every time, not kept by the process: a device revoked by staff (in any worker, on
#: any host) stops at its next scan.
_DEVICE_BY_HASH = Prepared(
    select(
        _TOKENS.c.id, _TOKENS.c.name, _TOKENS.c.token_hash, _TOKENS.c.revoked_at, _TOKENS.c.expires_at,
        _EVENTS.c.id, _EVENTS.c.slug,
    )
    .select_from(_TOKENS.join(_EVENTS, _EVENTS.c.id == _TOKENS.c.event_id))
    .where(_TOKENS.c.token_hash == bindparam("token_hash"), _TOKENS.c.scope == TokenScope.DEVICE)
)


def find_device(session: Session, secret: str, now: datetime) -> Device | None:
    """The scanner device whose (unrevoked, unexpired) token this is, or None."""
    presented = lookup_hash(secret)
    if presented is None:
        return None
    row = _DEVICE_BY_HASH.first(session, {"token_hash": presented})
    if row is None or not hmac.compare_digest(row[2], presented):
        return None
    token_id, name, _, revoked_at, expires_at, event_id, event_slug = row
    if not usable(revoked_at, expires_at, now):
        return None
    return Device(token_id, name, event_id, event_slug)


def find_token(session: Session, secret: str, scope: TokenScope) -> AccessToken | None:
    """The token of ``scope`` whose secret this is, usable or not (to tell "expired" from "unknown")."""
    presented = lookup_hash(secret)
    if presented is None:
        return None
    token = session.scalar(_BY_HASH, {"token_hash": presented})
    return token if token is not None and token.scope == scope else None


def revoke_token(session: Session, token: AccessToken, now: datetime) -> None:
    """Stop a link working from now on. Revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
