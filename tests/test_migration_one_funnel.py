"""Migration 006_one_funnel on a database that holds data from before it: nothing is lost going up or down.

It runs on a SQLite file of its own (the suite's database is already at the head); the same
migration runs on PostgreSQL every time the suite builds its schema there."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db as _db

T = "2026-10-01 15:00:00"
BADGE, TOKEN_HASH = "b" * 22, "h" * 64


@pytest.fixture
def old_database(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}",
        }
    )
    with app.app_context():
        upgrade(revision="004_candidate_purge")
        with _db.engine.begin() as c:
            c.execute(
                sa.text(
                    "INSERT INTO events (id, slug, name, kind, sectors, status, description, venue, address, "
                    "starts_at,"
                    " ends_at, timezone, max_bookings_per_candidate, created_at) VALUES (1, 'fair', 'Fair', "
                    "'blank', '[]',"
                    f" 'closed', '', 'Hall', '1 Main St', '{T}', '2026-10-01 19:00:00', 'America/Chicago', "
                    f"3, '{T}')"
                )
            )
            for oid, name, kind in [
                (1, "Code Forward Chicago", "community_org"),
                (2, "code forward chicago", "job_center"),
                (3, "Loop Logic", "employer"),
            ]:
                c.execute(
                    sa.text(
                        f"INSERT INTO organizations (id, name, kind, created_at) VALUES ({oid}, '{name}', "
                        f"'{kind}', '{T}')"
                    )
                )
            c.execute(
                sa.text(
                    "INSERT INTO participations (id, event_id, organization_id, interview_minutes, "
                    "interviewers,"
                    f" created_at) VALUES (1, 1, 3, 15, 1, '{T}')"
                )
            )
            for sid, start in [(1, "15:00"), (2, "15:15"), (3, "15:30")]:
                c.execute(
                    sa.text(
                        "INSERT INTO interview_slots (id, participation_id, starts_at, ends_at, capacity, "
                        "is_blocked)"
                        f" VALUES ({sid}, 1, '2026-10-01 {start}:00', '2026-10-01 {start[:3]}59:00', 1, 0)"
                    )
                )
            c.execute(
                sa.text(
                    f"INSERT INTO candidates (id, first_name, last_name, email, language, created_at) VALUES"
                    f" (1, 'Ana', 'Ruiz', 'ana@example.com', 'en', '{T}')"
                )
            )
            c.execute(
                sa.text(
                    "INSERT INTO registrations (id, event_id, candidate_id, status, source, badge_code, "
                    "manage_token_hash,"
                    " language, sectors_of_interest, accessibility_needs, consent_share_profile, "
                    "consent_email, consent_sms,"
                    f" updated_at, created_at) VALUES (1, 1, 1, 'registered', 'online', '{BADGE}', "
                    f"'{TOKEN_HASH}', 'en', '[]', '', 1, 1, 0,"
                    f" '{T}', '{T}')"
                )
            )
            # Three consecutive slots with one employer: the double booking 006_one_funnel ends.
            for bid in (1, 2, 3):
                c.execute(
                    sa.text(
                        "INSERT INTO bookings (id, slot_id, slot_capacity, registration_id, seat, created_at)"
                        f" VALUES ({bid}, {bid}, 1, 1, 1, '{T}')"
                    )
                )
            c.execute(
                sa.text(
                    "INSERT INTO interviews (id, registration_id, participation_id, booking_id, source, "
                    "queued_at, started_at,"
                    " outcome, recorded_at, offer_wage_cents, offer_wage_unit, offer_conditions, notes, "
                    "hire_status, created_at)"
                    f" VALUES (1, 1, 1, 1, 'booked', '{T}', '{T}', 'conditional_offer', '{T}', 2000, 'hour', "
                    "'[]',"
                    f" '', 'hired', '{T}')"
                )
            )
        yield app


def test_one_funnel_migration_keeps_every_row_and_ends_double_bookings_and_duplicate_partners(old_database):
    with old_database.app_context():
        upgrade()
        with _db.engine.connect() as c:
            keys = dict(c.execute(sa.text("SELECT id, name_key FROM organizations")).all())
            assert keys == {1: "code forward chicago", 2: "code forward chicago #2", 3: "loop logic"}
            bookings = c.execute(
                sa.text("SELECT id, participation_id, cancelled_at IS NULL FROM bookings ORDER BY id")
            ).all()
            assert bookings == [
                (1, 1, 1),
                (2, 1, 0),
                (3, 1, 0),
            ]  # the first kept, the others cancelled, none deleted
            assert c.execute(sa.text("SELECT outcome, hire_status FROM interviews")).one() == (
                "conditional_offer",
                "hired",
            )

        downgrade(revision="004_candidate_purge")
        with _db.engine.connect() as c:
            assert c.execute(sa.text("SELECT count(*) FROM organizations")).scalar() == 3
            assert c.execute(sa.text("SELECT count(*) FROM bookings")).scalar() == 3
            assert c.execute(sa.text("SELECT hire_status FROM interviews")).scalar() == "hired"
        upgrade()  # and up again
        _db.engine.dispose()
