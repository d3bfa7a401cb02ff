"""Staff and door-volunteer accounts: who may sign in, and in which role."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.access import staff_required
from app.accounts.forms import AccountForm
from app.database import writes, writing_from_here
from app.extensions import db
from app.models import Role, User
from app.services import users
from app.services.errors import DomainError
from app.services.users import create_user
from app.web import current_actor, flash_error, get_or_404, show_error

bp = Blueprint("accounts", __name__)


@bp.get("/staff/accounts/")
@staff_required
def accounts():
    users = db.session.scalars(select(User).order_by(User.is_active.desc(), User.role, User.name)).all()
    return render_template("accounts/accounts.html", users=users)


@bp.route("/staff/accounts/new", methods=["GET", "POST"])
@staff_required
def new_account():
    form = AccountForm()
    if form.validate_on_submit():
        with writing_from_here(db.session):
            try:
                user = create_user(
                    db.session, form.email.data, form.role.data, form.password.data, form.name.data
                )
            except DomainError as error:
                show_error(form, error)
            else:
                db.session.commit()
                role = "door volunteer" if user.role == Role.VOLUNTEER else "staff"
                flash(f"{user.name} can now sign in as {role} with {user.email}.", "success")
                return redirect(url_for("accounts.accounts"))
    return render_template("accounts/account_form.html", form=form)


@bp.post("/staff/accounts/<int:user_id>/<any(deactivate, reactivate):action>")
@writes
@staff_required
def set_account_active(user_id: int, action: str):
    user = get_or_404(User, user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        users.set_active(db.session, user, action == "reactivate", by=current_actor())
    except DomainError as error:
        flash_error(error)
    else:
        db.session.commit()
        state = "can sign in again" if user.is_active else "is signed out and can no longer sign in"
        flash(f"{user.name} {state}.", "success")
    return redirect(url_for("accounts.accounts"))
