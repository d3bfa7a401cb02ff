"""Delivering webhook messages: signed (Standard Webhooks, with the ``standardwebhooks`` package),
in order per endpoint, retried with backoff, and logged.

- **In order.** One worker at a time delivers to an endpoint (it holds the endpoint's lease) and
  takes its messages oldest first; while the oldest is failing, the later ones wait behind it.
  One that failed every retry stops the endpoint until staff retry it, so nothing is skipped.
- **Once, with a stable id.** An attempt is recorded (and committed) before anything is sent, and
  success after; a worker killed in between leaves that one message pending, and the next worker
  sends it again with the same ``webhook-id``, which a receiver can use to ignore the repeat.
  Nothing already recorded as delivered is sent again.
- **A slow receiver costs little.** No database transaction is open while a request is out; the
  request has ``WEBHOOK_TIMEOUT_S`` to connect and answer; redirects are not followed; only the
  first few hundred characters of an answer are read and kept.
- **Only allowed addresses** (``webhook_urls``): the address connected to is the one checked."""

import http.client
import logging
import secrets
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, bindparam, exists, func, or_, select, update
from sqlalchemy.orm import aliased
from standardwebhooks import Webhook

from app.database import Prepared, Session
from app.models import Interview, Referral, WebhookEndpoint, WebhookMessage, WebhookStatus, utcnow
from app.services import partner_view
from app.services.errors import DomainError
from app.services.partner_events import (
    TEST_EVENT,
    envelope,
    note_for_dispatch,
    take_committed,
    write,
)
from app.services.webhook_endpoints import signing_secrets
from app.services.webhook_urls import Policy, current_policy, parse, resolve

log = logging.getLogger(__name__)

#: How much of a receiver's answer is read and kept (for the partner's debugging).
EXCERPT_CHARS = 300
#: A lease outlives one attempt by this much; a worker that died lets go when it runs out.
LEASE_MARGIN = timedelta(seconds=30)
#: A pending message no worker has taken this long after it was due was lost with its job.
STALLED_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Settings:
    timeout_s: float
    #: Seconds before each retry; attempts = 1 + len(retry_schedule).
    retry_schedule: tuple[int, ...]
    policy: Policy


def current_settings() -> Settings:
    """The installation's settings (``WEBHOOK_TIMEOUT_S``, ``WEBHOOK_RETRY_SCHEDULE``, the URL policy)."""
    from flask import current_app

    schedule = str(current_app.config.get("WEBHOOK_RETRY_SCHEDULE", ""))
    return Settings(
        timeout_s=float(current_app.config.get("WEBHOOK_TIMEOUT_S", 5)),
        retry_schedule=tuple(int(part) for part in schedule.replace(" ", "").split(",") if part),
        policy=current_policy(),
    )


@dataclass(frozen=True)
class Answer:
    """How a receiver answered one attempt."""

    status_code: int | None
    #: None when it worked; else a code (``timeout``, ``http_503``, ``redirect_not_followed`` …).
    error: str | None
    excerpt: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


Sender = Callable[[str, dict[str, str], bytes, Settings], Answer]


# --- One HTTP request -----------------------------------------------------------------------------


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to an address checked beforehand, whatever the name resolves to by then."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def post(url: str, headers: dict[str, str], body: bytes, settings: Settings) -> Answer:
    """POST ``body`` to ``url``: 2xx is delivered; anything else (a redirect too) is a failure."""
    try:
        target = parse(url, settings.policy)
        addresses = resolve(target, settings.policy)
    except DomainError as error:
        return Answer(None, error.code)
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    deadline = time.monotonic() + settings.timeout_s
    connection = kind(target.host, target.port, addresses[0], settings.timeout_s)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        connection.sock.settimeout(max(0.1, deadline - time.monotonic()))
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_CHARS * 4).decode("utf-8", "replace")[:EXCERPT_CHARS]
    except TimeoutError:
        return Answer(None, "timeout")
    except ConnectionRefusedError:
        return Answer(None, "connection_refused")
    except ssl.SSLError as error:
        return Answer(None, f"tls_{type(error).__name__}")
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, type(error).__name__)
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return Answer(response.status, None, excerpt)
    if 300 <= response.status < 400:
        return Answer(response.status, "redirect_not_followed", excerpt)
    return Answer(response.status, f"http_{response.status}", excerpt)


def signed_headers(message_id: str, body: str, signing: list[str], sent_at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers: the message's id, when this attempt was made, and one
    signature per secret in use (space-separated, as the specification allows during a rotation)."""
    signatures = " ".join(Webhook(secret).sign(message_id, sent_at, body) for secret in signing)
    return {
        "Content-Type": "application/json",
        "User-Agent": "HireDay-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signatures,
    }


# --- What a message says ---------------------------------------------------------------------------


def payload_for(session: Session, message: WebhookMessage) -> str:
    """The body of a referral event, made at its first attempt (the scan that wrote the message
    paid for none of this): the referral as its partner's page and the partner API show it then
    (``partner_view``: its own referral only; offer terms only with the person's consent for this
    partner), and the employer when the event is about an interview."""
    data: dict = {}
    if message.interview_id is not None:
        interview = session.get(Interview, message.interview_id)
        if interview is not None:
            data["employer"] = interview.participation.organization.name
    referral = session.get(Referral, message.referral_id) if message.referral_id is not None else None
    if referral is not None:
        data["referral"] = partner_view.as_json(partner_view.referral_status(session, referral))
    return envelope(message.event_type, data, message.occurred_at)


# --- Delivering in order ----------------------------------------------------------------------------


def _head(session: Session, endpoint_id: int) -> WebhookMessage | None:
    """The endpoint's oldest message not delivered yet (test messages go on their own)."""
    return session.scalar(
        select(WebhookMessage)
        .where(
            WebhookMessage.endpoint_id == endpoint_id,
            WebhookMessage.status != WebhookStatus.DELIVERED,
            WebhookMessage.event_type != TEST_EVENT,
        )
        .order_by(WebhookMessage.id)
        .limit(1)
        .execution_options(populate_existing=True)
    )


def _take_lease(session: Session, endpoint_id: int, lease: str, until: datetime, now: datetime) -> bool:
    taken: CursorResult[Any] = session.execute(  # type: ignore[assignment]  # an UPDATE's result has a rowcount
        update(WebhookEndpoint)
        .where(
            WebhookEndpoint.id == endpoint_id,
            or_(WebhookEndpoint.lease_until.is_(None), WebhookEndpoint.lease_until < now),
        )
        .values(lease_token=lease, lease_until=until)
    )
    session.commit()
    return bool(taken.rowcount)


def _release_lease(session: Session, endpoint_id: int, lease: str) -> None:
    session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.lease_token == lease)
        .values(lease_token=None, lease_until=None)
    )
    session.commit()


def deliver_waiting(
    session: Session,
    endpoint_id: int,
    now: datetime,
    settings: Settings,
    *,
    send: Sender = post,
) -> datetime | None:
    """Deliver the endpoint's waiting messages in order, until none is due. Returns when the next
    retry is due (the caller schedules a job for then), or None. Another worker delivering to
    the endpoint already takes these messages too: this call then does nothing."""
    started = time.monotonic()

    def clock() -> datetime:
        return now + timedelta(seconds=time.monotonic() - started)

    lease = secrets.token_hex(16)
    span = timedelta(seconds=settings.timeout_s) + LEASE_MARGIN
    retry_at = None
    while _take_lease(session, endpoint_id, lease, clock() + span, clock()):
        try:
            retry_at = _deliver_in_order(session, endpoint_id, lease, clock, settings, send)
        finally:
            _release_lease(session, endpoint_id, lease)
        # A message written while the lease was held whose job found the lease taken: take it now.
        if retry_at is not None or not _due(session, endpoint_id, clock()):
            break
    session.rollback()
    return retry_at


def _deliver_in_order(
    session: Session,
    endpoint_id: int,
    lease: str,
    clock: Callable[[], datetime],
    settings: Settings,
    send: Sender,
) -> datetime | None:
    while True:
        endpoint = session.get(WebhookEndpoint, endpoint_id, populate_existing=True)
        message = _head(session, endpoint_id)
        if (
            endpoint is None
            or not endpoint.enabled
            or message is None
            or message.status == WebhookStatus.FAILED
        ):
            return None
        at = clock()
        if message.next_attempt_at > at:
            return None  # the attempt that failed scheduled its own retry
        endpoint.lease_until = at + timedelta(seconds=settings.timeout_s) + LEASE_MARGIN
        if not _attempt(session, endpoint, message, at, settings, send):
            session.expire_all()
            failed = session.get(WebhookMessage, message.id)
            return (
                failed.next_attempt_at
                if failed is not None and failed.status == WebhookStatus.PENDING
                else None
            )


def _attempt(
    session: Session,
    endpoint: WebhookEndpoint,
    message: WebhookMessage,
    at: datetime,
    settings: Settings,
    send: Sender,
    *,
    retries: bool = True,
) -> bool:
    """One attempt at ``message``: recorded before it is sent, its result after. True if delivered."""
    if message.payload is None:
        message.payload = payload_for(session, message)  # made once: every attempt sends the same body
    message.attempts += 1
    message.attempted_at = at
    attempt, message_pk, message_id = message.attempts, message.id, message.message_id
    url, body, signing = endpoint.url, message.payload, signing_secrets(endpoint, at)
    session.commit()  # the attempt is on record before anything leaves; no transaction stays open

    answer = send(url, signed_headers(message_id, body, signing, datetime.now(UTC)), body.encode(), settings)
    values: dict = {"last_status_code": answer.status_code, "response_excerpt": answer.excerpt}
    if answer.ok:
        values |= {"status": WebhookStatus.DELIVERED, "delivered_at": at, "last_error": None}
    else:
        delay = (
            settings.retry_schedule[attempt - 1]
            if retries and attempt <= len(settings.retry_schedule)
            else None
        )
        values["last_error"] = answer.error[:200] if answer.error else None
        if delay is None:
            values["status"] = WebhookStatus.FAILED
        else:
            values["next_attempt_at"] = at + timedelta(seconds=delay)
        # The log says which message and why, never what it carries.
        log.warning(
            "webhook message %s: attempt %s failed (%s)%s",
            message_pk,
            attempt,
            answer.error,
            "; will retry" if delay is not None else "; failed",
        )
    session.execute(update(WebhookMessage).where(WebhookMessage.id == message_pk).values(**values))
    session.commit()
    return answer.ok


def _due(session: Session, endpoint_id: int, now: datetime) -> bool:
    message = _head(session, endpoint_id)
    return message is not None and message.status == WebhookStatus.PENDING and message.next_attempt_at <= now


_ENDPOINTS, _MESSAGES = WebhookEndpoint.__table__, WebhookMessage.__table__


def _head_column(column):
    return (
        select(column)
        .where(
            _MESSAGES.c.endpoint_id == _ENDPOINTS.c.id,
            _MESSAGES.c.status != WebhookStatus.DELIVERED,
            _MESSAGES.c.event_type != TEST_EVENT,
        )
        .order_by(_MESSAGES.c.id)
        .limit(1)
        .scalar_subquery()
    )


#: An endpoint's switch and lease, and its oldest waiting message: one statement, run after every
#: commit that wrote a message (a scan of a referred person, say).
_DUE = Prepared(
    select(
        _ENDPOINTS.c.enabled,
        _ENDPOINTS.c.lease_until,
        _head_column(_MESSAGES.c.id),
        _head_column(_MESSAGES.c.status),
        _head_column(_MESSAGES.c.next_attempt_at),
    ).where(_ENDPOINTS.c.id == bindparam("endpoint_id"))
)


def delivery_due(
    session: Session, endpoint_id: int, now: datetime, *, only_for: set[int] | None = None
) -> bool:
    """Whether a delivery job for the endpoint has anything to do: it is on, nobody holds it, and
    its oldest waiting message is due (and, with ``only_for``, is one of those messages). Reads
    only: a worker that holds the endpoint, a retry scheduled for later, or the job queued for an
    older message takes every message behind it, in order."""
    row = _DUE.first(session, {"endpoint_id": endpoint_id})
    if row is None:
        return False
    enabled, lease_until, head_id, head_status, head_due_at = row
    return (
        bool(enabled)
        and (lease_until is None or lease_until < now)
        and (only_for is None or head_id in only_for)
        and head_status == WebhookStatus.PENDING
        and head_due_at is not None
        and head_due_at <= now
    )


def dispatch(session: Session) -> int:
    """After a commit that wrote webhook messages: queue a job for each test message, and a delivery
    job for an endpoint only when one of the messages just written is its oldest waiting one (the
    endpoint was idle). A message behind others is taken by whatever takes those, so a partner
    whose server is failing costs a scan no job on the queue. Returns how many jobs were queued."""
    committed = take_committed(session)
    if not committed:
        return 0
    from app.jobs import deliver_test_webhook, deliver_webhooks
    from app.queue import enqueue_safely

    now, queued = utcnow(), 0
    by_endpoint: dict[int, set[int] | None] = {}
    for endpoint_id, written in committed:
        if written is not None and written.test:
            queued += enqueue_safely(deliver_test_webhook, written.message_pk)
        elif written is None:
            by_endpoint[endpoint_id] = None  # look at whatever waits there
        elif (waiting := by_endpoint.setdefault(endpoint_id, set())) is not None:
            waiting.add(written.message_pk)
    for endpoint_id, messages in sorted(by_endpoint.items()):
        if delivery_due(session, endpoint_id, now, only_for=messages):
            queued += enqueue_safely(deliver_webhooks, endpoint_id)
    return queued


def deliver_test(
    session: Session, message_pk: int, now: datetime, settings: Settings, *, send: Sender = post
) -> bool:
    """Send a test message once (no retries: its result is what the partner wanted to see). When
    it is delivered, the endpoint's waiting messages are due at once instead of at their next retry."""
    message = session.get(WebhookMessage, message_pk)
    if message is None or message.status != WebhookStatus.PENDING or message.event_type != TEST_EVENT:
        session.rollback()
        return False
    endpoint = message.endpoint
    endpoint_id = endpoint.id
    delivered = _attempt(session, endpoint, message, now, settings, send, retries=False)
    if delivered:
        session.execute(
            update(WebhookMessage)
            .where(
                WebhookMessage.endpoint_id == endpoint_id,
                WebhookMessage.status == WebhookStatus.PENDING,
                WebhookMessage.event_type != TEST_EVENT,
                WebhookMessage.next_attempt_at > now,
            )
            .values(next_attempt_at=now)
        )
        note_for_dispatch(session, endpoint_id)
        session.commit()
    return delivered


# --- What staff and partners do -------------------------------------------------------------------


def send_test_event(session: Session, endpoint: WebhookEndpoint, now: datetime) -> int:
    """Write a ``webhook.test`` message for ``endpoint``; it goes out on its own once committed."""
    body = envelope(
        TEST_EVENT,
        {
            "organization": endpoint.organization.name,
            "message": "A test event from HireDay: your endpoint is reachable.",
        },
        now,
    )
    return write(session, endpoint.id, TEST_EVENT, now, payload=body)


def retry(session: Session, endpoint: WebhookEndpoint, message_pk: int, now: datetime) -> WebhookMessage:
    """Staff: try a failed message again, from its first retry; the messages behind it follow."""
    message = session.get(WebhookMessage, message_pk)
    if message is None or message.endpoint_id != endpoint.id or message.status != WebhookStatus.FAILED:
        raise DomainError("not_failed", "That delivery has not failed, or is not this endpoint's.")
    message.status, message.attempts, message.next_attempt_at = WebhookStatus.PENDING, 0, now
    session.flush()
    note_for_dispatch(session, endpoint.id)
    return message


def deliveries(session: Session, endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookMessage]:
    """The endpoint's log, newest first."""
    return list(
        session.scalars(
            select(WebhookMessage)
            .where(WebhookMessage.endpoint_id == endpoint.id)
            .order_by(WebhookMessage.id.desc())
            .limit(limit)
        )
    )


def stopped_at(session: Session, endpoint: WebhookEndpoint) -> WebhookMessage | None:
    """The failed message the endpoint's deliveries wait behind, if any."""
    head = _head(session, endpoint.id)
    return head if head is not None and head.status == WebhookStatus.FAILED else None


def waiting_count(session: Session, endpoint: WebhookEndpoint) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                WebhookMessage.endpoint_id == endpoint.id, WebhookMessage.status == WebhookStatus.PENDING
            )
        )
        or 0
    )


def endpoints_to_deliver(session: Session, now: datetime) -> list[int]:
    """Endpoints with a message due that no worker holds (its job was lost with a worker, or the
    queue was unreachable when it was written): the sweep queues a delivery for each."""
    earlier = aliased(WebhookMessage)
    failed_before = exists().where(
        earlier.endpoint_id == WebhookMessage.endpoint_id,
        earlier.status == WebhookStatus.FAILED,
        earlier.event_type != TEST_EVENT,
        earlier.id < WebhookMessage.id,
    )
    return list(
        session.scalars(
            select(WebhookMessage.endpoint_id)
            .distinct()
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookMessage.endpoint_id)
            .where(
                WebhookMessage.status == WebhookStatus.PENDING,
                WebhookMessage.event_type != TEST_EVENT,
                WebhookMessage.next_attempt_at <= now - STALLED_AFTER,
                WebhookEndpoint.enabled.is_(True),
                or_(WebhookEndpoint.lease_until.is_(None), WebhookEndpoint.lease_until < now),
                ~failed_before,
            )
        )
    )
