"""The one input boundary: what a request may carry before any of it reaches a form, a service or the
database, so that both databases see the same text and numbers.

- Text: a NUL character (PostgreSQL cannot store one; SQLite would) and lone UTF-16 surrogates
  (neither database can encode one) are taken out of query strings and form fields; a form that
  lost one says so in a message. A path with one names no page (404). JSON keeps its strings (the
  check-in API hashes anything that is not a badge code); JSON nested too deep to parse is
  malformed JSON, not a server error.
- Numbers: every whole number a form or a URL takes must fit the database's integer columns.
- Dates: every date and time a form takes lies within ``EARLIEST_YEAR``..``LATEST_YEAR``, so
  converting it between time zones can never overflow."""

import re
from datetime import date, datetime

from flask import Flask, abort, flash, g, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _, lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter
from wtforms import Form
from wtforms.validators import NumberRange, StopValidation

#: The largest id or count a form or URL may carry: PostgreSQL's ``integer``.
MAX_STORED_INT = 2**31 - 1
MIN_STORED_INT = -(2**31)
#: Dates outside these years are typing mistakes (or a fuzzer), never a hiring event.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

#: NUL and lone surrogates: text no database column can hold the same way on both databases.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> bool:
    """Does ``text`` hold a character the database cannot store?"""
    return _UNSTORABLE.search(text) is not None


def storable(text: str) -> str:
    """``text`` without NUL characters, with each lone surrogate replaced by U+FFFD. (Bytes that
    are not UTF-8 never get this far: Werkzeug keeps them as the percent-escapes that were sent.)"""
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def _cleaned(values: ImmutableMultiDict) -> ImmutableMultiDict | None:
    """The same fields with storable text, or None when nothing needed cleaning."""
    if not any(unstorable(k) or (isinstance(v, str) and unstorable(v)) for k, v in values.items(multi=True)):
        return None
    return ImmutableMultiDict(
        [(storable(k), storable(v) if isinstance(v, str) else v) for k, v in values.items(multi=True)]
    )


def _clean_request():
    if unstorable(request.path):
        abort(404)
    args = _cleaned(request.args)
    if args is not None:
        request.args = args
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = _cleaned(request.form)
        if form is not None:
            request.form = form
            g.input_cleaned = True
    return


def _say_what_was_cleaned(response):
    """A form that lost an invisible character says so on the page that follows."""
    if g.get("input_cleaned") and response.status_code in (200, 302, 303):
        flash(
            _("We removed an invisible control character (NUL) from what you typed. Please check it."), "info"
        )
    return response


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` in a URL: a number no row can have is no page (404), not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_STORED_INT)
        super().__init__(map, *args, **kwargs)


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body nested too deep for the parser is malformed like any other (so
    ``get_json(silent=True)`` gives None and the view answers with its own error), not a
    ``RecursionError`` and a 500."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc


# --- Form fields ------------------------------------------------------------------------------------


def fits_stored_int(value: int) -> bool:
    """Can an integer column hold ``value`` (on PostgreSQL as on SQLite)?"""
    return MIN_STORED_INT <= value <= MAX_STORED_INT


def _out_of_range(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not fits_stored_int(value)
    if isinstance(value, datetime | date):
        return not EARLIEST_YEAR <= value.year <= LATEST_YEAR
    if isinstance(value, list | tuple):
        return any(_out_of_range(item) for item in value)
    return False


def _declares_its_range(field) -> bool:
    """A field with a ``NumberRange`` that has a maximum says its own range (a 64-bit sequence
    number, say) and is held to that one instead."""
    return any(isinstance(v, NumberRange) and v.max is not None for v in field.validators)


def within_database_range(form: Form, field) -> None:
    """A validator every form field gets (see ``bind_field``): whole numbers that fit the
    database's integer columns (unless the field declares its own range), dates between
    ``EARLIEST_YEAR`` and ``LATEST_YEAR``."""
    if not _out_of_range(field.data):
        return
    if isinstance(field.data, int) and _declares_its_range(field):
        return
    field.errors[:] = []
    if isinstance(field.data, datetime | date) or (
        isinstance(field.data, list | tuple) and field.data and isinstance(field.data[0], datetime | date)
    ):
        raise StopValidation(
            _l("Enter a date between %(first)s and %(last)s.", first=EARLIEST_YEAR, last=LATEST_YEAR)
        )
    raise StopValidation(_l("Enter a smaller number."))


def bind_field(meta, form: Form, unbound_field, options: dict):
    """Every field of every form ends with ``within_database_range``."""
    options["validators"] = [*(unbound_field.kwargs.get("validators") or []), within_database_range]
    return unbound_field.bind(form=form, **options)


def init_app(app: Flask) -> None:
    from flask_wtf import FlaskForm

    # Every form of the app is a FlaskForm: its fields are bound here, so none can skip the check.
    FlaskForm.Meta.bind_field = bind_field
    app.json = BoundedJSONProvider(app)
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(_clean_request)
    app.after_request(_say_what_was_cleaned)
