from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth.forms import LoginForm
from app.database import writes, writing_from_here
from app.extensions import db, limiter
from app.models import Role, utcnow
from app.rate_limits import sign_in_key
from app.security import start_session_clock
from app.services import audit
from app.services.users import authenticate, end_session, start_session

bp = Blueprint("auth", __name__)


def _landing_for(role: Role) -> str:
    return url_for("events.staff_events") if role == Role.STAFF else url_for("checkin.door")


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths, so a login link cannot bounce someone to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
# Only failed attempts count (the form comes back; a sign-in redirects), per address and account:
# a door team behind one venue address signing in together at opening time is never locked out,
# nor is anyone there by someone else's wrong passwords.
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], key_func=sign_in_key,
    deduct_when=lambda r: r.status_code != 302,
)
def login():
    if current_user.is_authenticated:
        return redirect(_landing_for(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        with writing_from_here(db.session):
            user = authenticate(db.session, form.email.data, form.password.data, utcnow())
            db.session.commit()
        if user is None:
            form.password.errors.append(_("That email and password do not match an active account."))
        else:
            lang = session.get("lang")
            session.clear()  # a fresh session on sign-in: no fixation
            if lang:
                session["lang"] = lang
            login_user(user)
            with writing_from_here(db.session):
                session["_user_id"] = start_session(db.session, user, utcnow())
                db.session.commit()
            start_session_clock()
            return redirect(_safe_next(request.args.get("next")) or _landing_for(user.role))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@writes
def logout():
    if current_user.is_authenticated:
        audit.record(db.session, "auth.logout", actor_user=current_user._get_current_object())
        end_session(db.session, session["_user_id"], utcnow())
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
