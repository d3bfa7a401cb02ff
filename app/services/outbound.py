"""Messages on their way out: written to the database with what they tell about, then sent by
the job worker (``deliver``), retried, and listed for staff when every attempt failed.

A message goes out at most once once it is recorded as sent: the worker takes it in a
transaction of its own, sends, and records the sending; a worker killed between sending and
recording may send that one message again, never one already recorded. A worker killed before
sending leaves the message queued, and ``requeue_stalled`` (every minute) puts it back."""

import functools
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, orm, select, update
from sqlalchemy.engine import CursorResult

from app.database import Session
from app.models import Channel, MessageStatus, OutboundMessage
from app.services.errors import DomainError

log = logging.getLogger(__name__)

#: Tries before a message goes on the staff list of undelivered messages.
MAX_ATTEMPTS = 5
#: Seconds between tries (Huey waits this long before retrying a failed delivery).
RETRY_DELAY_S = 60
#: A message taken by a worker this long ago and still queued was lost with that worker.
STALLED_AFTER = timedelta(minutes=10)
_PENDING = "hireday_outbound_pending"
_COMMITTED = "hireday_outbound_committed"


class DeliveryError(Exception):
    """A provider refused or failed a message; ``code`` says how (no PII)."""

    def __init__(self, code: str, *, permanent: bool = False):
        super().__init__(code)
        self.code = code
        self.permanent = permanent


def queue_message(
    session: Session, channel: Channel, recipient: str, body: bytes, purpose: str, *,
    registration_id: int | None = None, once_key: str | None = None, send_after: datetime | None = None,
) -> OutboundMessage | None:
    """Record a message to send once the caller's transaction commits. With ``once_key``, a
    second message under the same key is not added (None is returned)."""
    if once_key is not None and session.scalar(
        select(OutboundMessage.id).where(OutboundMessage.once_key == once_key)
    ) is not None:
        return None
    message = OutboundMessage(channel=channel, recipient=recipient, body=body, purpose=purpose,
                              registration_id=registration_id, once_key=once_key, send_after=send_after,
                              attempts=0)
    session.add(message)
    session.flush()
    _pending(session, message)
    return message


def _pending(session: Session, message: OutboundMessage) -> None:
    """Note ``message`` (and when it may go) for ``dispatch`` once this transaction commits."""
    session.info.setdefault(_PENDING, []).append((message.id, message.send_after))


@event.listens_for(orm.Session, "after_commit")
def _committed(session: orm.Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_COMMITTED, []).extend(pending)


@event.listens_for(orm.Session, "after_rollback")
def _rolled_back(session: orm.Session) -> None:
    session.info.pop(_PENDING, None)


def dispatch(session: Session) -> int:
    """Queue a delivery job for each message committed since the last call. Returns how many."""
    committed = session.info.pop(_COMMITTED, None)
    if not committed:
        return 0
    from app.jobs import deliver_message
    from app.queue import enqueue_safely

    for message_id, send_after in committed:
        if send_after is not None:
            enqueue_safely(functools.partial(deliver_message.schedule, args=(message_id,), eta=send_after))
        else:
            enqueue_safely(deliver_message, message_id)
    return len(committed)


def deliver(session: Session, message_id: int, now: datetime) -> OutboundMessage | None:
    """Send one message, unless it was sent or withdrawn already. Raises ``DeliveryError`` when
    this attempt failed and another should follow (the job queue retries it)."""
    message = session.scalar(
        select(OutboundMessage).where(OutboundMessage.id == message_id).with_for_update()
    )
    if message is None or message.status != MessageStatus.QUEUED:
        session.rollback()
        return message
    if message.send_after is not None and message.send_after > now:
        session.rollback()  # held (quiet hours): the job scheduled for then sends it
        return message
    from app.services import reminders

    if reminders.is_reminder(message) and not reminders.still_wanted(session, message.registration_id):
        message.status = MessageStatus.WITHDRAWN  # cancelled or checked in since it was queued
        session.commit()
        return message
    message.attempts += 1
    message.attempted_at = now
    attempt = message.attempts
    channel, recipient, body = message.channel, message.recipient, message.body
    session.commit()  # the attempt is recorded before anything leaves

    try:
        provider_id = _send(channel, recipient, body)
    except DeliveryError as error:
        return _failed(session, message_id, error.code, attempt, permanent=error.permanent)
    except Exception as error:  # a provider library's own failure: retried like the others
        return _failed(session, message_id, type(error).__name__, attempt, permanent=False)
    session.execute(
        update(OutboundMessage).where(OutboundMessage.id == message_id)
        .values(status=MessageStatus.SENT, sent_at=now, provider_id=provider_id, last_error=None)
    )
    session.commit()
    return session.get(OutboundMessage, message_id)


def _send(channel: Channel, recipient: str, body: bytes) -> str | None:
    if channel == Channel.EMAIL:
        from app.services.mail import deliver_email

        deliver_email(body)
        return None
    from app.services.sms import deliver_sms

    return deliver_sms(recipient, body.decode())


def _failed(session: Session, message_id: int, code: str, attempt: int, *, permanent: bool):
    final = permanent or attempt >= MAX_ATTEMPTS
    session.execute(
        update(OutboundMessage).where(OutboundMessage.id == message_id)
        .values(last_error=code[:200], **({"status": MessageStatus.FAILED} if final else {}))
    )
    session.commit()
    # The log says which message and why, never to whom.
    log.warning("message %s: attempt %s failed (%s)%s", message_id, attempt, code,
                "; on the undelivered list" if final else "; will retry")
    if not final:
        raise DeliveryError(code)
    return session.get(OutboundMessage, message_id)


def requeue_stalled(session: Session, now: datetime) -> list[int]:
    """Messages still queued that no worker holds: never taken (the queue was unreachable when
    they were written) or taken by a worker that died. Their ids, to queue again."""
    return list(session.scalars(
        select(OutboundMessage.id).where(
            OutboundMessage.status == MessageStatus.QUEUED,
            OutboundMessage.created_at < now - timedelta(minutes=2),
            (OutboundMessage.send_after.is_(None)) | (OutboundMessage.send_after <= now),
            (OutboundMessage.attempted_at.is_(None)) | (OutboundMessage.attempted_at < now - STALLED_AFTER),
        ).order_by(OutboundMessage.id).limit(1000)
    ))


def undelivered(session: Session) -> list[OutboundMessage]:
    """The staff list: messages every attempt failed for, newest first."""
    return list(session.scalars(
        select(OutboundMessage).where(OutboundMessage.status == MessageStatus.FAILED)
        .order_by(OutboundMessage.id.desc()).limit(500)
    ))


def send_again(session: Session, message_id: int) -> OutboundMessage:
    """Staff: try an undelivered message again (after fixing the mail server, say)."""
    message = session.get(OutboundMessage, message_id)
    if message is None or message.status != MessageStatus.FAILED:
        raise DomainError("not_failed", "That message is not on the undelivered list any more.")
    message.status, message.attempts, message.attempted_at = MessageStatus.QUEUED, 0, None
    session.flush()
    _pending(session, message)
    return message


def withdraw_for_registration(session: Session, registration_id: int, purposes: tuple[str, ...]) -> int:
    """Reminders not sent yet to someone who cancelled or came: they are not sent."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]  # an UPDATE's result has a rowcount
        update(OutboundMessage).where(
            OutboundMessage.registration_id == registration_id,
            OutboundMessage.status == MessageStatus.QUEUED,
            OutboundMessage.purpose.in_(purposes),
        ).values(status=MessageStatus.WITHDRAWN)
    )
    return result.rowcount or 0
