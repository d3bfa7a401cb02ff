"""The audit trail: who did what to which object, when, from which device. Never PII values."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Dotted verb, e.g. ``auth.login``, ``token.issue``, ``checkin.create``.
    action: Mapped[str] = mapped_column(sa.String(60))
    actor_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("access_tokens.id", ondelete="SET NULL"))
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)
    #: Ids, codes and counts only: the caller must never put a name, email, phone or note here.
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
