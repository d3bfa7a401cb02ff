"""What happened at the door: an append-only log of every scan. "Checked in" is derived from it."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, LabelledEnum, enum_type, utcnow
from app.models.registration import Registration


class CheckInKind(LabelledEnum):
    ENTRY = "entry", _l("Entry")
    EXIT = "exit", _l("Exit")
    #: Cancels an earlier scan (``undoes_id``); nothing is ever deleted.
    UNDO = "undo", _l("Undo")


class CheckIn(Base):
    """One scan at the door, successful or not, from a device or a signed-in volunteer."""

    __tablename__ = "checkins"
    __table_args__ = (
        sa.CheckConstraint(
            "registration_id IS NOT NULL OR raw_code IS NOT NULL", name="identifies_something"
        ),
        sa.CheckConstraint("successful = (error_code IS NULL)", name="error_code_iff_failed"),
        sa.CheckConstraint("(kind = 'undo') = (undoes_id IS NOT NULL)", name="undo_names_its_scan"),
        sa.CheckConstraint("nonce <> ''", name="nonce_not_empty"),
        # A scan that names a registration names one of this event (another event's badge is logged
        # by its raw code, with error_code wrong_event).
        sa.ForeignKeyConstraint(
            ["registration_id", "event_id"],
            ["registrations.id", "registrations.event_id"],
            ondelete="CASCADE",
        ),
        sa.Index("ix_checkins_event_id_received_at", "event_id", "received_at"),
        sa.Index("ix_checkins_registration_id_scanned_at", "registration_id", "scanned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column()
    #: What was scanned when it matched no registration of this event (a badge code, never PII).
    raw_code: Mapped[str | None] = mapped_column(sa.String(120))
    device_token_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("access_tokens.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: When the device says it scanned (its own clock; offline scans arrive later). When that clock
    #: was implausible (``scanned_at_as_sent`` is set), the time the server received the scan.
    scanned_at: Mapped[datetime]
    #: The device's scan time exactly as sent, kept only when it was implausible (a clock at year 1
    #: or 9999, days away from the event): the flag that ``scanned_at`` is the receive time.
    scanned_at_as_sent: Mapped[str | None] = mapped_column(sa.String(64))
    #: When the server got it.
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Chosen by the client per scan; a replay with the same nonce returns the first answer.
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[CheckInKind] = mapped_column(enum_type(CheckInKind), default=CheckInKind.ENTRY)
    successful: Mapped[bool]
    #: Why a scan failed: ``unknown_code``, ``cancelled``, ``wrong_event``, ….
    error_code: Mapped[str | None] = mapped_column(sa.String(40))
    #: Scanned while the device was offline and uploaded later.
    is_offline: Mapped[bool] = mapped_column(default=False)
    #: A second entry scan of someone already inside (e.g. two offline devices).
    is_duplicate: Mapped[bool] = mapped_column(default=False)
    #: The scan this one undoes; each scan can be undone once.
    undoes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("checkins.id"), unique=True)

    @property
    def clock_implausible(self) -> bool:
        return self.scanned_at_as_sent is not None

    # Joined on the id alone, so setting ``registration=None`` (an unknown code) leaves event_id be.
    registration: Mapped[Registration | None] = relationship(
        primaryjoin="CheckIn.registration_id == Registration.id", foreign_keys=[registration_id]
    )
