"""Messages on their way out (e-mail and SMS), and the files background jobs make."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, enum_type


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class MessageStatus(enum.StrEnum):
    #: Waiting for the worker (or for a retry).
    QUEUED = "queued"
    SENT = "sent"
    #: Every attempt failed: on the staff list of undelivered messages until sent again by hand.
    FAILED = "failed"
    #: Not sent on purpose (the person texted STOP, or cancelled before a reminder went out).
    WITHDRAWN = "withdrawn"


class OutboundMessage(TimestampMixin, Base):
    """One e-mail or text message, written in the same transaction as what it tells about and
    sent by the job worker. Once ``sent``, no worker sends it again."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_at_iff_sent"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_outbound_messages_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel))
    status: Mapped[MessageStatus] = mapped_column(enum_type(MessageStatus), default=MessageStatus.QUEUED)
    #: An e-mail address or an E.164 phone number.
    recipient: Mapped[str] = mapped_column(sa.String(254))
    #: What the message is (``registered``, ``reminder_two_days``, ``survey_invitation`` …); no PII.
    purpose: Mapped[str] = mapped_column(sa.String(40))
    #: The whole message as sent: an RFC 5322 e-mail, or an SMS's UTF-8 text.
    body: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    #: Set for messages that must go out at most once (a reminder), so a second run adds nothing.
    once_key: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    #: Not before this time (a text held through the quiet hours).
    send_after: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    #: When a worker last took it (a worker killed mid-send leaves it queued; the sweep retries it).
    attempted_at: Mapped[datetime | None]
    #: The kind of the last failure (an exception's class, an SMTP or provider code); no PII.
    last_error: Mapped[str | None] = mapped_column(sa.String(200))
    sent_at: Mapped[datetime | None]
    #: The provider's id for a sent text (Twilio's message SID).
    provider_id: Mapped[str | None] = mapped_column(sa.String(64))


class FileJobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class FileJob(TimestampMixin, Base):
    """A file a background job makes (a badge sheet, a report PDF): its progress and, once
    finished, the file itself, so any web host can report on it and serve it."""

    __tablename__ = "file_jobs"
    __table_args__ = (
        sa.CheckConstraint("done >= 0 AND done <= total", name="done_within_total"),
        sa.CheckConstraint("(status = 'finished') = (content IS NOT NULL)", name="content_iff_finished"),
        sa.Index("ix_file_jobs_event_id_kind_finished_at", "event_id", "kind", "finished_at"),
    )

    #: Random, URL-safe: the job's address in progress and download links.
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    #: ``badge_sheet`` or ``report``.
    kind: Mapped[str] = mapped_column(sa.String(20))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    status: Mapped[FileJobStatus] = mapped_column(enum_type(FileJobStatus), default=FileJobStatus.QUEUED)
    #: What the job was asked for (a badge sheet's first label …).
    options: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.String(200))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    filename: Mapped[str] = mapped_column(sa.String(120))
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    @property
    def percent(self) -> int:
        if self.status == FileJobStatus.FINISHED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
