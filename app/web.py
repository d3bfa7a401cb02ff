"""What every blueprint's views do the same way: the signed-in person, a domain error put on its
form field, an item of a list by id or 404."""

from flask import abort, flash
from flask_login import current_user
from flask_wtf import FlaskForm

from app.models import User
from app.services.errors import DomainError


def current_actor() -> User:
    """The signed-in person, as services record them (``actor=``)."""
    return current_user._get_current_object()


def show_error(form: FlaskForm, error: DomainError, renames: dict[str, str] | None = None) -> None:
    """Put a service's message on the field it names (``renames`` maps service field names to this
    form's), or flash it when it belongs to no field of the form."""
    name = (renames or {}).get(error.field, error.field) if error.field else None
    field = form[name] if name and name in form else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        flash(str(error.message), "error")


def find_or_404(items, item_id: int):
    """The item of ``items`` with this id (an event's employers, partners, …), else 404: an id from
    another event is no different from no id."""
    for item in items:
        if item.id == item_id:
            return item
    abort(404)
