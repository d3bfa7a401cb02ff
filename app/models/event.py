"""An event and who takes part in it: employers (participations, with their job orders) and
referring partners (partnerships)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import LazyString, lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, LabelledEnum, TimestampMixin, enum_type
from app.models.organization import Organization, Sector


class EventKind(enum.StrEnum):
    """The template an event was created from."""

    HOSPITALITY_HIRES = "hospitality_hires"
    TECHAPALOOZA = "techapalooza"
    REGIONAL = "regional"
    BLANK = "blank"


class EventStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    CLOSED = "closed", _l("Closed")
    ARCHIVED = "archived", _l("Archived")

    @property
    def is_public(self) -> bool:
        """Its page is up for everyone (a closed event's page stays up, off the home page)."""
        return self in (EventStatus.PUBLISHED, EventStatus.CLOSED)


class WageUnit(LabelledEnum):
    """A wage's unit: the label a form offers ("per hour"), and what follows an amount ("an hour")."""

    __columns__ = ("after_amount",)
    after_amount: LazyString

    HOUR = "hour", _l("per hour"), _l("an hour")
    YEAR = "year", _l("per year"), _l("a year")


class EmploymentType(LabelledEnum):
    FULL_TIME = "full_time", _l("Full time")
    PART_TIME = "part_time", _l("Part time")
    SEASONAL = "seasonal", _l("Seasonal")
    TEMPORARY = "temporary", _l("Temporary")
    CONTRACT = "contract", _l("Contract")


class Event(TimestampMixin, Base):
    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(
            "registration_opens_at IS NULL OR registration_closes_at IS NULL"
            " OR registration_closes_at > registration_opens_at",
            name="registration_window_order",
        ),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("max_bookings_per_candidate >= 0", name="max_bookings_not_negative"),
        sa.CheckConstraint("slug <> ''", name="slug_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind), default=EventKind.BLANK)
    #: Events of one series (Techapalooza, three times a year) are compared with each other in reports.
    series: Mapped[str | None] = mapped_column(sa.String(80), index=True)
    #: List of ``Sector`` values.
    sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[EventStatus] = mapped_column(enum_type(EventStatus), default=EventStatus.DRAFT)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: The description for Spanish pages; empty: Spanish pages show the English one, marked as English.
    description_es: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    venue: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: IANA name; times are stored in UTC and shown in this zone.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/Chicago")
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    #: Beyond this many registrations, new ones go to the waitlist. None: no limit.
    capacity: Mapped[int | None]
    max_bookings_per_candidate: Mapped[int] = mapped_column(default=3)
    #: Booths interview on the event's day (midnight to midnight where it happens); staff may widen
    #: that window with an earlier opening or a later closing (a set-up day, an evening session).
    booth_opens_at: Mapped[datetime | None]
    booth_closes_at: Mapped[datetime | None]
    #: The calendar entry's SEQUENCE: raised with each change people are told about, so calendars
    #: replace the entry (same UID) instead of keeping the old time.
    ics_sequence: Mapped[int] = mapped_column(default=0, server_default="0")

    participations: Mapped[list["Participation"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Participation.id"
    )
    partnerships: Mapped[list["Partnership"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Partnership.id"
    )

    def has_ended(self, now: datetime) -> bool:
        """Over: the event's public page says so, and it moves to the home page's past events."""
        return self.ends_at <= now


class Participation(TimestampMixin, Base):
    """An employer at an event: its table, and how it interviews."""

    __tablename__ = "participations"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "organization_id"),
        sa.UniqueConstraint("event_id", "table_number"),
        sa.CheckConstraint("interview_minutes BETWEEN 1 AND 240", name="interview_minutes_range"),
        sa.CheckConstraint("interviewers >= 1", name="interviewers_positive"),
        sa.CheckConstraint(
            "interview_starts_at IS NULL OR interview_ends_at IS NULL"
            " OR interview_ends_at > interview_starts_at",
            name="interview_window_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    table_number: Mapped[str | None] = mapped_column(sa.String(20))
    interview_minutes: Mapped[int] = mapped_column(default=10)
    interview_starts_at: Mapped[datetime | None]
    interview_ends_at: Mapped[datetime | None]
    #: How many interviews the booth runs at once (each slot's capacity).
    interviewers: Mapped[int] = mapped_column(default=1)

    event: Mapped[Event] = relationship(back_populates="participations")
    organization: Mapped[Organization] = relationship()
    positions: Mapped[list["Position"]] = relationship(
        back_populates="participation", cascade="all, delete-orphan", order_by="Position.id"
    )


class Position(TimestampMixin, Base):
    """A job order an employer brings to an event. Wages are whole cents."""

    __tablename__ = "positions"
    __table_args__ = (
        sa.CheckConstraint("openings >= 1", name="openings_positive"),
        sa.CheckConstraint("wage_min_cents IS NULL OR wage_min_cents >= 0", name="wage_min_not_negative"),
        sa.CheckConstraint("wage_max_cents IS NULL OR wage_max_cents >= 0", name="wage_max_not_negative"),
        sa.CheckConstraint(
            "wage_min_cents IS NULL OR wage_max_cents IS NULL OR wage_max_cents >= wage_min_cents",
            name="wage_range_order",
        ),
        sa.CheckConstraint(
            "(wage_min_cents IS NULL AND wage_max_cents IS NULL) OR wage_unit IS NOT NULL",
            name="wage_has_unit",
        ),
        sa.CheckConstraint("title <> ''", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    #: The title for Spanish pages; empty: Spanish pages show the English one, marked as English.
    title_es: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    sector: Mapped[Sector | None] = mapped_column(enum_type(Sector))
    openings: Mapped[int] = mapped_column(default=1)
    wage_min_cents: Mapped[int | None]
    wage_max_cents: Mapped[int | None]
    wage_unit: Mapped[WageUnit | None] = mapped_column(enum_type(WageUnit))
    employment_type: Mapped[EmploymentType] = mapped_column(
        enum_type(EmploymentType), default=EmploymentType.FULL_TIME
    )
    requirements: Mapped[str] = mapped_column(sa.Text, default="")

    participation: Mapped[Participation] = relationship(back_populates="positions")


class Partnership(TimestampMixin, Base):
    """A referring partner at an event, with the code its referral link carries."""

    __tablename__ = "partnerships"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "organization_id"),
        #: Target of composite foreign keys that keep referrals within one event.
        sa.UniqueConstraint("id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    #: Short public code in ``/events/<slug>/register?ref=<code>``; it credits, it grants nothing.
    referral_code: Mapped[str] = mapped_column(sa.String(16), unique=True)

    event: Mapped[Event] = relationship(back_populates="partnerships")
    organization: Mapped[Organization] = relationship()
