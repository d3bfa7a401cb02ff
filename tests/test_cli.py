"""The ``flask --app wsgi …`` commands: they work, and bad input gets one clear line, not a traceback."""

import re
import shutil
import sqlite3
import subprocess
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.config import ConfigError
from app.models import AccessToken, OrganizationKind, TokenScope, User, utcnow
from app.services.tokens import find_usable_token
from tests import factories

NOW = factories.EVENT_START


@pytest.fixture
def cli(app, db):
    runner = app.test_cli_runner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(args=list(args), input=input)

    return invoke


def test_create_user_makes_an_account_that_can_sign_in(cli, db, client):
    result = cli(
        "create-user", "Door.Lead@Example.org", "--role", "volunteer", "--password", "long enough pw"
    )
    assert result.exit_code == 0, result.output
    assert "Created volunteer account door.lead@example.org" in result.output
    user = db.session.query(User).filter_by(email="door.lead@example.org").one()
    assert user.check_password("long enough pw") and user.role.value == "volunteer"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-email", "--role", "staff", "--password", "long enough pw"], "email address"),
        (["a@example.org", "--role", "staff", "--password", "short"], "at least 10 characters"),
        (["a@example.org", "--role", "admin", "--password", "long enough pw"], "'admin' is not one of"),
        (["a@example.org", "--password", "long enough pw"], "Missing option '--role'"),
    ],
)
def test_create_user_explains_bad_input(cli, db, args, message):
    result = cli("create-user", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert db.session.query(User).count() == 0


def test_create_user_refuses_a_second_account_for_the_same_email(cli, db):
    factories.make_user(db.session, email="lead@example.org")
    result = cli("create-user", "LEAD@example.org", "--role", "staff", "--password", "long enough pw")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_device_token_prints_a_working_token(cli, db):
    event = factories.make_event(db.session, slug="techapalooza-fall-2026")
    result = cli("device-token", "techapalooza-fall-2026", "--name", "Door 2")
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    token = find_usable_token(db.session, secret, TokenScope.DEVICE, NOW)
    assert token is not None and token.event_id == event.id and token.name == "Door 2"
    assert f"https://hireday.test/door/device#{secret}" in result.output


def test_device_token_for_an_unknown_event_lists_the_known_ones(cli, db):
    factories.make_event(db.session, slug="hospitality-hires-chicago")
    result = cli("device-token", "hospitality-hires", "--name", "Door 2")
    assert result.exit_code == 1
    assert "No event with slug 'hospitality-hires'" in result.output
    assert "hospitality-hires-chicago" in result.output


def test_device_token_for_a_past_event_says_it_would_already_be_expired(cli, db):
    """Finding 11: it printed a token that had expired before anyone could use it."""
    ended = utcnow() - timedelta(days=3)
    factories.make_event(db.session, slug="spring-fair", starts_at=ended - timedelta(hours=4), ends_at=ended)
    result = cli("device-token", "spring-fair", "--name", "Door 2")
    assert result.exit_code == 1
    assert "would already be expired" in result.output and "Nothing was issued" in result.output
    assert db.session.scalar(select(AccessToken).where(AccessToken.scope == TokenScope.DEVICE)) is None


def test_device_token_needs_a_name(cli, db):
    factories.make_event(db.session, slug="e1")
    result = cli("device-token", "e1", "--name", "  ")
    assert result.exit_code == 1 and "Give the link a name" in result.output


def test_links_prints_a_booth_link_per_employer_and_links_per_partner(cli, db):
    event = factories.make_event(db.session, slug="hh")
    hotel = factories.make_participation(
        db.session,
        event,
        factories.make_organization(db.session, name="Lakeshore Grand Hotel"),
        table_number="12",
    )
    factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Windy City Catering")
    )
    partner = factories.make_partnership(
        db.session, event,
        organization=factories.make_organization(db.session, OrganizationKind.JOB_CENTER, name="AJC Pilsen"),
        referral_code="PILSEN26",
    )

    result = cli("links", "hh")
    assert result.exit_code == 0, result.output
    booth = re.search(r"Lakeshore Grand Hotel \(table 12\): https://hireday\.test/booth/(\S+)", result.output)
    assert booth, result.output
    token = find_usable_token(db.session, booth.group(1), TokenScope.BOOTH, NOW)
    assert token.participation_id == hotel.id
    assert "Windy City Catering (no table)" in result.output
    assert "https://hireday.test/events/hh/register?ref=PILSEN26" in result.output
    partner_secret = re.search(r"https://hireday\.test/partner/(\S+)", result.output).group(1)
    assert (
        find_usable_token(db.session, partner_secret, TokenScope.PARTNER, NOW).organization_id
        == partner.organization_id
    )

    again = cli("links", "hh", "--revoke-previous")
    assert again.exit_code == 0
    assert find_usable_token(db.session, booth.group(1), TokenScope.BOOTH, NOW) is None
    new_booth = re.search(
        r"Lakeshore Grand Hotel \(table 12\): https://hireday\.test/booth/(\S+)", again.output
    )
    assert find_usable_token(db.session, new_booth.group(1), TokenScope.BOOTH, NOW) is not None


def test_commands_say_when_the_database_is_not_set_up(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        }
    )
    result = app.test_cli_runner().invoke(args=["device-token", "any", "--name", "Door 1"])
    assert result.exit_code == 1
    assert "The database is not set up" in result.output
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [("bogus", "is not a database URL"), ("mysql://x@localhost/y", "runs on SQLite or on PostgreSQL")],
)
def test_an_unusable_database_url_stops_start_up_with_a_reason(url, message):
    with pytest.raises(ConfigError, match=message):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})


def test_an_unreachable_database_is_named_as_such():
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
        }
    )
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 1
    assert "Cannot use the database" in result.output and "Check DATABASE_URL" in result.output


def test_backup_and_restore_a_sqlite_database(tmp_path):
    """A backup taken from a live database restores to the same data."""
    database = tmp_path / "live.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        upgrade()
        from app.extensions import db as _db

        factories.make_event(_db.session, slug="before-backup")
        _db.session.commit()
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    assert result.exit_code == 0, result.output
    assert "Backed up to" in result.output
    again = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    assert again.exit_code == 1 and "already exists" in again.output

    with app.app_context():
        from app.extensions import db as _db

        factories.make_event(_db.session, slug="after-backup")
        _db.session.commit()
        _db.engine.dispose()
    shutil.copy(tmp_path / "copy.sqlite3", database)  # restore
    connection = sqlite3.connect(database)
    try:
        slugs = [row[0] for row in connection.execute("SELECT slug FROM events ORDER BY slug")]
    finally:
        connection.close()
    assert slugs == ["before-backup"]


def test_backup_of_the_test_database_is_complete(cli, app, tmp_path):
    """On PostgreSQL the backup is a pg_dump archive pg_restore can read; on SQLite a database file."""
    result = cli("backup", str(tmp_path))
    assert result.exit_code == 0, result.output
    (copy,) = tmp_path.iterdir()
    with app.app_context():
        dialect = app.extensions["sqlalchemy"].engine.dialect.name
    if dialect == "postgresql":
        listing = subprocess.run(
            ["pg_restore", "--list", str(copy)], capture_output=True, text=True, check=True
        ).stdout
        assert "TABLE public registrations" in listing and "TABLE public checkins" in listing
    else:
        connection = sqlite3.connect(copy)
        try:
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            connection.close()
        assert {"registrations", "checkins", "alembic_version"} <= tables


def test_links_for_a_long_past_event_print_no_dead_booth_links(cli, db, app):
    import time_machine

    event = factories.make_event(db.session, slug="past")
    factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Gone Hotel")
    )
    with time_machine.travel(event.ends_at + timedelta(days=app.config["BOOTH_LINK_DAYS"] + 1)):
        result = cli("links", "past")
    assert result.exit_code == 0
    assert "booth links for this event ended" in result.output and "/booth/" not in result.output


def test_partner_api_token_prints_a_working_token_once(cli, db, client):
    factories.make_organization(
        db.session, factories.OrganizationKind.JOB_CENTER, name="American Job Center – Pilsen"
    )
    result = cli("partner-api-token", "american job center - pilsen", "--name", "Case system")
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert (
        client.get("/api/v1/partner/referrals", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    unknown = cli("partner-api-token", "Nobody", "--name", "Case system")
    assert unknown.exit_code == 1 and "Nothing was issued" in unknown.output
