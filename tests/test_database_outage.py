"""A lost database (issue 21, finding 10): the API answers 503 ``database_unavailable`` with
``Retry-After``, pages answer a plain page that needs no database, one line is logged per outage
rather than a traceback per request, and nothing about it ever answers HTML on the API.

The database here is really unreachable: an app pointed at a PostgreSQL port nobody listens on
(or, for SQLite, a file in a directory that does not exist)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app, errors

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["postgresql", "sqlite"])
def lost(request, tmp_path):
    url = {
        "postgresql": "postgresql+psycopg://postgres@127.0.0.1:9/hireday?connect_timeout=2",
        "sqlite": f"sqlite:///{tmp_path / 'no-such-directory' / 'hireday.sqlite3'}",
    }[request.param]
    app = create_app({"TESTING": True, "SECRET_KEY": "outage", "SQLALCHEMY_DATABASE_URI": url,
                      "BASE_URL": "https://hireday.test"})
    errors._Outage.since = None
    yield app
    errors._Outage.since = None


def test_the_api_answers_503_database_unavailable_with_retry_after(lost):
    client = lost.test_client()
    for path in ("/api/v1/events/hh/checkins", "/api/v1/events/hh/checkins/batch"):
        response = client.post(
            path, json={"code": "abc", "nonce": "n1"}, headers={"Authorization": "Bearer x" * 3}
        )
        assert response.status_code == 503
        assert response.json == {
            "status": "error",
            "error": "database_unavailable",
            "message": response.json["message"],
        }
        assert int(response.headers["Retry-After"]) > 0


def test_pages_answer_a_plain_page_even_for_someone_signed_in(lost):
    client = lost.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:1:abc"  # a signed-in browser: loading the user needs the database
    for path in ("/", "/events/hh/", "/staff/", "/door/"):
        response = client.get(path, headers={"Accept-Language": "es"})
        assert response.status_code == 503, path
        assert response.mimetype == "text/html"
        assert "Retry-After" in response.headers
        assert "No podemos comunicarnos con nuestra base de datos" in response.get_data(as_text=True)


def test_one_log_line_per_outage_not_a_traceback_per_request(lost, caplog):
    caplog.set_level(logging.DEBUG)
    client = lost.test_client()
    for n in range(20):
        client.post("/api/v1/events/hh/checkins", json={"code": "abc", "nonce": f"n{n}"},
                    headers={"Authorization": "Bearer " + "x" * 40})
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 1, [r.getMessage() for r in problems]
    assert "database unavailable" in problems[0].getMessage() and not problems[0].exc_info


def test_the_outage_ends_with_one_line_and_nothing_was_lost(tmp_path, caplog):
    """The database comes back (here: the SQLite file's folder appears and is migrated): the
    next request is served, and the outage is closed with one line."""
    folder = tmp_path / "mounted-later"
    app = create_app({"TESTING": True, "SECRET_KEY": "outage", "BASE_URL": "https://hireday.test",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'hireday.sqlite3'}"})
    errors._Outage.since = None
    caplog.set_level(logging.WARNING)
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    assert client.get("/").status_code == 503
    folder.mkdir()
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'hireday.sqlite3'}"},
    )
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    messages = [r.getMessage() for r in caplog.records if r.name == "app.errors"]
    assert (
        len(messages) == 2
        and messages[0].startswith("database unavailable")
        and "reachable again" in messages[1]
    )
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
