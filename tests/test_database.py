"""SQLite's writers take turns (app/database.py): a transaction that says it writes (``writing()``,
``@writes``) queues for the write lock instead of failing or polling, and lets go of it however the
transaction ends; nothing is inferred from a request's HTTP verb.

These tests use their own SQLite file whatever the suite's database, with SQLite's own busy
timeout set to 0: without the queue, a second writer would get "database is locked" at once."""

import sqlite3

import pytest
import sqlalchemy as sa

from app.database import configure_engine, writes, writing, writing_from_here
from tests.races import at_once

WRITERS = 8


@pytest.fixture
def engine(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path}/queue.sqlite3")
    configure_engine(engine)

    @sa.event.listens_for(engine, "connect")
    def _no_busy_wait(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE scans (writer INTEGER, step INTEGER)")
    yield engine
    engine.dispose()


def another_writer_can_start(tmp_path) -> bool:
    other = sqlite3.connect(tmp_path / "queue.sqlite3", timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return False
    finally:
        other.close()


def _in_threads(target, count: int) -> list[BaseException]:
    """Runs ``target(0)`` … ``target(count - 1)`` at once; the errors they raised."""
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            target(n)
        except BaseException as error:
            errors.append(error)

    at_once(count, run)
    return errors


def test_simultaneous_writers_queue_instead_of_failing(engine):
    """Eight writers at once; each reads, waits a moment and writes again inside its transaction.
    All succeed, and no transaction's steps interleave with another's."""

    def write(n: int) -> None:
        with writing(), engine.begin() as connection:
            for step in range(3):
                connection.execute(sa.text("SELECT count(*) FROM scans")).scalar()
                connection.execute(sa.text("INSERT INTO scans VALUES (:n, :step)"), {"n": n, "step": step})

    assert _in_threads(write, WRITERS) == []
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT writer, step FROM scans ORDER BY rowid")).all()
    assert len(rows) == WRITERS * 3
    writers_in_order = [writer for writer, _ in rows]
    assert all(writers_in_order[i] == writers_in_order[i - i % 3] for i in range(len(rows)))


def test_the_lock_is_given_back_when_a_write_fails(engine):
    """A writer whose write fails and rolls back must not keep the next writers waiting."""

    def write_then_fail(n: int) -> None:
        with writing(), engine.connect() as connection:
            transaction = connection.begin()
            connection.execute(sa.text("INSERT INTO scans VALUES (:n, 0)"), {"n": n})
            transaction.rollback()
            with connection.begin():
                connection.execute(sa.text("INSERT INTO scans VALUES (:n, 1)"), {"n": n})

    assert _in_threads(write_then_fail, WRITERS) == []
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT step, count(*) FROM scans GROUP BY step")).all() == [
            (1, WRITERS)
        ]


def test_page_views_read_while_a_writer_holds_the_lock(engine):
    """A page view reads while a writer holds the lock: WAL lets it, and the queue must not make
    it wait."""
    with writing(), engine.connect() as writer:
        writer.begin()
        writer.execute(sa.text("INSERT INTO scans VALUES (1, 0)"))

        def read(_n: int) -> None:
            with engine.connect() as reader:
                assert reader.execute(sa.text("SELECT count(*) FROM scans")).scalar() == 0

        assert _in_threads(read, 2) == []


def test_jobs_say_they_write_and_queue_like_write_requests(engine, tmp_path):
    """Background jobs have no request: a block under ``writing()`` takes the write lock when its
    transaction begins, as a write request does, so a job that reads and then writes never finds
    its snapshot stale; outside it, a read takes no lock. Eight such jobs at once all succeed."""
    with engine.connect() as connection, connection.begin():
        connection.execute(sa.text("SELECT count(*) FROM scans")).scalar()
        assert another_writer_can_start(tmp_path)  # a plain read holds nothing
    with writing(), engine.connect() as connection, connection.begin():
        connection.execute(sa.text("SELECT count(*) FROM scans")).scalar()
        assert not another_writer_can_start(
            tmp_path
        )  # the job's transaction holds the write lock from its start

    def job(n: int) -> None:
        with writing(), engine.begin() as connection:
            for step in range(3):
                connection.execute(sa.text("SELECT count(*) FROM scans")).scalar()
                connection.execute(sa.text("INSERT INTO scans VALUES (:n, :step)"), {"n": n, "step": step})

    assert _in_threads(job, WRITERS) == []
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM scans")).scalar() == WRITERS * 3



def test_a_view_that_writes_holds_the_lock_until_its_write_commits_and_no_longer(engine, tmp_path):
    """``@writes``: the view's transaction takes the lock from its start; a rolled-back attempt
    leaves the next transaction a writer still; once the write commits, reading the answer holds
    nothing."""
    seen = []

    @writes
    def view() -> None:
        with engine.connect() as connection:
            with connection.begin() as failed:
                seen.append(another_writer_can_start(tmp_path))
                failed.rollback()
            with connection.begin():
                connection.execute(sa.text("INSERT INTO scans VALUES (1, 0)"))
                seen.append(another_writer_can_start(tmp_path))
            with connection.begin():
                connection.execute(sa.text("SELECT count(*) FROM scans")).scalar()
                seen.append(another_writer_can_start(tmp_path))

    view()
    assert seen == [False, False, True]


def test_a_form_page_reads_freely_and_writes_from_where_it_says(engine, tmp_path):
    """A form page reads without the lock (showing the form, checking it); the block that saves
    writes, and what it reads there is read under the lock, not from the earlier snapshot."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        session.execute(sa.text("SELECT count(*) FROM scans")).scalar()
        assert another_writer_can_start(tmp_path)  # reading the page holds nothing
        with writing_from_here(session):
            session.execute(sa.text("SELECT count(*) FROM scans")).scalar()
            assert not another_writer_can_start(tmp_path)
            session.execute(sa.text("INSERT INTO scans VALUES (2, 0)"))
            session.commit()
        assert another_writer_can_start(tmp_path)


#: Views that take only POST and write nothing to the database (the session cookie only).
WRITE_NOTHING = {"checkin.forget_device"}


def test_every_view_that_only_takes_submissions_says_it_writes(app):
    """A POST-only view states that it writes (``@writes``); none is left to guesswork. (A form
    page that also shows itself says so around its save: ``writing_from_here``.)"""
    unsaid = [
        rule.endpoint for rule in app.url_map.iter_rules()
        if "GET" not in rule.methods and rule.endpoint not in WRITE_NOTHING
        and not getattr(app.view_functions[rule.endpoint], "writes", False)
    ]
    assert unsaid == []
