"""Engine settings the database itself cannot hold (SQLite's pragmas and transaction handling), and
``Prepared``: hot-path statements run on the driver's cursor."""

import fcntl
import functools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeAlias, TypeVar

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.engine import Engine
from sqlalchemy.orm import scoped_session

#: What a service takes as its session: a SQLAlchemy ``Session``, or Flask-SQLAlchemy's
#: ``db.session``, the scoped proxy that hands each request (and job) its own ``Session`` and has
#: the same methods. Services annotate with this so that the web layer, CLI commands and jobs
#: pass ``db.session`` as it is.
Session: TypeAlias = orm.Session | orm.scoped_session[Any]

#: How long a SQLite writer waits for another writer before giving up (ms).
SQLITE_BUSY_TIMEOUT_MS = 15_000


def configure_engine(engine: Engine) -> None:
    """SQLite gets WAL, enforced foreign keys, a busy timeout, real BEGIN/SAVEPOINT handling, and
    a queue for its writers (``_WriterQueue``).

    Python's sqlite3 module begins transactions lazily and implicitly, which breaks SAVEPOINTs
    (used by retries and by the tests' per-test rollback); SQLAlchemy's documented remedy is to
    turn that off and emit BEGIN ourselves."""
    if engine.dialect.name != "sqlite":
        return
    queue = _WriterQueue(engine.url.database)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()
        queue.attach(record.info)

    @sa.event.listens_for(engine, "close")
    def _on_close(_dbapi_connection, record) -> None:
        queue.detach(record.info)

    @sa.event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record) -> None:
        # Back in the pool (rolled back on the way if need be): nothing may stay held.
        record.info.pop("writing", None)
        queue.leave(record.info)

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if not _writes_next():
            connection.exec_driver_sql("BEGIN")
            return
        connection.connection.info["writing"] = True
        queue.enter(connection.connection.info)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            connection.connection.info.pop("writing", None)
            queue.leave(connection.connection.info)
            raise

    @sa.event.listens_for(engine, "commit")
    def _on_commit(connection) -> None:
        if connection.connection.info.pop("writing", False):
            _wrote()
        _end_queued(connection, "commit")

    @sa.event.listens_for(engine, "rollback")
    def _on_rollback(connection) -> None:
        connection.connection.info.pop("writing", None)
        _end_queued(connection, "rollback")

    def _end_queued(connection, how: str) -> None:
        """Ends a queued writer's transaction now, then lets the next writer in. (SQLAlchemy's own
        COMMIT or ROLLBACK, which follows these events, then finds no transaction and does nothing.)"""
        info = connection.connection.info
        if queue.holds(info):
            try:
                getattr(connection.connection.dbapi_connection, how)()
            finally:
                queue.leave(info)


class _WriterQueue:
    """Writers to one SQLite file take turns on an OS file lock (``flock``), taken before
    ``BEGIN IMMEDIATE`` and given back the moment the transaction ends.

    SQLite alone makes a waiting writer poll: its busy handler sleeps 1, 2, 5 … 25, 50, 100 ms
    between tries, so in a queue of writers some wait far longer than the writes ahead of them
    take (check-ins of 3 ms had a p99 of 270 ms). The kernel wakes a process waiting on a
    ``flock`` as soon as it is free. Each connection opens the lock file itself, so connections
    exclude each other across threads and processes; a process that dies lets go with it.
    SQLite's busy timeout stays the backstop for writers that do not queue here (another
    program, a thread that already holds the lock through a second connection)."""

    def __init__(self, database: str | None):
        in_memory = not database or database == ":memory:" or database.startswith("file::memory:")
        self.path = None if in_memory or database is None else os.path.abspath(database) + "-writers.lock"
        self._thread = threading.local()

    # ``info`` is the dictionary SQLAlchemy keeps with each database connection for its lifetime.

    def attach(self, info: dict) -> None:
        if self.path is not None:
            info["writer_lock_fd"] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

    def detach(self, info: dict) -> None:
        self.leave(info)
        fd = info.pop("writer_lock_fd", None)
        if fd is not None:
            os.close(fd)

    def enter(self, info: dict) -> None:
        fd = info.get("writer_lock_fd")
        if fd is None or getattr(self._thread, "holding", False):
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        info["writer_lock_held"] = True
        self._thread.holding = True

    def holds(self, info: dict) -> bool:
        return info.get("writer_lock_held", False)

    def leave(self, info: dict) -> None:
        if info.pop("writer_lock_held", False):
            fcntl.flock(info["writer_lock_fd"], fcntl.LOCK_UN)
            self._thread.holding = False


@dataclass
class _Writes:
    """What a ``writing()`` block said about the transactions begun inside it."""

    #: Only the first transaction that commits writes (``writes``: a request's answer is read after).
    once: bool
    #: A write has committed in a ``once`` block: what follows only reads.
    done: bool = False
    #: Inside ``reads_before_writing``: this transaction only reads, though the block writes.
    reading_first: bool = False


#: Set by ``writing()``: the block whose transactions write, if any.
_writes: ContextVar[_Writes | None] = ContextVar("hireday_writes", default=None)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def writing(*, once: bool = False) -> Iterator[None]:
    """Says that the transactions begun inside this block write. On SQLite each takes the write lock
    when it begins (``BEGIN IMMEDIATE``): a deferred transaction that reads and then writes cannot
    wait for another writer (once that writer commits, its snapshot is stale and SQLite answers
    SQLITE_BUSY at once), while one that took the lock up front queues behind the others. Blocks
    that only read, and everything outside a block, read in parallel. PostgreSQL needs none of
    this (its services lock rows with ``SELECT … FOR UPDATE``), so there it changes nothing.

    Background jobs and commands say it with this block; a view says it with ``@writes``, which is
    this block with ``once``: only the first transaction that commits writes, so reading the page
    or the answer after committing does not hold the lock. Nothing infers it from an HTTP verb."""
    token = _writes.set(_Writes(once=once))
    try:
        yield
    finally:
        _writes.reset(token)


def writes(function: Callable[P, R]) -> Callable[P, R]:
    """Decorates a view (or a command) that writes: it runs in ``writing(once=True)``. Put it above
    the decorators that authenticate, so that what they read runs before the write
    (``reads_before_writing``)."""

    @functools.wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with writing(once=True):
            return function(*args, **kwargs)

    wrapped.writes = True  # type: ignore[attr-defined]
    return wrapped


@contextmanager
def writing_from_here(session: Session) -> Iterator[None]:
    """For a view that reads before it knows whether it writes (a form page: it shows the form, or
    checks what was sent and then saves it): the block it saves in writes. What was read before it
    ends here and is read again under the lock when used (its objects expire), so the write never
    builds on a stale snapshot; the block is ``writing(once=True)``."""
    own = session() if isinstance(session, scoped_session) else session
    if own.in_transaction():
        own.commit()
    with writing(once=True):
        yield


def _writes_next() -> bool:
    """Does the transaction about to begin write?"""
    state = _writes.get()
    return state is not None and not state.done and not state.reading_first


def _wrote() -> None:
    state = _writes.get()
    if state is not None and state.once:
        state.done = True


@contextmanager
def reads_before_writing(session: Session) -> Iterator[None]:
    """Reads made before a request's write (a scanner's device token, the signed-in user, the
    event) run in a transaction of their own that does not take SQLite's write lock, so the lock
    is held only for the write itself, and a request that turns out to write never does so in a
    transaction that began by reading. What was read stays loaded: this transaction ends without
    expiring it. On PostgreSQL (which locks rows, not the database) the reads stay where they are."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    state = _writes.get()
    reading_first = state.reading_first if state is not None else False
    if state is not None:
        state.reading_first = True
    try:
        yield
    finally:
        if state is not None:
            state.reading_first = reading_first
    own = session() if isinstance(session, scoped_session) else session
    if not own.in_transaction() or reading_first:
        return  # nothing was read after all (a device already trusted, say), or an outer block ends it
    expire_on_commit, own.expire_on_commit = own.expire_on_commit, False
    try:
        own.commit()
    finally:
        own.expire_on_commit = expire_on_commit


class Prepared:
    """A Core statement on a hot path (a scan at the door), compiled once per dialect and run on the
    driver's cursor, inside the session's transaction.

    ``session.execute`` builds an execution context and a result object around every statement:
    for a scan's three statements and its commit, about 430 µs of the 1.1 ms a scan took
    in-process, against about 230 µs this way (SQLite, both in the session's transaction).

    What stays as ``session.execute`` has it:
    - values go in and come out through the columns' own types (``bind_processor`` and
      ``result_processor``), so rows hold the same datetimes, enums and booleans;
    - the session's pending changes are flushed first;
    - the engine's ``before_cursor_execute`` and ``after_cursor_execute`` listeners see each
      statement (and may rewrite it);
    - driver errors arrive as SQLAlchemy's (``IntegrityError``, ``OperationalError`` …).

    ``statement`` is one statement, or one per dialect name (``{"sqlite": …, "postgresql": …}``)
    for SQL that differs. Expanding ``IN`` lists are not supported (they compile per call)."""

    def __init__(self, statement):
        self._statements = statement if isinstance(statement, dict) else None
        self._statement = None if isinstance(statement, dict) else statement
        self._compiled: dict[tuple, _Compiled] = {}

    def rows(self, session, params: dict) -> list[tuple]:
        """Every row, as tuples in the order of the statement's columns."""
        compiled, cursor = self._run(session, params)
        try:
            return [compiled.row(raw) for raw in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, session, params: dict) -> tuple | None:
        """The first row, or None."""
        compiled, cursor = self._run(session, params)
        try:
            raw = cursor.fetchone()
        finally:
            cursor.close()
        return None if raw is None else compiled.row(raw)

    def _run(self, session, params: dict):
        session.flush()
        connection = session.connection()
        dialect = connection.dialect
        key = (dialect.name, tuple(params))
        compiled = self._compiled.get(key)
        if compiled is None:
            statement = self._statements[dialect.name] if self._statements is not None else self._statement
            compiled = self._compiled[key] = _Compiled(statement, dialect, list(params))
        sql, parameters = compiled.sql, compiled.parameters(params)
        cursor = connection.connection.cursor()
        try:
            for listener in connection.dispatch.before_cursor_execute:
                sql, parameters = listener(connection, cursor, sql, parameters, None, False)
            cursor.execute(sql, parameters)
            for listener in connection.dispatch.after_cursor_execute:
                listener(connection, cursor, sql, parameters, None, False)
        except dialect.loaded_dbapi.Error as error:
            cursor.close()
            raise sa.exc.DBAPIError.instance(sql, parameters, error, dialect.loaded_dbapi.Error) from error
        except BaseException:
            cursor.close()
            raise
        return compiled, cursor


class _Compiled:
    """One statement compiled for one dialect (and, for an INSERT, one set of columns)."""

    def __init__(self, statement, dialect, column_keys: list[str]):
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        if compiled.post_compile_params:
            raise ValueError("Prepared statements take no expanding IN lists: compare with = or != instead.")
        if compiled.escaped_bind_names:
            raise ValueError("Prepared statements take plain parameter names (letters, digits, _).")
        self.sql = compiled.string
        self._names = compiled.positiontup if dialect.positional else list(compiled.binds)
        self._positional = dialect.positional
        #: Per parameter: its value when the caller gives none, whether the caller must give one,
        #: and its type's bind processor.
        self._binds = [
            (name, bind.value, bind.required, bind.type.dialect_impl(dialect).bind_processor(dialect))
            for name, bind in ((name, compiled.binds[name]) for name in self._names)
        ]
        processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.exported_columns
        ]
        self._results = processors if any(processors) else None

    def parameters(self, params: dict):
        values = []
        for name, default, required, process in self._binds:
            if name in params:
                value = params[name]
            elif required:
                raise KeyError(f"the statement needs a value for {name!r}")
            else:
                value = default
            values.append(process(value) if process is not None and value is not None else value)
        return tuple(values) if self._positional else dict(zip(self._names, values, strict=True))

    def row(self, raw) -> tuple:
        if self._results is None:
            return tuple(raw)
        return tuple(
            value if process is None else process(value)
            for process, value in zip(self._results, raw, strict=True)
        )


def render_migration_type(type_: str, obj, autogen_context):
    """Alembic autogenerate hook: write our ``UTCDateTime`` as plain ``sa.DateTime(timezone=True)``
    so migrations never import application code."""
    from app.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def session_of(obj: object) -> orm.Session:
    """The session ``obj`` was loaded in or added to; a detached object has none, and asking is a bug."""
    session = orm.object_session(obj)
    if session is None:
        raise ValueError(f"this {type(obj).__name__} belongs to no session")
    return session
