"""The migrations build exactly the schema the models describe, on this test database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db as _db
from app.models import Base


def test_models_and_migrations_agree(app):
    # The session fixture built the schema with `flask db upgrade`; nothing may differ from the models.
    with app.app_context(), _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
