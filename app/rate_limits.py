"""Rate limits every worker process and every host counts together.

Flask-Limiter keeps its counters where ``RATELIMIT_STORAGE_URI`` says: Redis (``redis://…``, or
``REDIS_URL`` when that is set) for several hosts, else ``hireday-database://``, a table in the
application's own database (``DatabaseStorage``; the ``limits`` library has no SQL storage of its
own). Never one process's memory: with five workers each counting alone, a limit of 10 let 23-46
wrong passwords through.

Failed sign-ins are counted per account *and* address, so a venue where everyone shares one
address is not locked out of a correct password by someone else's typing; and every 429 says
when to try again (``Retry-After``)."""

import math
import os
import threading
import time
from typing import cast

import sqlalchemy as sa
from flask import Flask, request
from flask_limiter.util import get_remote_address
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from app.models.rate_limit import RateLimitCounter

_COUNTERS = cast(sa.Table, RateLimitCounter.__table__)


def _upsert(dialect_module):
    """Count ``amount`` hits on a key: a new window when the old one has expired."""
    insert = dialect_module.insert(_COUNTERS).values(
        key=sa.bindparam("key"), hits=sa.bindparam("amount"), expires_at=sa.bindparam("expires_at")
    )
    expired = _COUNTERS.c.expires_at <= sa.bindparam("now")
    return insert.on_conflict_do_update(
        index_elements=[_COUNTERS.c.key],
        set_={
            "hits": sa.case((expired, insert.excluded.hits), else_=_COUNTERS.c.hits + insert.excluded.hits),
            "expires_at": sa.case((expired, insert.excluded.expires_at), else_=_COUNTERS.c.expires_at),
        },
    ).returning(_COUNTERS.c.hits)


_INCR = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}
_GET = sa.select(_COUNTERS.c.hits).where(
    _COUNTERS.c.key == sa.bindparam("key"), _COUNTERS.c.expires_at > sa.bindparam("now")
)
_EXPIRY = sa.select(_COUNTERS.c.expires_at).where(_COUNTERS.c.key == sa.bindparam("key"))
_SWEEP = sa.delete(_COUNTERS).where(_COUNTERS.c.expires_at <= sa.bindparam("now"))


def _sqlite_synchronous_normal(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class DatabaseStorage(Storage):
    """``hireday-database://``: fixed-window counters in the ``rate_limit_counters`` table, one
    upsert per counted request.

    It runs on an engine of its own (same database, a small pool, no listeners), committing each
    count at once: a count never joins the request's transaction, is never rolled back with it,
    and never holds SQLite's write lock for longer than its one statement."""

    STORAGE_SCHEME = ["hireday-database"]  # noqa: RUF012  (limits' Storage declares it so)
    #: Expired counters are deleted at most this often per process.
    SWEEP_EVERY_S = 60.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._engine: sa.Engine | None = None
        self._engine_pid: int | None = None
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def engine(self) -> sa.Engine:
        """This process's engine (made on first use, and again in a forked worker)."""
        with self._lock:
            if self._engine is None or self._engine_pid != os.getpid():
                from app.extensions import db

                url = db.engine.url
                if url.get_backend_name() == "sqlite":
                    self._engine = sa.create_engine(url, hide_parameters=True, connect_args={"timeout": 15})
                    # As the app's own connections (app.database): no flush to disk at each commit.
                    sa.event.listen(self._engine, "connect", _sqlite_synchronous_normal)
                else:
                    # A count lost in a crash costs nothing worth a disk flush per request.
                    self._engine = sa.create_engine(
                        url, hide_parameters=True, pool_size=2, max_overflow=8, pool_pre_ping=True,
                        connect_args={"options": "-c synchronous_commit=off"},
                    )
                self._engine_pid = os.getpid()
            return self._engine

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        engine = self.engine()
        with engine.begin() as connection:
            hits = connection.execute(
                _INCR[engine.dialect.name],
                {"key": key, "amount": amount, "expires_at": now + expiry, "now": now},
            ).scalar_one()
            if now >= self._next_sweep:
                self._next_sweep = now + self.SWEEP_EVERY_S
                connection.execute(_SWEEP, {"now": now})
        return hits

    def get(self, key: str) -> int:
        with self.engine().connect() as connection:
            return connection.execute(_GET, {"key": key, "now": time.time()}).scalar() or 0

    def get_expiry(self, key: str) -> float:
        with self.engine().connect() as connection:
            return connection.execute(_EXPIRY, {"key": key}).scalar() or time.time()

    def check(self) -> bool:
        try:
            with self.engine().connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine().begin() as connection:
            return connection.execute(sa.delete(_COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        with self.engine().begin() as connection:
            connection.execute(sa.delete(_COUNTERS).where(_COUNTERS.c.key == key))


def storage_uri() -> str:
    """``RATELIMIT_STORAGE_URI`` if set, else Redis at ``REDIS_URL``, else the application's database."""
    return os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "hireday-database://"


def sign_in_key() -> str:
    """Failed sign-ins count per client address and account (the e-mail typed, hashed)."""
    from app.services.tokens import hash_secret

    email = (request.form.get("email") or "").strip().lower()
    return f"{get_remote_address()}:{hash_secret(email)[:24]}"


def _retry_after(response):
    """Every 429 says when the window that refused it ends."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        from app.extensions import limiter

        limit = limiter.current_limit
        reset_at = limit.reset_at if limit is not None else time.time() + 60
        response.headers["Retry-After"] = str(max(1, math.ceil(reset_at - time.time())))
    return response


def init_app(app: Flask) -> None:
    app.after_request(_retry_after)
