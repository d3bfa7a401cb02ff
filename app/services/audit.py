"""Writing the audit trail. Details may hold ids, counts and codes, never a person's data."""

import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.database import Session
from app.models import (
    AccessToken,
    AuditEntry,
    Booking,
    Candidate,
    Event,
    Interview,
    InterviewSlot,
    Organization,
    Participation,
    Partnership,
    Position,
    Registration,
    Survey,
    User,
    WebhookEndpoint,
)

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
    return list(session.execute(query))


def _person(candidate: Candidate) -> str:
    return "a removed person" if candidate.purged_at is not None else candidate.full_name


#: How the audit page names an entry's object, per ``object_type``: the model, what to load with
#: it, and the label. Names are looked up when the page is shown; the trail itself keeps only ids.
_NAMES: dict[str, tuple[type[Any], tuple[Any, ...], Callable[[Any], str]]] = {
    "Event": (Event, (), lambda e: e.name),
    "Registration": (Registration, (joinedload(Registration.candidate),), lambda r: _person(r.candidate)),
    "Candidate": (Candidate, (), _person),
    "Interview": (
        Interview,
        (
            joinedload(Interview.registration).joinedload(Registration.candidate),
            joinedload(Interview.participation).joinedload(Participation.organization),
        ),
        lambda i: f"{_person(i.registration.candidate)} with {i.participation.organization.name}",
    ),
    "Booking": (
        Booking,
        (
            joinedload(Booking.registration).joinedload(Registration.candidate),
            joinedload(Booking.slot)
            .joinedload(InterviewSlot.participation)
            .joinedload(Participation.organization),
        ),
        lambda b: f"{_person(b.registration.candidate)} with {b.slot.participation.organization.name}",
    ),
    "Participation": (
        Participation,
        (joinedload(Participation.organization),),
        lambda p: p.organization.name,
    ),
    "Position": (
        Position,
        (joinedload(Position.participation).joinedload(Participation.organization),),
        lambda p: f"{p.title}, {p.participation.organization.name}",
    ),
    "Partnership": (
        Partnership,
        (joinedload(Partnership.organization),),
        lambda p: f"{p.organization.name} (partner)",
    ),
    "Organization": (Organization, (), lambda o: o.name),
    "AccessToken": (AccessToken, (), lambda t: f"{t.scope.value} link “{t.name}”"),
    "User": (User, (), lambda u: u.name),
    "Survey": (Survey, (), lambda s: s.title_en),
    "WebhookEndpoint": (WebhookEndpoint, (joinedload(WebhookEndpoint.organization),),
                        lambda w: f"{w.organization.name}'s webhook {w.url}"),
}


def object_names(session: Session, entries: Iterable[AuditEntry]) -> dict[tuple[str, int], str]:
    """What staff recognise each entry's object by ("Destiny Freeman with Lakeshore Grand Hotel",
    not "Interview #1540"), keyed by ``(object_type, object_id)``: one query per kind of object.
    An object since deleted, or of a kind without a name, is left out (the page shows its id)."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_type in _NAMES and entry.object_id is not None:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        model, options, label = _NAMES[kind]
        for obj in session.scalars(select(model).where(model.id.in_(ids)).options(*options)).unique():
            names[(kind, obj.id)] = label(obj)
    return names


def event_names(session: Session, entries: Iterable[AuditEntry]) -> dict[int, str]:
    """The name of each entry's event, by id."""
    ids = {entry.event_id for entry in entries if entry.event_id is not None}
    return dict(session.execute(select(Event.id, Event.name).where(Event.id.in_(ids))).all()) if ids else {}
