"""Secret links and the values of a failed database row never reach a log line: booth, partner,
manage, badge and survey links carry their secret in the path (``/booth/<token>``,
``/partner/<token>``, ``/r/<token>``, ``/b/<code>``, ``/s/<token>``, and the "I can't come" links
of reminders, ``/c/<token>``). Every log record made in the process, by the app, Flask,
SQLAlchemy or gunicorn (access and error lines alike), has that segment replaced before any
handler sees it.

PostgreSQL's DETAIL lines, which quote a failed row's values, are cut the same way. Personal data
in SQL parameters is kept out at the source: the engine hides parameters (``hide_parameters`` in
``app.config``)."""

import logging
import re

#: A secret path segment, wherever a path appears in a line (alone or inside a URL).
SECRET_PATH = re.compile(r"(/(?:booth|partner|r|b|c|s)/)[^/?#\s\"'<>\[\]]+")
#: PostgreSQL's DETAIL line of an error quotes the values of the row or key that failed
#: ("Failing row contains (…, Maria, maria@example.com, …)"), parameters hidden or not.
DATABASE_DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)
HIDDEN = "…"


def redact(text: str) -> str:
    """``text`` with the secret segment of every secret link, and the values a database error
    quotes, replaced by ``…``."""
    return DATABASE_DETAIL.sub(rf"\g<1> {HIDDEN}", SECRET_PATH.sub(rf"\g<1>{HIDDEN}", text))


def _redacting(make_record):
    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: logging reports it itself when the record is handled
            return record
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    factory.redacts_secret_paths = True
    return factory


def install() -> None:
    """Redact every log record this process makes from now on (safe to call more than once)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacts_secret_paths", False):
        logging.setLogRecordFactory(_redacting(current))
