"""Fixtures: the app on the test database (SQLite by default, PostgreSQL when
``TEST_DATABASE_URL`` says so), a session rolled back after each test, a client, and sign-in."""

import os
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.orm import scoped_session, sessionmaker

# Jobs run at once, in the process that queues them, for every app a test builds (the tests of
# the worker itself start real worker processes with this turned off).
os.environ["JOBS_IMMEDIATE"] = "1"

from app import create_app, queue
from app.extensions import db as _db
from app.models import Base, User
from tests import factories

# Rate-limit counts stay in this process's memory, for every app a test makes: the limiter is one
# object shared by all apps in a process (it keeps the storage of the app bound last), and counting
# in the database takes a connection of its own, which would wait on the write lock that a SQLite
# test's rolled-back transaction holds. test_rate_limits.py counts in the database (and in Redis,
# and across gunicorn workers) on its own.
os.environ["RATELIMIT_STORAGE_URI"] = "hireday-memory://"


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _empty_database(engine: sa.Engine) -> None:
    """Start every run from nothing, so the migrations themselves build the schema under test."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        else:
            Base.metadata.drop_all(connection)
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "BASE_URL": "https://hireday.test",
            # Tests sign in and register hundreds of times a minute from one address; the tests of
            # the limits themselves set real ones.
            "LOGIN_RATE_LIMIT": "100000/minute",
            "REGISTRATION_RATE_LIMIT": "100000/minute",
        }
    )
    # No app context stays pushed: each request must get its own (and its own ``g``), as in production.
    with app.app_context():
        _empty_database(_db.engine)
        upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _jobs_run_in_the_tests_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job queued outside a request runs in the app the queue was bound to last (a worker has one
    app); a test that builds an app of its own (test_health, test_cli …) must not leave the later
    tests' jobs running in it, with its database and its settings."""
    monkeypatch.setattr(queue, "_app", app)


class _TestSession(scoped_session):
    """The test's session, shared with the requests its client makes. Flask-SQLAlchemy removes the
    session after every request; here that only expires what was loaded (the next request reads
    it afresh, as a new session would), since closing would roll back what the test wrote."""

    def remove(self) -> None:
        if self.registry.has():
            self.registry().expire_all()

    def close_for_good(self) -> None:
        super().remove()


@pytest.fixture
def db(app: Flask) -> Iterator:
    """The real database; everything a test writes (commits included) is rolled back after it.
    Requests made by the test client share this session, so they see what the test wrote."""
    with app.app_context():
        connection = _db.engine.connect()
    outer = connection.begin()
    test_session = _TestSession(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    )
    original = _db.session
    _db.session = test_session
    try:
        yield _db
    finally:
        test_session.close_for_good()
        _db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app: Flask, db) -> Iterator[FlaskClient]:
    with app.test_client() as client:
        yield client


@pytest.fixture
def committed(app: Flask) -> Iterator:
    """The database for data another connection must see (a live server, concurrent threads):
    writes are committed, and every table is emptied after the test so the rolled-back tests
    start clean."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        with _db.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
        _db.session.remove()


CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token a real browser would find in the form at ``path``."""
    response = client.get(path)
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, f"no CSRF token in the page at {path}"
    return match.group(1)


@pytest.fixture
def login(client: FlaskClient):
    """``login(user)`` signs ``user`` in through the real form (password: ``factories.PASSWORD``)."""

    def sign_in(user: User, password: str = factories.PASSWORD):
        token = csrf_token(client, "/login")
        return client.post("/login", data={"email": user.email, "password": password, "csrf_token": token})

    return sign_in
