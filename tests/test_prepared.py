"""``Prepared`` (app/database.py): a hot-path statement run on the driver's cursor must behave as
``session.execute`` would, on the suite's database (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from app.database import Prepared
from app.models import CheckIn, CheckInKind
from tests import factories

CHECKINS = CheckIn.__table__
SCANNED_AT = datetime(2026, 3, 12, 15, 30, 5, 123456, tzinfo=UTC)
_COLUMNS = (
    CHECKINS.c.id,
    CHECKINS.c.kind,
    CHECKINS.c.scanned_at,
    CHECKINS.c.successful,
    CHECKINS.c.is_offline,
    CHECKINS.c.raw_code,
    CHECKINS.c.registration_id,
)
BY_NONCE = sa.select(*_COLUMNS).where(CHECKINS.c.nonce == sa.bindparam("nonce"))
#: A scan logged with the event's id and a few columns; like the door's own insert, per dialect.
LOG = {
    module.dialect.name: module.insert(CHECKINS)
    .on_conflict_do_nothing(index_elements=["nonce"])
    .returning(CHECKINS.c.id)
    for module in (postgresql, sqlite)
}


def _scan(event_id: int, nonce: str, **fields) -> dict:
    return {
        "event_id": event_id,
        "raw_code": "NoSuchBadge",
        "nonce": nonce,
        "kind": CheckInKind.EXIT,
        "scanned_at": SCANNED_AT,
        "received_at": SCANNED_AT,
        "successful": False,
        "error_code": "unknown_code",
        "is_offline": True,
        "is_duplicate": False,
        **fields,
    }


@pytest.fixture
def event(db):
    return factories.make_event(db.session)


def test_rows_hold_what_session_execute_gives(db, event):
    """Aware UTC datetimes, enum members, real booleans and NULLs, not the driver's raw values."""
    db.session.execute(sa.insert(CHECKINS), _scan(event.id, "n-1"))

    prepared = Prepared(BY_NONCE).first(db.session, {"nonce": "n-1"})

    assert prepared == tuple(db.session.execute(BY_NONCE, {"nonce": "n-1"}).one())
    _, kind, scanned_at, successful, is_offline, raw_code, registration_id = prepared
    assert kind is CheckInKind.EXIT
    assert scanned_at == SCANNED_AT and scanned_at.tzinfo is not None
    assert successful is False and is_offline is True
    assert (raw_code, registration_id) == ("NoSuchBadge", None)


def test_an_insert_returns_its_id_and_a_conflict_returns_nothing(db, event):
    log = Prepared(LOG)

    first = log.first(db.session, _scan(event.id, "n-2"))
    again = log.first(db.session, _scan(event.id, "n-2", raw_code="Other"))

    assert first is not None and again is None
    rows = db.session.execute(
        sa.select(CHECKINS.c.id, CHECKINS.c.raw_code).where(CHECKINS.c.nonce == "n-2")
    ).all()
    assert [tuple(row) for row in rows] == [(first[0], "NoSuchBadge")]


def test_pending_changes_are_flushed_before_the_statement_runs(db, event):
    db.session.add(CheckIn(**_scan(event.id, "n-3")))  # not flushed

    assert Prepared(BY_NONCE).first(db.session, {"nonce": "n-3"}) is not None


def test_rows_returns_every_row_and_first_returns_none_for_no_row(db, event):
    for n in range(3):
        db.session.execute(sa.insert(CHECKINS), _scan(event.id, f"n-4-{n}"))
    by_event = Prepared(sa.select(CHECKINS.c.nonce).where(CHECKINS.c.event_id == sa.bindparam("event_id"))
                        .order_by(CHECKINS.c.nonce))

    assert by_event.rows(db.session, {"event_id": event.id}) == [("n-4-0",), ("n-4-1",), ("n-4-2",)]
    assert Prepared(BY_NONCE).first(db.session, {"nonce": "never-used"}) is None


def test_the_engines_cursor_listeners_see_each_statement(db, event):
    """Instrumentation (and the race tests' ``without_row_locks``) hook these events: a listener
    may rewrite the SQL, and the rewritten SQL is what runs."""
    engine = db.session.get_bind()
    seen = []

    def rename(connection, cursor, statement, parameters, context, executemany):
        return statement.replace("checkins.nonce = ", "checkins.raw_code = "), parameters

    def after(connection, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    db.session.execute(sa.insert(CHECKINS), _scan(event.id, "n-5", raw_code="ByRawCode"))
    sa.event.listen(engine, "before_cursor_execute", rename, retval=True)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        row = Prepared(BY_NONCE).first(db.session, {"nonce": "ByRawCode"})
    finally:
        sa.event.remove(engine, "before_cursor_execute", rename)
        sa.event.remove(engine, "after_cursor_execute", after)

    assert row is not None and row[5] == "ByRawCode"
    assert len(seen) == 1 and "checkins.raw_code = " in seen[0]


def test_a_database_error_arrives_as_sqlalchemys_and_the_session_rolls_back(db, event):
    db.session.commit()
    log = Prepared(LOG)
    with pytest.raises(sa.exc.IntegrityError, match=r"nonce_not_empty|CHECK"):
        log.first(db.session, _scan(event.id, ""))
    db.session.rollback()

    assert log.first(db.session, _scan(event.id, "n-6")) is not None


def test_a_missing_value_and_an_expanding_in_list_are_refused(db):
    with pytest.raises(KeyError, match="nonce"):
        Prepared(BY_NONCE).first(db.session, {})
    with pytest.raises(ValueError, match="IN lists"):
        Prepared(sa.select(CHECKINS.c.id).where(CHECKINS.c.kind.in_([CheckInKind.ENTRY]))).rows(
            db.session, {}
        )
