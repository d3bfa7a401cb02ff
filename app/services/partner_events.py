"""What a referring partner's system hears about its referrals, written where each thing happens.

A service calls ``emit`` inside its own transaction: for every partner that referred the person
and has an enabled webhook endpoint, one row per endpoint is written (the outbox): what happened,
when, to whom. Nothing is sent here: once the transaction commits, a delivery job for the
endpoint goes on the queue (``webhook_delivery.dispatch``), which makes the payload at its first
attempt, from the referral as the partner's page shows it then, and keeps it for every retry. So
a partner's slow or dead server never slows a scan, a registration or a booth save, and the door
pays two small statements for a referred person. When several partners referred one
person, each gets its own message about its own referral and nothing about the others.

The payload follows the Standard Webhooks shape: ``{"type", "timestamp", "data"}``."""

import enum
import json
import secrets
from datetime import datetime
from typing import NamedTuple, cast

from sqlalchemy import Table, bindparam, event, insert, orm, select

from app.database import Prepared, Session
from app.models import (
    Interview,
    Partnership,
    Referral,
    RegistrationStatus,
    WebhookEndpoint,
    WebhookMessage,
    WebhookStatus,
    utcnow,
)

_PENDING = "hireday_webhooks_pending"
_COMMITTED = "hireday_webhooks_committed"


class PartnerEvent(enum.StrEnum):
    """The events a partner's endpoint receives, in the order a person usually meets them."""

    REGISTERED = "referral.registered"
    WAITLISTED = "referral.waitlisted"
    CANCELLED = "referral.cancelled"
    CHECKED_IN = "referral.checked_in"
    INTERVIEWED = "referral.interviewed"
    OFFERED = "referral.offered"
    HIRED = "referral.hired"
    SURVEY_COMPLETED = "referral.survey_completed"


def for_status(status: RegistrationStatus) -> PartnerEvent:
    """The event a registration's status is told with (a new one, or a partner credited later)."""
    return {
        RegistrationStatus.REGISTERED: PartnerEvent.REGISTERED,
        RegistrationStatus.WAITLISTED: PartnerEvent.WAITLISTED,
        RegistrationStatus.CANCELLED: PartnerEvent.CANCELLED,
    }[status]


#: What "send a test event" sends: no person in it.
TEST_EVENT = "webhook.test"

_REFERRALS, _PARTNERSHIPS, _ENDPOINTS = Referral.__table__, Partnership.__table__, WebhookEndpoint.__table__
_MESSAGES = cast(Table, WebhookMessage.__table__)
#: Who listens for news of one registration: each referral with an enabled endpoint of its
#: partner. One indexed statement; on the hot path (a scan) it usually finds nothing.
_LISTENERS = Prepared(
    select(_REFERRALS.c.id, _REFERRALS.c.partnership_id, _ENDPOINTS.c.id)
    .select_from(
        _REFERRALS.join(_PARTNERSHIPS, _PARTNERSHIPS.c.id == _REFERRALS.c.partnership_id).join(
            _ENDPOINTS, _ENDPOINTS.c.organization_id == _PARTNERSHIPS.c.organization_id
        )
    )
    .where(_REFERRALS.c.registration_id == bindparam("registration_id"), _ENDPOINTS.c.enabled.is_(True))
    .order_by(_REFERRALS.c.id, _ENDPOINTS.c.id)
)
_WRITE = Prepared(insert(_MESSAGES).returning(_MESSAGES.c.id))


def new_message_id() -> str:
    """The ``webhook-id`` of a message: ``msg_`` and 128 random bits."""
    return "msg_" + secrets.token_urlsafe(16)


def envelope(event_type: str, data: dict, at: datetime) -> str:
    """The JSON body of a message, exactly as it is signed and sent."""
    return json.dumps(
        {"type": event_type, "timestamp": _iso(at), "data": data}, ensure_ascii=False, separators=(",", ":")
    )


def emit(
    session: Session,
    registration_id: int,
    kind: PartnerEvent,
    occurred_at: datetime,
    *,
    interview: Interview | None = None,
    partnership_id: int | None = None,
) -> int:
    """Write ``kind`` for every referring partner of the registration that listens (only for
    ``partnership_id`` when given: a partner credited just now). Returns how many messages.

    Cheap enough for the door: one statement finds the listeners (usually none), one row per
    endpoint is inserted; the payload is made by the worker (``payload_for``)."""
    listeners = _LISTENERS.rows(session, {"registration_id": registration_id})
    if partnership_id is not None:
        listeners = [row for row in listeners if row[1] == partnership_id]
    for referral_id, _partnership_id, endpoint_id in listeners:
        write(
            session,
            endpoint_id,
            kind.value,
            occurred_at,
            registration_id=registration_id,
            referral_id=referral_id,
            interview_id=interview.id if interview is not None else None,
        )
    return len(listeners)


def write(
    session: Session,
    endpoint_id: int,
    event_type: str,
    occurred_at: datetime,
    *,
    payload: str | None = None,
    registration_id: int | None = None,
    referral_id: int | None = None,
    interview_id: int | None = None,
) -> int:
    """One message in the outbox, delivered after the caller's transaction commits; its id."""
    written = utcnow()
    row = {
        "endpoint_id": endpoint_id,
        "message_id": new_message_id(),
        "event_type": event_type,
        "registration_id": registration_id,
        "referral_id": referral_id,
        "interview_id": interview_id,
        "occurred_at": occurred_at,
        "payload": payload,
        "status": WebhookStatus.PENDING,
        "created_at": written,
        "attempts": 0,
        "next_attempt_at": written,
    }
    [(message_pk,)] = _WRITE.rows(session, row)
    note_for_dispatch(session, endpoint_id, Written(message_pk, test=event_type == TEST_EVENT))
    return message_pk


#: The funnel stages an interview reaches, in order, and the event that tells each.
_INTERVIEW_STAGES = (PartnerEvent.INTERVIEWED, PartnerEvent.OFFERED, PartnerEvent.HIRED)
#: ``stages_of`` an interview that has reached none of them.
NOT_REACHED = (False, False, False)


def stages_of(interview: Interview) -> tuple[bool, bool, bool]:
    """Whether the interview took place, ended in an offer, led to a hire (``Interview``'s own rules)."""
    return interview.held, interview.offered, interview.hired


def emit_interview_progress(
    session: Session,
    interview: Interview,
    before: tuple[bool, bool, bool],
    now: datetime,
) -> int:
    """``interviewed``, ``offered``, ``hired``: each stage the interview reached since ``before``
    (``stages_of`` it then), in that order. A correction that goes back and forth tells a stage
    again only after it had been taken back."""
    reached = [
        kind
        for kind, was, now_is in zip(_INTERVIEW_STAGES, before, stages_of(interview), strict=True)
        if now_is and not was
    ]
    return sum(emit(session, interview.registration_id, kind, now, interview=interview) for kind in reached)


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


# --- After commit: a delivery job per endpoint ---------------------------------------------------


class Written(NamedTuple):
    """A message written in this transaction, for ``dispatch`` to act on once it commits."""

    message_pk: int
    test: bool = False


def note_for_dispatch(session: Session, endpoint_id: int, written: Written | None = None) -> None:
    """Once this transaction commits, see to ``endpoint_id``: a message ``written`` to it, or (without
    one) whatever waits there now (after a staff retry, say)."""
    session.info.setdefault(_PENDING, set()).add((endpoint_id, written))


@event.listens_for(orm.Session, "after_commit")
def _committed(session: orm.Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_COMMITTED, set()).update(pending)


@event.listens_for(orm.Session, "after_rollback")
def _rolled_back(session: orm.Session) -> None:
    session.info.pop(_PENDING, None)


def take_committed(session: Session) -> set[tuple[int, Written | None]]:
    """What was noted for delivery (``note_for_dispatch``) and committed since the last call."""
    return session.info.pop(_COMMITTED, None) or set()
