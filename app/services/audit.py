"""Writing the audit trail. Details may hold ids, counts and codes, never a person's data."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AccessToken, AuditEntry, Event, User

#: A detail string must look like a code (``checked_in``, ``door-2``), which keeps names,
#: emails, phones and free text out of the trail by construction.
_CODE = re.compile(r"^[a-z0-9_.:\-]{0,64}$")
#: A run of digits as long as a phone number.
_PHONE_LIKE = re.compile(r"\d{7,}")


def _event_id_of(obj: object | None) -> int | None:
    return obj.id if isinstance(obj, Event) else getattr(obj, "event_id", None)


def record(
    session: Session,
    action: str,
    *,
    actor_user: User | None = None,
    actor_token: AccessToken | None = None,
    obj: object | None = None,
    event_id: int | None = None,
    **details: int | float | bool | str | None,
) -> AuditEntry:
    """Append one audit entry. Raises ``ValueError`` for a detail that is not an id, number or code."""
    for key, value in details.items():
        if isinstance(value, str) and (not _CODE.match(value) or _PHONE_LIKE.search(value)):
            raise ValueError(f"audit detail {key!r} is not a code; personal data never goes in the trail")
        if not isinstance(value, int | float | bool | str | type(None)):
            raise ValueError(f"audit detail {key!r} must be an id, number or code")
    entry = AuditEntry(
        action=action,
        actor_user_id=actor_user.id if actor_user else None,
        actor_token_id=actor_token.id if actor_token else None,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        event_id=event_id if event_id is not None else _event_id_of(obj),
        details=details,
    )
    session.add(entry)
    session.flush()
    return entry


def recent(
    session: Session, *, event_id: int | None = None, action_prefix: str = "", limit: int = 200
) -> list[tuple[AuditEntry, str | None, str | None]]:
    """The newest entries, with who did it (a user's name, or a token's label), for staff to read."""
    query = (
        select(AuditEntry, User.name, AccessToken.name)
        .outerjoin(User, User.id == AuditEntry.actor_user_id)
        .outerjoin(AccessToken, AccessToken.id == AuditEntry.actor_token_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    if event_id is not None:
        query = query.where(AuditEntry.event_id == event_id)
    if action_prefix:
        query = query.where(AuditEntry.action.startswith(action_prefix, autoescape=True))
    return [tuple(row) for row in session.execute(query).all()]
