"""Access tokens: the secret links that open a booth tablet, a partner's page or a scanner device."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, LabelledEnum, TimestampMixin, enum_type
from app.models.event import Event, Participation
from app.models.organization import Organization


class TokenScope(LabelledEnum):
    BOOTH = "booth", _l("Booth")
    PARTNER = "partner", _l("Partner")
    DEVICE = "device", _l("Scanner")
    #: A partner's own systems reading its referrals through ``/api/v1/partner/…`` (a Bearer token).
    PARTNER_API = "partner_api", _l("Partner API")


def usable(revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    """A token works until it is revoked or expires."""
    return revoked_at is None and (expires_at is None or expires_at > now)


class AccessToken(TimestampMixin, Base):
    """Only the SHA-256 of the secret is kept; the secret is shown once, when issued."""

    __tablename__ = "access_tokens"
    __table_args__ = (
        sa.CheckConstraint(
            "scope <> 'booth' OR participation_id IS NOT NULL", name="booth_has_participation"
        ),
        sa.CheckConstraint(
            "scope NOT IN ('partner', 'partner_api') OR organization_id IS NOT NULL",
            name="partner_has_organization",
        ),
        sa.CheckConstraint("scope <> 'device' OR event_id IS NOT NULL", name="device_has_event"),
        sa.CheckConstraint("length(token_hash) = 64", name="token_hash_is_sha256"),
        sa.CheckConstraint("name <> ''", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(enum_type(TokenScope))
    #: A label staff recognise ("Door 2", "Hilton booth"); shown in logs instead of anyone's name.
    name: Mapped[str] = mapped_column(sa.String(120))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    participation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participations.id", ondelete="CASCADE")
    )
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    event: Mapped[Event | None] = relationship()
    participation: Mapped[Participation | None] = relationship()
    organization: Mapped[Organization | None] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return usable(self.revoked_at, self.expires_at, now)
