import logging
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from flask import current_app

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
fileConfig(config.config_file_name, disable_existing_loggers=False)  # keep the app's own loggers working
logger = logging.getLogger('alembic.env')


#: The revision ids the migrations had before they were renumbered to run in the order of their
#: files (issue 16), and each one's new id. A database stamped with an old id is moved to its new
#: one before anything else runs (``renumber_old_revision``). No new id equals an old one, so this
#: is safe at every run; this is the only place that knows the old ids.
RENUMBERED = {
    "0001": "001_initial_schema",
    "0004": "002_survey_links",
    "0003": "003_one_open_interview_per_booth",
    "0005": "004_candidate_purge",
    "0019_spanish_text": "005_spanish_text",
    "0015": "006_one_funnel",
    "0017_background_jobs": "007_background_jobs",
    "0020": "008_badge_codes_any_case",
    "0021_hostile_input": "009_hostile_input",
    "0014": "010_people",
    "0022_partner_view": "011_partner_view",
}


def renumber_old_revision(connection):
    """Rewrites an old revision id in ``alembic_version`` to its new one. Commits either way: the
    migrations (and SQLite's foreign-key pragma) must begin outside a transaction."""
    if sa.inspect(connection).has_table("alembic_version"):
        version = sa.table("alembic_version", sa.column("version_num"))
        for old, new in RENUMBERED.items():
            connection.execute(sa.update(version).where(version.c.version_num == old).values(version_num=new))
    connection.commit()


def get_engine():
    return current_app.extensions['migrate'].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace(
            '%', '%%')
    except AttributeError:
        return str(get_engine().url).replace('%', '%%')


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option('sqlalchemy.url', get_engine_url())
target_db = current_app.extensions['migrate'].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, 'metadatas'):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = current_app.extensions['migrate'].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection:
        # SQLite batch migrations rebuild a table by copying it and dropping the old one; with
        # foreign keys on, dropping a table others point at fails, or worse, cascades and deletes
        # their rows (bookings with their slots). SQLite honours the pragma only outside a
        # transaction, so it is set on the driver's connection before the migration begins, and
        # every key is checked before it is turned back on.
        renumber_old_revision(connection)
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            **conf_args
        )

        try:
            with context.begin_transaction():
                context.run_migrations()
        finally:
            # Also when a migration refuses (010_people's downgrade, with households): the connection
            # goes back to the pool, and must not keep foreign keys off.
            if sqlite:
                broken = connection.connection.driver_connection.execute(
                    "PRAGMA foreign_key_check"
                ).fetchall()
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
        if sqlite and broken:
            raise RuntimeError(f"the migration left {len(broken)} rows pointing at nothing: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
