"""Staff and volunteer accounts: creating them and checking their passwords."""

from datetime import datetime

from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from app.database import Session
from app.models import Role, User, UserSession
from app.services import audit
from app.services.contact import normalize_email
from app.services.errors import DomainError
from app.services.tokens import hash_secret, new_secret

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


# --- Signed-in sessions -----------------------------------------------------------------------------
#
# The session cookie names the account, its session generation and a random id of this one
# session (``<user id>:<generation>:<session id>``). The id is stored hashed and checked on every
# request, so signing out ends this browser's session on the server (a copied cookie opens
# nothing afterwards) while the account's other sessions, volunteers sharing one account at
# several doors, go on. Bumping the generation (password change, deactivation) still ends them all.


def start_session(session: Session, user: User, now: datetime) -> str:
    """A new signed-in session for ``user``; returns the id Flask-Login keeps in the cookie."""
    secret = new_secret()
    session.add(UserSession(user_id=user.id, token_hash=hash_secret(secret), created_at=now))
    session.flush()
    return f"{user.get_id()}:{secret}"


def session_user(session: Session, session_id: str) -> User | None:
    """The active user a live session id (from ``start_session``) belongs to, or None."""
    user_id, generation, secret = [*session_id.split(":", 2), "", ""][:3]
    if not user_id.isdigit() or not generation.isdigit() or not secret or len(secret) > 100:
        return None
    user = session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == int(user_id),
            UserSession.token_hash == hash_secret(secret),
            UserSession.ended_at.is_(None),
        )
    )
    if user is None or not user.is_active or user.session_generation != int(generation):
        return None
    return user


def end_session(session: Session, session_id: str, now: datetime) -> None:
    """Sign this one session out on the server. Ending it again changes nothing."""
    secret = session_id.split(":", 2)[2] if session_id.count(":") >= 2 else ""
    if secret:
        session.execute(
            update(UserSession)
            .where(UserSession.token_hash == hash_secret(secret), UserSession.ended_at.is_(None))
            .values(ended_at=now)
        )
