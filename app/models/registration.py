"""Career seekers and their registrations for events."""

import enum
import unicodedata
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.models.base import Base, LabelledEnum, TimestampMixin, enum_type, utcnow
from app.models.event import Event, Partnership, Position


class Language(LabelledEnum):
    """A language pages, e-mails and badges come in, labelled in itself (never translated)."""

    EN = "en", "English"
    ES = "es", "Español"


class RegistrationStatus(LabelledEnum):
    REGISTERED = "registered", _l("Registered")
    WAITLISTED = "waitlisted", _l("On the waitlist")
    CANCELLED = "cancelled", _l("Cancelled")


class RegistrationSource(enum.StrEnum):
    ONLINE = "online"
    WALK_IN = "walk_in"
    PARTNER_IMPORT = "partner_import"
    STAFF = "staff"


def full_name(first_name: str, last_name: str) -> str:
    """How a person's name is shown: first then last."""
    return f"{first_name} {last_name}".strip()


def folded(text: str) -> str:
    """Lower case, without accents, spacing collapsed: "  José  NÚÑEZ" and "jose nunez" fold alike."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return " ".join(plain.split())


def name_key(first_name: str, last_name: str) -> str:
    """The name as it identifies a person (with a contact): ``folded`` first and last name."""
    return folded(f"{first_name} {last_name}")


class Candidate(TimestampMixin, Base):
    """A career seeker, across events. A person is a contact (e-mail or phone) *and* a name: the
    same contact with another first name is another member of a household that shares one phone
    or e-mail (docs/people.md). The database holds that rule: a contact and a folded name make at
    most one candidate."""

    __tablename__ = "candidates"
    __table_args__ = (
        # NULLs are distinct in a unique constraint on both databases: a person without an e-mail
        # is held by the phone rule, and the other way round. (Each also indexes its contact.)
        sa.UniqueConstraint("email", "name_key"),
        sa.UniqueConstraint("phone", "name_key"),
        sa.CheckConstraint(
            "email IS NOT NULL OR phone IS NOT NULL OR purged_at IS NOT NULL", name="has_contact"
        ),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint("phone LIKE '+%' AND length(phone) BETWEEN 8 AND 16", name="phone_e164"),
        sa.CheckConstraint("first_name <> ''", name="first_name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    #: Stored lower-cased, so matching is case-insensitive on every database. Shared by a household.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    #: E.164, e.g. ``+13125550100``. Shared by a household.
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    #: ``name_key(first_name, last_name)``, kept by ``_keep_name_key`` whenever a name changes.
    name_key: Mapped[str] = mapped_column(sa.String(201))
    zip_code: Mapped[str | None] = mapped_column(sa.String(5))
    language: Mapped[Language] = mapped_column(enum_type(Language), default=Language.EN)
    #: When the person's identifying data was removed (retention or their own request); what
    #: reports count (ZIP code, registrations, outcomes) stays.
    purged_at: Mapped[datetime | None]

    registrations: Mapped[list["Registration"]] = relationship(back_populates="candidate")

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    @validates("first_name", "last_name")
    def _keep_name_key(self, key: str, value: str) -> str:
        first = value if key == "first_name" else (self.first_name or "")
        last = value if key == "last_name" else (self.last_name or "")
        self.name_key = name_key(first, last)
        return value


position_interests = sa.Table(
    "position_interests",
    Base.metadata,
    sa.Column("registration_id", sa.ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position_id", sa.ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True),
)


class Registration(TimestampMixin, Base):
    """One candidate's registration for one event, with the badge they show at the door."""

    __tablename__ = "registrations"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "candidate_id"),
        #: Target of composite foreign keys (check-ins, referrals) that keep rows within one event.
        sa.UniqueConstraint("id", "event_id"),
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_at_iff_cancelled"
        ),
        sa.CheckConstraint("consent_share_profile", name="profile_sharing_consented"),
        sa.CheckConstraint("length(badge_code) >= 22", name="badge_code_long_enough"),
        #: The short number printed under the badge's QR code, typed at the door when a camera fails.
        sa.UniqueConstraint("event_id", "checkin_number"),
        sa.CheckConstraint("checkin_number > 0", name="checkin_number_positive"),
        sa.Index("ix_registrations_event_id_status_created_at", "event_id", "status", "created_at"),
        #: Badge codes are unique in any case (``badge_code_is``): the one rule for a code, and the
        #: index every scan's lookup uses.
        sa.Index("uq_registrations_badge_code_folded", sa.func.lower(sa.column("badge_code")), unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(sa.ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_type(RegistrationStatus), default=RegistrationStatus.REGISTERED
    )
    source: Mapped[RegistrationSource] = mapped_column(
        enum_type(RegistrationSource), default=RegistrationSource.ONLINE
    )
    #: ≥128 random bits, URL-safe; the only thing a QR badge carries. Never derived from an id.
    #: Matched in any case: look a code up with ``badge_code_is``, never with ``==``.
    badge_code: Mapped[str] = mapped_column(sa.String(43), unique=True)
    #: Allocated in order per event (``registration.next_checkin_number``), never derived from the
    #: badge code; accepted only by signed-in door and booth searches, never as a scanned code.
    checkin_number: Mapped[int]
    language: Mapped[Language] = mapped_column(enum_type(Language), default=Language.EN)
    employment_status: Mapped[str | None] = mapped_column(sa.String(40))
    #: List of ``Sector`` values the person is interested in.
    sectors_of_interest: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    how_heard: Mapped[str | None] = mapped_column(sa.String(80))
    accessibility_needs: Mapped[str] = mapped_column(sa.Text, default="")
    #: Required: the person agrees that the event's employers may see their profile.
    consent_share_profile: Mapped[bool]
    consent_email: Mapped[bool] = mapped_column(default=False)
    consent_sms: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]
    #: How often the person's own calendar entry changed (cancelled, registered again): with the
    #: event's ``ics_sequence``, the SEQUENCE of the calendar file they get (``services.calendar``).
    calendar_changes: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship()
    candidate: Mapped[Candidate] = relationship(back_populates="registrations")
    positions_of_interest: Mapped[list[Position]] = relationship(secondary=position_interests)
    referrals: Mapped[list["Referral"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )
    manage_links: Mapped[list["ManageLink"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="ManageLink.id"
    )


class ManageLinkReason(LabelledEnum):
    """Why a link was made (shown on the person's page, so they can tell their links apart)."""

    REGISTERED = "registered", _l("when you registered")
    #: They (or someone with their contact) asked again: sent to the contact on file.
    RESENT = "resent", _l("after someone asked again with your e-mail or phone")
    PROMOTED = "promoted", _l("when you got a place")
    EVENT_CHANGED = "event_changed", _l("when the event changed")
    STAFF = "staff", _l("by staff")


class ManageLink(Base):
    """One live ``/r/<secret>`` link to a registration; only the secret's SHA-256 is kept. A
    registration holds several: sending a new one never breaks an earlier e-mail's link. A link
    ends when the person revokes it, when the registration is cancelled, or at the purge."""

    __tablename__ = "manage_links"
    __table_args__ = (sa.CheckConstraint("length(token_hash) = 64", name="token_hash_is_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    reason: Mapped[ManageLinkReason] = mapped_column(enum_type(ManageLinkReason))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    registration: Mapped[Registration] = relationship(back_populates="manage_links")


def badge_code_is(code: str | sa.BindParameter) -> sa.ColumnElement[bool]:
    """The registration whose badge carries ``code``, whatever its case: a handheld scanner with
    Caps Lock on types the same badge in capitals. New codes are lower-case base32, where case
    carries nothing; codes made before are base64 and are still found when typed in another case
    (two of them differing only in case cannot both exist: the folded unique index)."""
    return sa.func.lower(Registration.__table__.c.badge_code) == sa.func.lower(code)


class Referral(TimestampMixin, Base):
    """A partner's claim on a registration. Two partners may refer the same person; both get credit."""

    __tablename__ = "referrals"
    __table_args__ = (
        sa.UniqueConstraint("registration_id", "partnership_id"),
        # The person and the partner must be of the same event: both foreign keys carry event_id.
        sa.ForeignKeyConstraint(
            ["registration_id", "event_id"],
            ["registrations.id", "registrations.event_id"],
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "event_id"], ["partnerships.id", "partnerships.event_id"], ondelete="CASCADE"
        ),
        sa.Index("ix_referrals_partnership_id", "partnership_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column()
    partnership_id: Mapped[int] = mapped_column()
    #: The person agreed that this partner may learn the terms of job offers they receive (position,
    #: wage, start date). Asked per referral when registering through the partner's link, changeable
    #: on the person's own page; a referral imported in bulk starts without it.
    shares_offers: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: When the person last gave or withdrew that consent (what the partner sees changed then).
    shares_offers_changed_at: Mapped[datetime | None]

    registration: Mapped[Registration] = relationship(back_populates="referrals")  # also sets event_id
    partnership: Mapped[Partnership] = relationship(
        primaryjoin="Referral.partnership_id == Partnership.id", foreign_keys=[partnership_id]
    )
