"""Configuration layers: these defaults, then the environment, then ``instance/config.py``,
then the overrides a test passes to ``create_app``."""

import os
from pathlib import Path

INSTANCE_PATH = Path(__file__).resolve().parent.parent / "instance"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number, got {value!r}") from exc


class ConfigError(RuntimeError):
    """A setting HireDay cannot start with; the message says which and why."""


def check_database_url(url: str) -> None:
    """Only SQLite and PostgreSQL (psycopg 3) are supported; anything else fails at start-up."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"DATABASE_URL is not a database URL: {url!r}.") from exc
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise ConfigError(
            f"DATABASE_URL uses {parsed.drivername!r}; HireDay runs on SQLite or on PostgreSQL "
            "(postgresql+psycopg://user@host/dbname)."
        )


def database_url() -> str:
    """``DATABASE_URL`` when set (``postgres://`` URLs get the psycopg 3 driver), else SQLite in
    ``instance/``."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_PATH / 'hireday.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def rate_limit_storage_uri() -> str:
    from app.rate_limits import storage_uri

    return storage_uri()


def from_environment() -> dict:
    """The settings an operator may change, read from the environment."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "BASE_URL": os.environ.get("BASE_URL", "").rstrip("/"),
        #: Where gunicorn listens; without ``BASE_URL``, links made outside a request use this port.
        "PORT": _env_int("PORT", 8000),
        "BOARD_NAME": os.environ.get("BOARD_NAME", "Chicago Cook Workforce Partnership"),
        "DEFAULT_TIMEZONE": os.environ.get("DEFAULT_TIMEZONE", "America/Chicago"),
        "SESSION_IDLE_MINUTES": _env_int("SESSION_IDLE_MINUTES", 120),
        "SESSION_MAX_HOURS": _env_int("SESSION_MAX_HOURS", 14),
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "BOOTH_LINK_DAYS": _env_int("BOOTH_LINK_DAYS", 30),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _env_int("MAIL_PORT", 587),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "events@hireday.invalid"),
        "OUTBOX_PATH": os.environ.get("OUTBOX_PATH", str(INSTANCE_PATH / "outbox")),
        "RATELIMIT_STORAGE_URI": rate_limit_storage_uri(),
        "REGISTRATION_RATE_LIMIT": os.environ.get("REGISTRATION_RATE_LIMIT", "20/minute;300/hour"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10/minute;50/hour"),
        "CHECKIN_RATE_LIMIT": os.environ.get("CHECKIN_RATE_LIMIT", "120/minute"),
        "PARTNER_API_RATE_LIMIT": os.environ.get("PARTNER_API_RATE_LIMIT", "120/minute"),
        "TRUSTED_PROXIES": _env_int("TRUSTED_PROXIES", 0),
        # The job queue: Redis when REDIS_URL is set (several hosts), else SQLite in instance/.
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "JOBS_SQLITE_PATH": os.environ.get("JOBS_SQLITE_PATH", str(INSTANCE_PATH / "jobs.sqlite3")),
        "JOBS_IMMEDIATE": os.environ.get("JOBS_IMMEDIATE", "0") == "1",
        #: Several installations may share one Redis: each needs a queue name of its own.
        "JOBS_QUEUE_NAME": os.environ.get("JOBS_QUEUE_NAME", "hireday"),
        "RETENTION_DAYS": _env_int("RETENTION_DAYS", 730),
        # Text messages: "outbox" writes them to instance/sms-outbox/; "twilio" sends them.
        "SMS_PROVIDER": os.environ.get("SMS_PROVIDER", "outbox"),
        "SMS_OUTBOX_PATH": os.environ.get("SMS_OUTBOX_PATH", str(INSTANCE_PATH / "sms-outbox")),
        "TWILIO_ACCOUNT_SID": os.environ.get("TWILIO_ACCOUNT_SID", ""),
        "TWILIO_AUTH_TOKEN": os.environ.get("TWILIO_AUTH_TOKEN", ""),
        "TWILIO_FROM": os.environ.get("TWILIO_FROM", ""),
        #: Only for tests and staging: where Twilio's API is (a local fake).
        "TWILIO_API_BASE": os.environ.get("TWILIO_API_BASE", ""),
        #: No texts between these local hours (the event's time zone): "21-8" holds them until 8:00.
        "SMS_QUIET_HOURS": os.environ.get("SMS_QUIET_HOURS", "21-8"),
        # Partner webhooks. Private, loopback and link-local addresses (a partner's URL pointing at
        # this server's own network) and plain http are refused unless allowed: tests and dev only.
        "WEBHOOK_ALLOW_PRIVATE_URLS": os.environ.get("WEBHOOK_ALLOW_PRIVATE_URLS", "0") == "1",
        "WEBHOOK_ALLOW_HTTP": os.environ.get("WEBHOOK_ALLOW_HTTP", "0") == "1",
        #: Seconds a receiver has to connect and answer: a hanging one holds a worker this long.
        "WEBHOOK_TIMEOUT_S": _env_int("WEBHOOK_TIMEOUT_S", 5),
        #: Seconds before each retry after a failed attempt; after the last, the message has failed.
        "WEBHOOK_RETRY_SCHEDULE": os.environ.get(
            "WEBHOOK_RETRY_SCHEDULE", "5,300,1800,7200,18000,36000,36000"
        ),
    }


DEFAULTS: dict = {
    # pool_pre_ping: a PostgreSQL restart drops connections. hide_parameters: a database error's
    # message and traceback never carry the values (names, e-mails, phones) of its statement.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": 0,
    "WTF_CSRF_TIME_LIMIT": None,  # sessions expire on their own; a form left open at the door must still post
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent / "translations"),
    "LANGUAGES": ("en", "es"),
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
}
