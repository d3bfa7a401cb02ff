"""Staff and volunteers: the people who sign in with a password."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.models.base import Base, LabelledEnum, TimestampMixin, enum_type, utcnow


class Role(LabelledEnum):
    STAFF = "staff", _l("Staff")
    VOLUNTEER = "volunteer", _l("Door volunteer")


class User(TimestampMixin, UserMixin, Base):
    """A board staff member (sets events up, sees everything) or a door volunteer (checks people in)."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint("name <> ''", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Bumped on password change or forced sign-out; part of the session id, so old sessions end.
    session_generation: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None]

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_generation = (self.session_generation or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF


class UserSession(Base):
    """One signed-in session (a browser), so signing out ends that session on the server while
    the account's other sessions (volunteers sharing one account at several doors) go on."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the random session id kept in the signed session cookie.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when the person signs out: the cookie, copied or not, opens nothing after that.
    ended_at: Mapped[datetime | None]
