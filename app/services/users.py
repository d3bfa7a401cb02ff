"""Staff and volunteer accounts: creating them and checking their passwords."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.models import Role, User
from app.services import audit
from app.services.contact import normalize_email
from app.services.errors import DomainError

MIN_PASSWORD_LENGTH = 10

#: Checked against when no such user exists, so a wrong email costs as long as a wrong password.
_DUMMY_PASSWORD_HASH = generate_password_hash("not a real password")


def create_user(session: Session, email: str, role: Role | str, password: str, name: str = "") -> User:
    """A new account. Emails are unique regardless of case."""
    email = normalize_email(email)
    try:
        role = Role(role)
    except ValueError as exc:
        raise DomainError("invalid_role", f"Role must be one of: {', '.join(Role)}.", field="role") from exc
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            "weak_password", f"Use a password of at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError("email_taken", "An account with this email already exists.", field="email")
    user = User(email=email, role=role, name=name.strip() or email.split("@")[0])
    user.set_password(password)
    session.add(user)
    session.flush()
    audit.record(session, "user.create", obj=user, role=role.value)
    return user


def authenticate(session: Session, email: str, password: str, now: datetime) -> User | None:
    """The active user with this email and password, or None. Both outcomes are audited."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        User(password_hash=_DUMMY_PASSWORD_HASH).check_password(password)
        audit.record(session, "auth.login_failed")
        return None
    if not user.check_password(password):
        audit.record(session, "auth.login_failed", actor_user=user)
        return None
    user.last_login_at = now
    audit.record(session, "auth.login", actor_user=user)
    return user


def set_active(session: Session, user: User, active: bool, *, by: User) -> None:
    """Let an account sign in, or stop it. Deactivating also ends every session the person has
    (the generation is part of the session id). Nobody can lock themselves out."""
    if not active and user.id == by.id:
        raise DomainError("own_account", "You cannot deactivate your own account.")
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        user.session_generation += 1
    session.flush()
    audit.record(session, "user.activate" if active else "user.deactivate", actor_user=by, obj=user)
