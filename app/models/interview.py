"""Interviews at employer booths: bookable slots, bookings, and each interview with its outcome,
offer terms and, later, whether the person was hired."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, LabelledEnum, TimestampMixin, enum_type, utcnow
from app.models.event import Participation, Position, WageUnit
from app.models.registration import Registration


class InterviewSlot(Base):
    """A bookable time at one booth; ``capacity`` people (the booth's interviewers) fit in it."""

    __tablename__ = "interview_slots"
    __table_args__ = (
        sa.UniqueConstraint("participation_id", "starts_at"),
        #: Target of the bookings' foreign key that carries the capacity (see ``Booking``).
        sa.UniqueConstraint("id", "capacity"),
        #: Target of the bookings' foreign key that carries the booth (see ``Booking``).
        sa.UniqueConstraint("id", "participation_id"),
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
            ["slot_id", "slot_capacity"],
            ["interview_slots.id", "interview_slots.capacity"],
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.Index(
            "uq_bookings_slot_id_seat_active",
            "slot_id",
            "seat",
            unique=True,
            sqlite_where=sa.text("cancelled_at IS NULL"),
            postgresql_where=sa.text("cancelled_at IS NULL"),
        ),
        sa.Index("ix_bookings_registration_id", "registration_id"),
        #: The booth, copied from the slot (and kept equal to it by this key), so the database can
        #: hold one live booking per person per employer.
        sa.ForeignKeyConstraint(
            ["slot_id", "participation_id"],
            ["interview_slots.id", "interview_slots.participation_id"],
            name="fk_bookings_slot_id_participation_id_interview_slots",
            ondelete="CASCADE",
        ),
        sa.Index(
            "uq_bookings_registration_id_participation_id_active",
            "registration_id",
            "participation_id",
            unique=True,
            sqlite_where=sa.text("cancelled_at IS NULL"),
            postgresql_where=sa.text("cancelled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column()
    #: Kept equal to the slot's capacity by the foreign key; set from ``slot`` on insert.
    slot_capacity: Mapped[int] = mapped_column()
    #: Kept equal to the slot's booth by a foreign key; set from ``slot`` on insert.
    participation_id: Mapped[int] = mapped_column()
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    seat: Mapped[int] = mapped_column(default=1)
    cancelled_at: Mapped[datetime | None]

    #: Joined on all three keys, so a new booking takes the slot's id, capacity and booth from ``slot``.
    slot: Mapped[InterviewSlot] = relationship(
        primaryjoin="and_(Booking.slot_id == InterviewSlot.id, Booking.slot_capacity == "
                    "InterviewSlot.capacity,"
        " Booking.participation_id == InterviewSlot.participation_id)",
        foreign_keys=[slot_id, slot_capacity, participation_id],
    )
    registration: Mapped[Registration] = relationship()


class InterviewSource(LabelledEnum):
    BOOKED = "booked", _l("Booked interview")
    WALK_UP = "walk_up", _l("Walk-up interview")


@dataclass(frozen=True)
class OutcomeKind:
    """What an outcome means: the one place every count, check constraint, page, export and button
    asks. A new kind of outcome is one more row of ``Outcome`` (with its migration and its Spanish)."""

    #: The interview took place (it counts as "interviewed").
    held: bool
    #: The person left with an offer (it counts as "offered").
    offer: bool
    #: A hire may be confirmed afterwards: an offer, or an interview that led to one later.
    hire_path: bool
    #: Recorded with the hire already made (a hire on the spot).
    hired: bool = False
    #: A button at the booth (a kind the system records by itself is not).
    booth_choice: bool = True
    #: What the booth asks for before saving it: ``"second"`` (date, time, place) or ``"offer"``
    #: (position, wage, start date); None saves with one tap.
    details: Literal["second", "offer"] | None = None
    #: The offer may come with conditions (background check, drug screen…) the booth ticks.
    conditions: bool = False
    #: How its pill looks on every page: ``quiet`` (grey), ``next_step`` (blue), ``offer`` (green).
    tone: Literal["quiet", "next_step", "offer"] = "quiet"

    @property
    def needs_terms(self) -> bool:
        """Saved with offer terms: a position, a wage and its unit."""
        return self.details == "offer"

    @property
    def second_interview(self) -> bool:
        """It sets up a second interview (counted as such on the report and the partner page)."""
        return self.details == "second"


class Outcome(LabelledEnum):
    """How an interview ended. Each member is one row of the table of outcome kinds: the value
    stored, its label, then what it means (``OutcomeKind``)."""

    __columns__ = ("kind",)
    kind: OutcomeKind

    NO_SHOW = "no_show", _l("No-show"), OutcomeKind(held=False, offer=False, hire_path=False)
    NOT_SELECTED = "not_selected", _l("Not selected"), OutcomeKind(held=True, offer=False, hire_path=True)
    SECOND_INTERVIEW = "second_interview", _l("Second interview"), OutcomeKind(
        held=True, offer=False, hire_path=True, details="second", tone="next_step")
    CONDITIONAL_OFFER = "conditional_offer", _l("Conditional offer"), OutcomeKind(
        held=True, offer=True, hire_path=True, details="offer", conditions=True, tone="offer")
    HIRED_ON_THE_SPOT = "hired_on_the_spot", _l("Hired on the spot"), OutcomeKind(
        held=True, offer=True, hire_path=True, hired=True, details="offer", tone="offer")
    #: Started at the booth, but the event day ended before anyone recorded how it went.
    NOT_RECORDED = "not_recorded", _l("Interviewed, no outcome recorded"), OutcomeKind(
        held=True, offer=False, hire_path=True, booth_choice=False)

    @classmethod
    def where(cls, **categories: bool | str | None) -> tuple["Outcome", ...]:
        """The outcomes whose kind has every category given, e.g. ``Outcome.where(offer=True)``."""
        return tuple(
            o for o in cls if all(getattr(o.kind, name) == value for name, value in categories.items())
        )


def outcome_in(column: str, outcomes: tuple[Outcome, ...], *, negate: bool = False) -> str:
    """SQL for "``column`` is (not) one of ``outcomes``", for check constraints made from outcome kinds."""
    return f"{column} {'NOT IN' if negate else 'IN'} ({', '.join(repr(o.value) for o in outcomes)})"


class HireStatus(LabelledEnum):
    """What became of an offer."""

    PENDING = "pending", _l("Still pending")
    HIRED = "hired", _l("Hired")
    DECLINED = "declined", _l("Declined")


class Interview(TimestampMixin, Base):
    """A candidate meeting an employer: queued at the booth or booked, then started, then an outcome."""

    __tablename__ = "interviews"
    __table_args__ = (
        sa.CheckConstraint(
            f"{outcome_in('outcome', Outcome.where(details='offer'), negate=True)}"
            " OR (offer_wage_cents IS NOT NULL AND offer_wage_unit IS NOT NULL)",
            name="offer_has_wage",
        ),
        sa.CheckConstraint(
            "offer_wage_cents IS NULL OR offer_wage_cents >= 0", name="offer_wage_not_negative"
        ),
        #: A hire is confirmed only where an offer was made: at the booth, or later (recorded with the hire).
        sa.CheckConstraint(
            f"hire_status IS NULL OR {outcome_in('outcome', Outcome.where(offer=True))} OR later_offer_at IS "
            "NOT NULL",
            name="hire_status_needs_offer",
        ),
        sa.CheckConstraint(
            f"later_offer_at IS NULL OR {outcome_in('outcome', Outcome.where(hire_path=True, offer=False))}",
            name="later_offer_on_hire_path",
        ),
        sa.CheckConstraint("(source = 'booked') = (booking_id IS NOT NULL)", name="booked_iff_booking"),
        sa.CheckConstraint("outcome IS NULL OR recorded_at IS NOT NULL", name="outcome_has_time"),
        #: One open interview (queued or under way) per person per booth: two tablets of one booth
        #: scanning the same badge cannot queue them twice.
        sa.Index(
            "uq_interviews_registration_id_participation_id_open",
            "registration_id",
            "participation_id",
            unique=True,
            sqlite_where=sa.text("outcome IS NULL"),
            postgresql_where=sa.text("outcome IS NULL"),
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
    #: The booth tablet's own sequence number (its clock in ms at the tap) for the outcome saved:
    #: offline saves reach the server in any order, and an older one never overwrites a newer one.
    outcome_seq: Mapped[int | None] = mapped_column(sa.BigInteger)
    recorded_by_token_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("access_tokens.id", ondelete="SET NULL")
    )
    recorded_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    offer_wage_cents: Mapped[int | None]
    offer_wage_unit: Mapped[WageUnit | None] = mapped_column(enum_type(WageUnit))
    offer_start_date: Mapped[date | None]
    #: Conditions of a conditional offer, e.g. ``["background_check", "drug_screen"]``.
    offer_conditions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    second_interview_at: Mapped[datetime | None]
    second_interview_place: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: An offer made after the event to someone whose booth outcome was not an offer (a second
    #: interview that became a hire): recorded when the hire is confirmed, so offered >= hired.
    later_offer_at: Mapped[datetime | None]
    hire_status: Mapped[HireStatus | None] = mapped_column(enum_type(HireStatus))
    hired_start_date: Mapped[date | None]
    hire_confirmed_at: Mapped[datetime | None]
    #: Any change at all, a correction included (a hire taken back clears ``hire_confirmed_at``):
    #: what tells a referring partner that polls for changes to read this person again.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    registration: Mapped[Registration] = relationship()
    participation: Mapped[Participation] = relationship()
    position: Mapped[Position | None] = relationship()
    booking: Mapped[Booking | None] = relationship()

    @property
    def held(self) -> bool:
        """The interview took place."""
        return self.outcome is not None and self.outcome.kind.held

    @property
    def second_interview(self) -> bool:
        """The booth set up a second interview."""
        return self.outcome is not None and self.outcome.kind.second_interview

    @property
    def offered(self) -> bool:
        """An offer was made: recorded at the booth, or later with the hire."""
        return (self.outcome is not None and self.outcome.kind.offer) or self.later_offer_at is not None

    @property
    def hired(self) -> bool:
        return self.hire_status == HireStatus.HIRED

    @classmethod
    def offered_clause(cls) -> sa.ColumnElement[bool]:
        """``offered`` in SQL."""
        return sa.or_(cls.outcome.in_(Outcome.where(offer=True)), cls.later_offer_at.is_not(None))
