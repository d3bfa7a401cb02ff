"""Migration 010_people (people, not contacts) keeps every registration and every link already e-mailed:
the demo is loaded, the schema goes back to the head before it with the data, and forward again."""

from collections import defaultdict
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.models import Candidate, ManageLinkReason, Registration, RegistrationStatus
from app.models.registration import name_key
from app.services import registration as registrations
from app.services.demo import load_demo
from app.services.tokens import hash_secret
from tests import factories

NOW = datetime(2026, 9, 15, 15, 0, tzinfo=UTC)
#: The revision 010_people follows.
BEFORE = "009_hostile_input"
_ROWS = sa.text(
    "SELECT r.id, r.event_id, r.candidate_id, r.status, r.source, r.badge_code, r.created_at, c.first_name, "
    "c.last_name, c.email, c.phone FROM registrations r JOIN candidates c ON c.id = r.candidate_id ORDER BY "
    "r.id"
)


def _rows(connection) -> list[tuple]:
    return [tuple(row) for row in connection.execute(_ROWS)]


def test_every_registration_and_every_emailed_link_survives_going_back_before_010_people_and_forward(
    app, committed
):
    session = committed.session
    load_demo(session, now=NOW)
    sample = session.scalars(sa.select(Registration).where(
        Registration.status != RegistrationStatus.CANCELLED).order_by(Registration.id).limit(25)).all()
    secrets = {
        r.id: registrations.issue_manage_link(session, r, ManageLinkReason.REGISTERED, NOW) for r in sample
    }
    session.commit()
    session.close()

    with app.app_context(), committed.engine.connect() as connection:
        before = _rows(connection)
    assert len(before) > 2500

    with app.app_context():
        downgrade(revision=BEFORE)
    with committed.engine.connect() as connection:
        assert _rows(connection) == before  # before 010_people, with one link hash per registration
        hashes = dict(connection.execute(sa.text("SELECT id, manage_token_hash FROM registrations")).all())
    assert all(hashes[rid] == hash_secret(secret) for rid, secret in secrets.items())

    with app.app_context():
        upgrade()
    with committed.engine.connect() as connection:
        assert _rows(connection) == before  # every registration, person and badge as it was
    session = committed.session
    for registration_id, secret in secrets.items():
        assert registrations.find_by_manage_token(session, secret).id == registration_id
    numbers: dict[int, list[tuple]] = defaultdict(list)
    for event_id, created_at, rid, number in session.execute(sa.select(
            Registration.event_id, Registration.created_at, Registration.id, Registration.checkin_number)):
        numbers[event_id].append(((created_at, rid), number))
    for rows in numbers.values():  # 1, 2, 3 … in the order people registered
        assert [number for _, number in sorted(rows)] == list(range(1, len(rows) + 1))
    for first, last, key in session.execute(
        sa.select(Candidate.first_name, Candidate.last_name, Candidate.name_key)
    ):
        assert key == name_key(first, last)


def test_going_back_before_010_people_is_refused_while_a_household_shares_a_contact(app, committed):
    session = committed.session
    for first_name in ("José", "Guadalupe"):
        factories.make_candidate(session, first_name=first_name, last_name="Núñez", email="nunez@example.com")
    session.commit()
    session.close()
    # Flask-Migrate logs the migration's RuntimeError ("… shared by household members …") and exits.
    with app.app_context(), pytest.raises(SystemExit):
        downgrade(revision=BEFORE)
    with committed.engine.connect() as connection:
        # Still at 010_people or after (SQLite keeps the later migrations' steps back to it;
        # PostgreSQL rolls the whole downgrade back), never before it.
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() != BEFORE
        assert connection.execute(sa.text("SELECT count(*) FROM candidates")).scalar() == 2
    with app.app_context():
        upgrade()  # the tests after this one run on the schema at its head
