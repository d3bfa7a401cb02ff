"""The web layer's chores, each done one way for every blueprint: the signed-in person, loading what
a URL names (or a 404), a service's refusal (its unfinished writes undone, its message on the form
field it names or flashed), and answering in JSON or HTML."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import abort, flash, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from app.extensions import db
from app.models import User
from app.services.errors import DomainError, each_problem

T = TypeVar("T")


def current_actor() -> User:
    """The signed-in person, as services record them (``actor=``)."""
    return current_user._get_current_object()


# --- Load or 404 ----------------------------------------------------------------------------------


def or_404(lookup: Callable[..., T | None], *args: Any, **kwargs: Any) -> T:
    """``lookup(*args, **kwargs)``: a service finding what a URL names, or a 404 when it finds
    nothing (None) or refuses (a ``DomainError``)."""
    try:
        found = lookup(*args, **kwargs)
    except DomainError:
        abort(404)
    if found is None:
        abort(404)
    return found


def get_or_404(model: type[T], row_id: int | None, belongs: Callable[[T], bool] = lambda _row: True) -> T:
    """The ``model`` row with this id, when ``belongs(row)``: an id from another event, booth or
    person is no different from no id (a 404 either way)."""
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None or not belongs(row):
        abort(404)
    return row


def find_or_404(items: Iterable[T], item_id: int) -> T:
    """The item of ``items`` with this id (an event's employers, partners, …), else 404: an id from
    another event is no different from no id."""
    for item in items:
        if item.id == item_id:  # type: ignore[attr-defined]
            return item
    return abort(404)


def required(value: T | None) -> T:
    """A value the form's validators require, read once the form validated: never None then (a
    request that gets here without one was not made with the form, and is answered 400)."""
    if value is None:
        abort(400)
    return value


# --- A service refused ----------------------------------------------------------------------------


def undo_refused_writes() -> None:
    """What a service wrote before it refused is undone, so the page shown next (and the next
    commit) sees only what was saved, and a SQLite write lock is not held while it renders."""
    db.session.rollback()


def show_error(form: FlaskForm, error: DomainError, renames: dict[str, str] | None = None) -> None:
    """Undo the refused writes and put each of the service's problems next to the field it names
    (``renames`` maps service field names to this form's), or above the form when it names none of
    them. A field the form already found wrong keeps its first message."""
    undo_refused_writes()
    for problem in each_problem(error):
        name = (renames or {}).get(problem.field, problem.field) if problem.field else None
        field = form._fields.get(name) if name else None
        if field is None:
            form.form_errors.append(str(problem.message))
        elif not field.errors:
            field.errors = [str(problem.message)]


def flash_error(error: DomainError, lead: str = "") -> None:
    """Undo the refused writes and show the service's message at the top of the next page."""
    undo_refused_writes()
    flash(f"{lead}{error.message}", "error")


# --- JSON or HTML ---------------------------------------------------------------------------------


def wants_json() -> bool:
    """The API always answers JSON; elsewhere a script that asks for JSON (``Accept:
    application/json``: the door scanner, the booth tablet) gets it, a browser gets HTML."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def json_error(error: DomainError, status: int = 400, **extra: Any) -> ResponseReturnValue:
    """A refusal as JSON: ``{"status": "error", "error": <code>, "message": …}`` (and ``extra``)."""
    return jsonify(status="error", error=error.code, message=str(error.message), **extra), status
