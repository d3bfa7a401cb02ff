"""The migrations build exactly the schema the models describe, on this test database."""

import ast
import itertools
import re
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import SAWarning

from app.extensions import db as _db
from app.models import Base


def test_models_and_migrations_agree(app):
    # The session fixture built the schema with `flask db upgrade`; nothing may differ from the models.
    with app.app_context(), _db.engine.connect() as connection, warnings.catch_warnings():
        if connection.dialect.name == "sqlite":
            # SQLAlchemy cannot read an index on an expression back from SQLite (PostgreSQL
            # compares it); its definition is checked below instead.
            warnings.filterwarnings(
                "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
            )
            warnings.filterwarnings(
                "ignore", "autogenerate skipping metadata-specified expression-based index", UserWarning
            )
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_spanish_text_migration_keeps_every_row_both_ways(tmp_path):
    """005_spanish_text adds and drops its columns in place: a copy-and-rename of ``events`` under enforced
    foreign keys would cascade-delete every registration."""
    from datetime import timedelta

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select, text

    from app import create_app
    from app.models import Position, Registration
    from tests import factories

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}"})
    with app.app_context():
        upgrade()
        event = factories.make_event(_db.session, description_es="Bienvenidos",
                                     starts_at=factories.EVENT_START + timedelta(days=1))
        factories.make_position(
            _db.session, factories.make_participation(_db.session, event), title_es="Cocinero"
        )
        factories.make_registration(_db.session, event)
        _db.session.commit()
        downgrade(revision="004_candidate_purge")
        counts = [_db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                  for table in ("events", "positions", "registrations")]
        assert counts == [1, 1, 1]
        _db.session.rollback()  # end the read, so the session sees the upgraded tables
        upgrade()
        assert _db.session.scalar(select(func.count()).select_from(Registration)) == 1
        assert _db.session.scalar(select(Position.title_es)) == ""  # dropped and added back empty
        _db.session.remove()
        _db.engine.dispose()


def test_badge_codes_are_unique_in_any_case(app):
    """The index that makes a badge code one code whatever its case is built by the migration."""
    with app.app_context(), _db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            definition = connection.scalar(text(
                "SELECT sql FROM sqlite_master WHERE name = 'uq_registrations_badge_code_folded'"
            ))
        else:
            definition = connection.scalar(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_registrations_badge_code_folded'"
            ))
    assert "UNIQUE" in definition.upper()
    assert re.search(r"lower\(\(?badge_code\)?(::text)?\)", definition.replace('"', "").lower())


def test_the_hostile_input_migration_keeps_every_scan_both_ways(tmp_path):
    """009_hostile_input adds checkins.scanned_at_as_sent in place and two new tables: every scan, and the
    registration it names, is still there after a downgrade and an upgrade."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select, text

    from app import create_app
    from app.models import CheckIn, CheckInKind, Registration
    from tests import factories

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}"})
    with app.app_context():
        upgrade()
        event = factories.make_event(_db.session)
        registration = factories.make_registration(_db.session, event)
        _db.session.add(
            CheckIn(
                event_id=event.id,
                registration_id=registration.id,
                nonce="n-1",
                kind=CheckInKind.ENTRY,
                scanned_at=factories.EVENT_START,
                successful=True,
                scanned_at_as_sent="0001-01-01T00:00:00Z",
            )
        )
        _db.session.commit()
        downgrade(revision="008_badge_codes_any_case")
        counts = [
            _db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("checkins", "registrations")
        ]
        assert counts == [1, 1]
        _db.session.rollback()
        upgrade()
        assert _db.session.scalar(select(func.count()).select_from(Registration)) == 1
        assert _db.session.scalar(select(CheckIn.nonce)) == "n-1"
        assert _db.session.scalar(select(CheckIn.scanned_at_as_sent)) is None  # dropped and added back empty
        _db.session.remove()
        _db.engine.dispose()


def test_migration_files_and_revision_ids_run_in_order():
    """Each migration's file starts with its revision id, and each follows the one before it."""
    from pathlib import Path

    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(Path(__file__).resolve().parent.parent / "migrations"))
    chain = list(reversed(list(scripts.walk_revisions())))
    assert [s.revision for s in chain] == sorted(s.revision for s in chain)
    assert all(Path(s.path).stem == s.revision for s in chain)
    assert all(later.down_revision == earlier.revision for earlier, later in itertools.pairwise(chain))
    assert not any("please adjust" in Path(s.path).read_text() for s in chain)


def test_a_database_stamped_with_an_old_revision_id_upgrades_to_head(tmp_path):
    """Before the renumbering, revision ids ran 0001 → 0004 → 0003 …: a database stamped with an
    old id (here 0003, which is now 003_one_open_interview_per_booth; the new 003 is not the old
    0003) upgrades from where it really is, keeping its rows, and every old id has a new one."""
    from pathlib import Path

    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select

    from app import create_app
    from app.models import Event
    from tests import factories

    env = Path(__file__).resolve().parent.parent / "migrations" / "env.py"
    renumbered = re.search(r"RENUMBERED = (\{.*?\})", env.read_text(), re.DOTALL)
    old_to_new = ast.literal_eval(renumbered.group(1))
    scripts = ScriptDirectory(str(env.parent))
    revisions = {s.revision for s in scripts.walk_revisions()}
    assert set(old_to_new.values()) <= revisions
    assert not set(old_to_new) & revisions

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    head = scripts.get_current_head()
    with app.app_context():
        upgrade(revision="003_one_open_interview_per_booth")
        _stamp("0003")  # as the old chain stamped it
        upgrade()  # runs 004_candidate_purge onwards: nothing skipped, nothing run twice
        assert _db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        factories.make_event(_db.session, slug="kept")
        _db.session.commit()
        _db.session.remove()
        downgrade(revision="010_people")
        _stamp("0014")  # the old head, as the old chain stamped it
        upgrade()  # runs what came after it, once
        assert _db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert _db.session.scalar(select(func.count()).select_from(Event)) == 1
        _db.session.remove()
        _db.engine.dispose()


def _stamp(revision: str) -> None:
    _db.session.execute(text("UPDATE alembic_version SET version_num = :revision"), {"revision": revision})
    _db.session.commit()
    _db.session.remove()

