"""Races between requests, run for real: threads released together at a barrier, each with its own
session. For the controls that show a race is real, the same statements can be sent without their
row locks, with a pause after a read so that every thread reads before any of them writes."""

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

#: A row-lock clause as PostgreSQL spells it: ``FOR UPDATE``, ``FOR NO KEY UPDATE``, ``FOR SHARE``,
#: with ``OF …``, ``NOWAIT`` or ``SKIP LOCKED``.
_ROW_LOCK = re.compile(
    r"\s+FOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE)(?:\s+OF\s+[\w.]+(?:\s*,\s*[\w.]+)*)?(?:\s+NOWAIT|\s+SKIP\s+LOCKED)?",
    re.IGNORECASE,
)


def at_once(count: int, work: Callable[[int], None]) -> None:
    """Run ``work(0)`` … ``work(count - 1)``, each in its own thread, all released at the same
    moment, and wait for every one to finish."""
    barrier = threading.Barrier(count)

    def run(n: int) -> None:
        barrier.wait()
        work(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a racing thread never finished (a lock never given back?)"


@contextmanager
def without_row_locks(engine: sa.Engine) -> Iterator[None]:
    """Send every statement on ``engine`` with its ``FOR UPDATE …`` clause taken out: the code under
    test runs unchanged, but nothing waits for anyone else's row lock."""

    def strip(connection, cursor, statement, parameters, context, executemany):
        return _ROW_LOCK.sub("", statement), parameters

    sa.event.listen(engine, "before_cursor_execute", strip, retval=True)
    try:
        yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", strip)


@contextmanager
def pausing_after(engine: sa.Engine, statement: str, seconds: float = 0.1) -> Iterator[None]:
    """Sleep ``seconds`` after every statement on ``engine`` that matches the regular expression
    ``statement``. A pause after the read a decision rests on lets every racing thread make that
    read before any of them writes, so a race that can happen does, every run."""
    pattern = re.compile(statement, re.DOTALL)

    def pause(connection, cursor, sql, parameters, context, executemany):
        if pattern.search(sql):
            time.sleep(seconds)

    sa.event.listen(engine, "after_cursor_execute", pause)
    try:
        yield
    finally:
        sa.event.remove(engine, "after_cursor_execute", pause)


def _test_database_is_postgresql() -> bool:
    # The same choice as conftest's: TEST_DATABASE_URL when set, else SQLite.
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    return bool(url) and sa.engine.make_url(url).get_backend_name() == "postgresql"


#: For the controls that show a race is real: only PostgreSQL lets two writers race. SQLite takes one
#: write lock for the whole database up front, so there the guarded tests prove what they can alone.
postgresql_only = pytest.mark.skipif(
    not _test_database_is_postgresql(),
    reason="a control for a race only PostgreSQL lets happen; set TEST_DATABASE_URL to a PostgreSQL database "
           "to run it",
)
