"""The migrated database holds exactly the CHECK constraints the models declare (issue 21).

``flask db check`` compares columns and indexes but not CHECK constraints, so a model whose enum
gained a value (or whose rule changed) while no migration followed passed CI, and the database
went on refusing, or allowing, what the model says. Here the database built by the migrations
(the suite's own, on SQLite or on PostgreSQL with ``TEST_DATABASE_URL``) is compared with one built
from the models, both read back through the database itself, so each side is written the way that
database normalises it."""

import re

import sqlalchemy as sa

from app.extensions import db as _db
from app.models import Base

SCRATCH_SCHEMA = "models_check"


def _checks(connection, schema: str | None = None) -> dict[tuple[str, str], str]:
    inspector = sa.inspect(connection)
    found = {}
    for table in Base.metadata.sorted_tables:
        for check in inspector.get_check_constraints(table.name, schema=schema):
            found[(table.name, check["name"])] = re.sub(r"\s+", " ", check["sqltext"]).strip()
    return found


def _from_the_models(engine: sa.Engine, tmp_path) -> dict[tuple[str, str], str]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                connection.exec_driver_sql(f"CREATE SCHEMA {SCRATCH_SCHEMA}")
                scratch = connection.execution_options(schema_translate_map={None: SCRATCH_SCHEMA})
                Base.metadata.create_all(scratch)
                return _checks(connection, SCRATCH_SCHEMA)
            finally:
                transaction.rollback()  # PostgreSQL's DDL is transactional: the scratch schema goes too
    scratch_file = sa.create_engine(f"sqlite:///{tmp_path / 'models.sqlite3'}")
    try:
        Base.metadata.create_all(scratch_file)
        with scratch_file.connect() as connection:
            return _checks(connection)
    finally:
        scratch_file.dispose()


def test_the_migrated_database_has_the_models_check_constraints(app, tmp_path):
    with app.app_context():
        engine = _db.engine
        with engine.connect() as connection:
            migrated = _checks(connection)
        declared = _from_the_models(engine, tmp_path)
    assert declared, "the models declare CHECK constraints; none were read back"
    missing = {key: text for key, text in declared.items() if key not in migrated}
    extra = {key: text for key, text in migrated.items() if key not in declared}
    changed = {
        key: (migrated[key], text)
        for key, text in declared.items()
        if key in migrated and migrated[key] != text
    }
    assert (missing, extra, changed) == ({}, {}, {}), "a migration is missing for these CHECK constraints"
