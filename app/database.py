"""Engine settings the database itself cannot hold: SQLite's pragmas and transaction handling."""

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy.engine import Engine

#: How long a SQLite writer waits for another writer before giving up (ms).
SQLITE_BUSY_TIMEOUT_MS = 15_000


def configure_engine(engine: Engine) -> None:
    """SQLite gets WAL, enforced foreign keys, a busy timeout, and real BEGIN/SAVEPOINT handling.

    Python's sqlite3 module begins transactions lazily and implicitly, which breaks SAVEPOINTs
    (used by retries and by the tests' per-test rollback); SQLAlchemy's documented remedy is to
    turn that off and emit BEGIN ourselves."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes_next() else "BEGIN")

    @sa.event.listens_for(engine, "commit")
    def _on_commit(connection) -> None:
        if has_request_context():
            g.database_written = True


def _writes_next() -> bool:
    """A POST (or other unsafe method) takes SQLite's write lock when its first transaction begins;
    what it reads after committing (to render the page, to send e-mail) does not hold the lock.

    A deferred transaction that reads and then writes cannot wait for another writer: once that
    writer commits, its snapshot is stale and SQLite answers SQLITE_BUSY at once. Taking the lock
    up front makes concurrent writers queue on the busy timeout instead, while GETs read in
    parallel. (PostgreSQL needs none of this; its services lock rows with SELECT … FOR UPDATE.)"""
    return (
        has_request_context()
        and request.method not in ("GET", "HEAD", "OPTIONS")
        and not g.get("database_written", False)
    )


def render_migration_type(type_: str, obj, autogen_context):
    """Alembic autogenerate hook: write our ``UTCDateTime`` as plain ``sa.DateTime(timezone=True)``
    so migrations never import application code."""
    from app.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
