"""Partner webhooks: the endpoints a referring partner's own system listens on, and each message
written for one of them (the outbox the job worker delivers from, and the delivery log)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, enum_type, utcnow
from app.models.organization import Organization


class WebhookEndpoint(TimestampMixin, Base):
    """A URL of a referring partner's system that hears about its referrals, signed per the
    Standard Webhooks specification with the endpoint's own secret."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        sa.CheckConstraint("secret LIKE 'whsec_%'", name="secret_is_whsec"),
        sa.CheckConstraint(
            "previous_secret IS NULL OR previous_secret LIKE 'whsec_%'", name="previous_secret_is_whsec"
        ),
        sa.CheckConstraint("url <> ''", name="url_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(500))
    #: A label staff and the partner recognise ("Case management, production").
    description: Mapped[str] = mapped_column(sa.String(120), default="")
    #: ``whsec_`` and base64 of 32 random bytes. Kept as is: every delivery is signed with it.
    secret: Mapped[str] = mapped_column(sa.String(80))
    #: The secret before the last rotation: deliveries carry a signature with it too until
    #: ``previous_secret_until``, so a receiver that has not switched yet keeps verifying.
    previous_secret: Mapped[str | None] = mapped_column(sa.String(80))
    previous_secret_until: Mapped[datetime | None]
    #: Disabled: no new messages are written for it, and those waiting are held until enabled again.
    enabled: Mapped[bool] = mapped_column(default=True)
    #: Held by the worker that is delivering to this endpoint (one at a time, so messages go in order).
    lease_token: Mapped[str | None] = mapped_column(sa.String(32))
    lease_until: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()


class WebhookStatus(enum.StrEnum):
    #: Waiting for its turn, its first attempt or its next retry.
    PENDING = "pending"
    DELIVERED = "delivered"
    #: Every retry failed: the endpoint's later messages wait behind it until staff retry it.
    FAILED = "failed"


class WebhookMessage(Base):
    """One message for one endpoint, written in the same transaction as what it tells about and
    delivered by the job worker, in ``id`` order per endpoint. ``message_id`` is the
    ``webhook-id`` header: the same on every attempt, so a receiver can ignore a repeat."""

    __tablename__ = "webhook_messages"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint(
            "(status = 'delivered') = (delivered_at IS NOT NULL)", name="delivered_at_iff_delivered"
        ),
        sa.Index("ix_webhook_messages_endpoint_id_status_id", "endpoint_id", "status", "id"),
        sa.CheckConstraint("attempts = 0 OR payload IS NOT NULL", name="payload_once_attempted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    #: ``msg_`` and 128 random bits, URL-safe.
    message_id: Mapped[str] = mapped_column(sa.String(40), unique=True)
    #: ``referral.checked_in``, ``webhook.test`` …
    event_type: Mapped[str] = mapped_column(sa.String(40))
    #: Whom it is about (none for a test event); removed with the registration.
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    #: The partner's referral it tells about: the partner learns of its own referral only.
    referral_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("referrals.id", ondelete="CASCADE"), index=True
    )
    #: The interview an ``interviewed``, ``offered`` or ``hired`` event is about.
    interview_id: Mapped[int | None] = mapped_column(sa.ForeignKey("interviews.id", ondelete="SET NULL"))
    #: When it happened (a scan's time at the door, an outcome's at the booth).
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The JSON body exactly as signed and sent, the same on every attempt: made by the worker at
    #: the first attempt (a scan only writes the row), from the referral as the partner's page
    #: shows it then.
    payload: Mapped[str | None] = mapped_column(sa.Text, deferred=True)
    status: Mapped[WebhookStatus] = mapped_column(enum_type(WebhookStatus), default=WebhookStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Attempts since it was written (or since staff last retried it).
    attempts: Mapped[int] = mapped_column(default=0)
    #: Not before this time (the next retry).
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempted_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    #: The receiver's last HTTP status, when it answered at all.
    last_status_code: Mapped[int | None]
    #: Why the last attempt failed (``timeout``, ``http_500``, ``blocked_address`` …); no PII.
    last_error: Mapped[str | None] = mapped_column(sa.String(200))
    #: The start of the receiver's last answer, for the partner's own debugging; never more.
    response_excerpt: Mapped[str | None] = mapped_column(sa.String(300))

    endpoint: Mapped[WebhookEndpoint] = relationship()
