"""Interviews at employer booths: bookable slots, bookings, and each interview with its outcome,
offer terms and, later, whether the person was hired."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, enum_type, utcnow
from app.models.event import Participation, Position, WageUnit
from app.models.registration import Registration


class InterviewSlot(Base):
    """A bookable time at one booth; ``capacity`` people (the booth's interviewers) fit in it."""

    __tablename__ = "interview_slots"
    __table_args__ = (
        sa.UniqueConstraint("participation_id", "starts_at"),
        #: Target of the bookings' foreign key that carries the capacity (see ``Booking``).
        sa.UniqueConstraint("id", "capacity"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(sa.ForeignKey("participations.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(default=1)
    #: Staff took the slot out of booking (a break, a late start).
    is_blocked: Mapped[bool] = mapped_column(default=False)

    participation: Mapped[Participation] = relationship()


class Booking(TimestampMixin, Base):
    """A candidate's seat in a slot. Seats are numbered 1..capacity and unique among live bookings,
    so the database itself refuses an overbooked slot or a double booking. The slot's capacity is
    copied in through a foreign key on (slot_id, slot_capacity) that follows capacity changes, so
    ``seat <= slot_capacity`` holds even when staff shrink a slot."""

    __tablename__ = "bookings"
    __table_args__ = (
        sa.CheckConstraint("seat >= 1", name="seat_positive"),
        sa.CheckConstraint("seat <= slot_capacity", name="seat_within_capacity"),
        sa.ForeignKeyConstraint(
            ["slot_id", "slot_capacity"], ["interview_slots.id", "interview_slots.capacity"],
            onupdate="CASCADE", ondelete="CASCADE",
        ),
        sa.Index(
            "uq_bookings_slot_id_seat_active", "slot_id", "seat", unique=True,
            sqlite_where=sa.text("cancelled_at IS NULL"), postgresql_where=sa.text("cancelled_at IS NULL"),
        ),
        sa.Index(
            "uq_bookings_slot_id_registration_id_active", "slot_id", "registration_id", unique=True,
            sqlite_where=sa.text("cancelled_at IS NULL"), postgresql_where=sa.text("cancelled_at IS NULL"),
        ),
        sa.Index("ix_bookings_registration_id", "registration_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column()
    #: Kept equal to the slot's capacity by the foreign key; set from ``slot`` on insert.
    slot_capacity: Mapped[int] = mapped_column()
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    seat: Mapped[int] = mapped_column(default=1)
    cancelled_at: Mapped[datetime | None]

    slot: Mapped[InterviewSlot] = relationship()
    registration: Mapped[Registration] = relationship()


class InterviewSource(enum.StrEnum):
    BOOKED = "booked"
    WALK_UP = "walk_up"


class Outcome(enum.StrEnum):
    NO_SHOW = "no_show"
    NOT_SELECTED = "not_selected"
    SECOND_INTERVIEW = "second_interview"
    CONDITIONAL_OFFER = "conditional_offer"
    HIRED_ON_THE_SPOT = "hired_on_the_spot"


class HireStatus(enum.StrEnum):
    PENDING = "pending"
    HIRED = "hired"
    DECLINED = "declined"


class Interview(TimestampMixin, Base):
    """A candidate meeting an employer: queued at the booth or booked, then started, then an outcome."""

    __tablename__ = "interviews"
    __table_args__ = (
        sa.CheckConstraint(
            "outcome NOT IN ('conditional_offer', 'hired_on_the_spot')"
            " OR (offer_wage_cents IS NOT NULL AND offer_wage_unit IS NOT NULL)",
            name="offer_has_wage",
        ),
        sa.CheckConstraint("offer_wage_cents IS NULL OR offer_wage_cents >= 0", name="offer_wage_not_negative"),
        sa.CheckConstraint(
            "hire_status IS NULL OR outcome IN ('conditional_offer', 'hired_on_the_spot')",
            name="hire_status_needs_offer",
        ),
        sa.CheckConstraint("(source = 'booked') = (booking_id IS NOT NULL)", name="booked_iff_booking"),
        sa.CheckConstraint("outcome IS NULL OR recorded_at IS NOT NULL", name="outcome_has_time"),
        #: One open interview (queued or under way) per person per booth: two tablets of one booth
        #: scanning the same badge cannot queue them twice.
        sa.Index(
            "uq_interviews_registration_id_participation_id_open", "registration_id", "participation_id", unique=True,
            sqlite_where=sa.text("outcome IS NULL"), postgresql_where=sa.text("outcome IS NULL"),
        ),
        sa.Index("ix_interviews_participation_id_queued_at", "participation_id", "queued_at"),
        sa.Index("ix_interviews_registration_id", "registration_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    participation_id: Mapped[int] = mapped_column(sa.ForeignKey("participations.id", ondelete="CASCADE"))
    position_id: Mapped[int | None] = mapped_column(sa.ForeignKey("positions.id", ondelete="SET NULL"))
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id"), unique=True)
    source: Mapped[InterviewSource] = mapped_column(enum_type(InterviewSource))
    #: The booth tablet's nonce for the write that created this; a retry finds it instead of duplicating.
    client_nonce: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome))
    recorded_at: Mapped[datetime | None]
    recorded_by_token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("access_tokens.id", ondelete="SET NULL"))
    recorded_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    offer_wage_cents: Mapped[int | None]
    offer_wage_unit: Mapped[WageUnit | None] = mapped_column(enum_type(WageUnit))
    offer_start_date: Mapped[date | None]
    #: Conditions of a conditional offer, e.g. ``["background_check", "drug_screen"]``.
    offer_conditions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    second_interview_at: Mapped[datetime | None]
    second_interview_place: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    hire_status: Mapped[HireStatus | None] = mapped_column(enum_type(HireStatus))
    hired_start_date: Mapped[date | None]
    hire_confirmed_at: Mapped[datetime | None]

    registration: Mapped[Registration] = relationship()
    participation: Mapped[Participation] = relationship()
    position: Mapped[Position | None] = relationship()
    booking: Mapped[Booking | None] = relationship()
