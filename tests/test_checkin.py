"""Check-in at the door, straight through the service: first and second scans, failures that are
logged too, bare codes and QR URLs, replays, exits and undo, offline batches, counts and search."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import writing
from app.models import (
    CheckIn,
    CheckInKind,
    ManageLinkReason,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Role,
    TokenScope,
)
from app.services import checkin, registration as registrations
from app.services.checkin import Scan, Scanner, ScanStatus
from app.services.errors import DomainError
from app.services.registration import RegistrationDetails
from app.services.tokens import issue_token
from tests import factories
from tests.races import at_once, pausing_after, postgresql_only, without_row_locks

NOW = factories.EVENT_START + timedelta(minutes=55)  # 10:55 in Chicago
URL = "https://hireday.test/b/"


def minutes_before_now(minutes: int) -> str:
    """A device clock reading, as an offline scanner sends it."""
    return (NOW - timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def event(db):
    return factories.make_event(db.session, capacity=None)


@pytest.fixture
def door2(db, event):
    token, _ = issue_token(db.session, TokenScope.DEVICE, "Door 2", event=event)
    return Scanner.of_device(token)


def scan(db, event, code, nonce, scanner, *, at=NOW, **fields):
    return checkin.check_in(db.session, event.id, Scan(code, nonce, scanned_at=at, **fields), scanner, NOW)


def test_a_badge_matches_whatever_case_a_handheld_scanner_types(db, event, door2):
    today = factories.make_registration(db.session, event)  # lower-case base32, case carries nothing
    earlier = factories.make_registration(
        db.session, event, badge_code="Qx7_kP2-aZ9mWb4tLr8sYe"
    )  # base64, as codes once were
    assert scan(db, event, today.badge_code.upper(), "n1", door2).status == ScanStatus.CHECKED_IN
    caps_lock = f"HTTPS://HIREDAY.TEST/B/{earlier.badge_code.upper()}"
    result = scan(db, event, caps_lock, "n2", door2)
    assert result.status == ScanStatus.CHECKED_IN and result.person.registration_id == earlier.id
    assert scan(db, event, earlier.badge_code.lower(), "n3", door2).status == ScanStatus.ALREADY_CHECKED_IN


def rows(db) -> list[CheckIn]:
    return list(db.session.scalars(select(CheckIn).order_by(CheckIn.id)))


def test_first_scan_checks_in_and_a_second_says_when_and_where(db, event, door2):
    registration = factories.make_registration(db.session, event)
    first = scan(db, event, registration.badge_code, "n-1", door2, at=NOW - timedelta(minutes=1))
    assert (first.status, first.http_status, first.person.registration_id) == (
        ScanStatus.CHECKED_IN,
        201,
        registration.id,
    )
    assert first.as_json()["registration"]["name"] == registration.candidate.full_name

    second = scan(db, event, registration.badge_code, "n-2", door2)
    assert (second.status, second.http_status) == (ScanStatus.ALREADY_CHECKED_IN, 200)
    assert second.first_checked_in_at == NOW - timedelta(minutes=1)
    assert second.first_checked_in_by == "Door 2"
    assert second.as_json()["first_checked_in_at"] == "2026-12-10T16:54:00Z"

    logged = rows(db)
    assert [(r.successful, r.is_duplicate) for r in logged] == [(True, False), (True, True)]
    assert checkin.checked_in_count(db.session, event.id) == 1


def test_cancelled_badge_is_refused_and_logged(db, event, door2):
    registration = factories.make_registration(
        db.session, event, status=RegistrationStatus.CANCELLED, cancelled_at=NOW - timedelta(days=1)
    )
    result = scan(db, event, registration.badge_code, "n-1", door2)
    assert (result.status, result.http_status) == (ScanStatus.CANCELLED, 409)
    [row] = rows(db)
    assert (row.registration_id, row.successful, row.error_code) == (registration.id, False, "cancelled")
    assert checkin.checked_in_count(db.session, event.id) == 0


def test_another_events_badge_is_logged_by_its_code(db, event, door2):
    other = factories.make_registration(db.session, factories.make_event(db.session))
    result = scan(db, event, URL + other.badge_code, "n-1", door2)
    assert (result.status, result.http_status) == (ScanStatus.WRONG_EVENT, 409)
    assert "registration" not in result.as_json()  # nothing about someone of another event
    [row] = rows(db)
    assert (row.registration_id, row.raw_code, row.error_code, row.event_id) == (
        None,
        other.badge_code,
        "wrong_event",
        event.id,
    )


def test_unknown_code_is_logged_and_anything_not_code_shaped_only_as_a_hash(db, event, door2):
    assert scan(db, event, "NoSuchBadgeCode1234567", "n-1", door2).http_status == 404
    licence = "@ANSI 636014 DAQ D1234567 DCS LOPEZ DAC MARIA DBB 01011990"
    assert scan(db, event, licence, "n-2", door2).status == ScanStatus.UNKNOWN_CODE
    first, second = rows(db)
    assert (first.raw_code, first.error_code, first.successful) == (
        "NoSuchBadgeCode1234567",
        "unknown_code",
        False,
    )
    assert second.raw_code.startswith("sha256:") and "LOPEZ" not in second.raw_code


@pytest.mark.parametrize(
    "scanned",
    ["{code}", "  {code}\n", URL + "{code}", URL + "{code}/", URL + "{code}?lang=es", "http://other.host/b/{code}"],
)
def test_bare_code_and_whole_qr_url_are_the_same_badge(db, event, door2, scanned):
    registration = factories.make_registration(db.session, event)
    result = scan(db, event, scanned.format(code=registration.badge_code), "n-1", door2)
    assert (result.status, result.person.registration_id) == (ScanStatus.CHECKED_IN, registration.id)


def test_replayed_nonce_returns_the_first_answer_and_adds_nothing(db, event, door2):
    registration = factories.make_registration(db.session, event)
    first = scan(db, event, registration.badge_code, "same", door2)
    again = scan(db, event, registration.badge_code, "same", door2)
    assert (again.status, again.http_status, again.replayed, again.checkin.id) == (
        ScanStatus.CHECKED_IN, 201, True, first.checkin.id
    )
    unknown = scan(db, event, "NoSuchBadgeCode1234567", "u", door2)
    assert scan(db, event, "NoSuchBadgeCode1234567", "u", door2).checkin.id == unknown.checkin.id
    assert len(rows(db)) == 2


def test_a_nonce_from_another_event_is_refused(db, event, door2):
    registration = factories.make_registration(db.session, event)
    scan(db, event, registration.badge_code, "n-1", door2)
    with pytest.raises(DomainError) as error:
        scan(db, factories.make_event(db.session), registration.badge_code, "n-1", door2)
    assert error.value.code == "nonce_reused"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"code": "x", "nonce": ""}, "invalid_nonce"),
        ({"code": "x", "nonce": "a" * 65}, "invalid_nonce"),
        ({"code": "", "nonce": "n"}, "code_required"),
        ({"code": "x", "nonce": "n", "scanned_at": "10:55"}, "invalid_scanned_at"),
        ({"code": "x", "nonce": "n", "scanned_at": "2026-12-10T10:55:00"}, "invalid_scanned_at"),
        ({"code": "x", "nonce": "n", "kind": "undo"}, "invalid_kind"),
    ],
)
def test_malformed_scans_are_refused_with_a_code(fields, code):
    with pytest.raises(DomainError) as error:
        checkin.scan_from_json(fields, NOW)
    assert error.value.code == code


def test_device_time_with_offset_is_kept_in_utc():
    scan_ = checkin.scan_from_json(
        {"code": "x", "nonce": "n", "scanned_at": "2026-12-10T10:55:00-06:00"}, NOW
    )
    assert scan_.scanned_at == NOW


def test_exit_and_reentry_and_undo_are_derived_from_the_log(db, event, door2):
    registration = factories.make_registration(db.session, event)
    code = registration.badge_code
    assert scan(db, event, code, "exit-0", door2, kind=CheckInKind.EXIT).status == ScanStatus.NOT_CHECKED_IN
    entered = scan(db, event, code, "in-1", door2, at=NOW - timedelta(minutes=30))
    assert (
        scan(db, event, code, "out-1", door2, at=NOW - timedelta(minutes=20), kind=CheckInKind.EXIT).status
        == ScanStatus.CHECKED_OUT
    )
    assert not checkin.presence(db.session, registration.id).inside
    back = scan(db, event, code, "in-2", door2, at=NOW - timedelta(minutes=10))
    assert (back.status, back.first_checked_in_at) == (ScanStatus.CHECKED_IN, entered.checkin.scanned_at)
    assert checkin.presence(db.session, registration.id).inside
    assert checkin.checked_in_count(db.session, event.id) == 1

    # A mistaken scan is undone by appending, never by deleting; undoing twice gives the first undo.
    undo = checkin.undo(db.session, event, back.checkin.id, "undo-1", door2, NOW)
    assert checkin.undo(db.session, event, back.checkin.id, "undo-2", door2, NOW).id == undo.id
    assert not checkin.presence(db.session, registration.id).inside
    assert len(rows(db)) == 5
    with pytest.raises(DomainError):
        checkin.undo(db.session, event, undo.id, "undo-3", door2, NOW)


def test_undoing_the_only_entry_means_not_checked_in(db, event, door2):
    registration = factories.make_registration(db.session, event)
    entered = scan(db, event, registration.badge_code, "in-1", door2)
    checkin.undo(db.session, event, entered.checkin.id, "undo-1", door2, NOW)
    assert checkin.checked_in_count(db.session, event.id) == 0
    assert scan(db, event, registration.badge_code, "in-2", door2).status == ScanStatus.CHECKED_IN


def test_batch_answers_per_item_with_duplicates_and_unknowns(db, event, door2):
    """Two offline devices scanned the same person; one device also scanned a stranger's card."""
    maria, jose = (
        factories.make_registration(db.session, event),
        factories.make_registration(db.session, event),
    )
    door3 = Scanner.of_device(issue_token(db.session, TokenScope.DEVICE, "Door 3", event=event)[0])
    first = checkin.check_in_batch(db.session, event.id, [
        {"code": URL + maria.badge_code, "nonce": "d2-1", "scanned_at": minutes_before_now(9)},
        {"code": jose.badge_code, "nonce": "d2-2", "scanned_at": minutes_before_now(8)},
        {"code": "NoSuchBadgeCode1234567", "nonce": "d2-3", "scanned_at": minutes_before_now(7)},
        {"code": maria.badge_code, "nonce": "", "scanned_at": minutes_before_now(6)},
    ], door2, NOW)
    assert [(i.result.status if i.result else i.error.code) for i in first] == [
        "checked_in", "checked_in", "unknown_code", "invalid_nonce"
    ]
    second = checkin.check_in_batch(db.session, event.id, [
        {"code": maria.badge_code, "nonce": "d3-1", "scanned_at": minutes_before_now(5)},
    ], door3, NOW)
    retried = checkin.check_in_batch(
        db.session,
        event.id,
        [
            {
                "code": URL + maria.badge_code,
                "nonce": "d2-1",
                "scanned_at": minutes_before_now(9),
            },  # Door 2 uploads again
        ],
        door2,
        NOW,
    )
    assert [(i.result.status, i.result.replayed) for i in second + retried] == [
        ("already_checked_in", False), ("checked_in", True)
    ]
    assert second[0].result.first_checked_in_by == "Door 2"

    logged = rows(db)
    assert len(logged) == 4 and all(r.is_offline for r in logged)
    assert [r.registration_id for r in logged if r.is_duplicate] == [maria.id]
    assert checkin.checked_in_count(db.session, event.id) == 2


def test_a_batch_takes_one_badge_in_any_case_in_the_order_it_was_scanned(db, event, door2):
    """Offline, a badge was scanned, then again with Caps Lock on: the first scan is the check-in."""
    maria = factories.make_registration(db.session, event)
    answers = checkin.check_in_batch(db.session, event.id, [
        {"code": URL + maria.badge_code, "nonce": "d2-1", "scanned_at": minutes_before_now(9)},
        {"code": maria.badge_code.upper(), "nonce": "d2-2", "scanned_at": minutes_before_now(8)},
    ], door2, NOW)
    assert [i.result.status for i in answers] == ["checked_in", "already_checked_in"]


def test_batch_limits(db, event, door2):
    with pytest.raises(DomainError) as error:
        checkin.check_in_batch(db.session, event.id, [], door2, NOW)
    assert error.value.code == "scans_required"
    with pytest.raises(DomainError) as error:
        checkin.check_in_batch(db.session, event.id, [{}] * (checkin.MAX_BATCH + 1), door2, NOW)
    assert error.value.code == "batch_too_large"


def test_a_household_walking_in_on_one_phone_gets_a_badge_each_even_when_the_event_is_full(db, event):
    event.capacity = 1
    factories.make_registration(db.session, event)
    volunteer = Scanner.of_user(factories.make_user(db.session, Role.VOLUNTEER))
    family = {"last_name": "Núñez", "phone": "312-555-0142", "email": "nunez.familia@example.com",
              "zip_code": "60623", "consent_share_profile": True}
    jose = checkin.walk_in(
        db.session, event, RegistrationDetails(first_name="José", **family), "w-j", volunteer, NOW
    )
    lupe = checkin.walk_in(
        db.session, event, RegistrationDetails(first_name="Guadalupe", **family), "w-g", volunteer, NOW
    )

    assert (jose.created, lupe.created) == (True, True)
    assert [o.scan.status for o in (jose, lupe)] == ["checked_in", "checked_in"]
    assert [o.registration.status for o in (jose, lupe)] == [
        RegistrationStatus.REGISTERED
    ] * 2  # full, yet in
    assert jose.registration.badge_code != lupe.registration.badge_code
    assert [o.scan.person.full_name for o in (jose, lupe)] == ["José Núñez", "Guadalupe Núñez"]
    # José's second tap of the form finds José, not his wife.
    again = checkin.walk_in(
        db.session, event, RegistrationDetails(first_name="jose", **family), "w-j2", volunteer, NOW
    )
    assert (again.created, again.registration, again.scan.status) == (
        False,
        jose.registration,
        "already_checked_in",
    )


def test_walk_in_registers_checks_in_and_matches_someone_already_registered(db, event):
    volunteer = Scanner.of_user(factories.make_user(db.session, Role.VOLUNTEER))
    details = RegistrationDetails(first_name="Ana", last_name="Ruiz", phone="312-555-0199", zip_code="60608",
                                  consent_share_profile=True)
    new = checkin.walk_in(db.session, event, details, "w-1", volunteer, NOW)
    assert (new.created, new.registration.source, new.scan.status) == (
        True,
        RegistrationSource.WALK_IN,
        "checked_in",
    )

    pre = factories.make_registration(db.session, event, factories.make_candidate(
        db.session, first_name="Li", last_name="Wei", email="li@example.com"))
    link = registrations.issue_manage_link(db.session, pre, ManageLinkReason.REGISTERED, NOW)
    again = checkin.walk_in(
        db.session,
        event,
        RegistrationDetails(
            first_name="Li",
            last_name="Wei",
            email="LI@example.com",
            zip_code="60616",
            consent_share_profile=True,
        ),
        "w-2",
        volunteer,
        NOW,
    )
    assert (again.created, again.registration, again.scan.status) == (False, pre, "checked_in")
    assert registrations.find_by_manage_token(db.session, link) == pre  # their own link keeps working
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 2


def test_live_counts_come_from_the_log(db, event, door2):
    people = [factories.make_registration(db.session, event) for _ in range(4)]
    factories.make_registration(db.session, event, source=RegistrationSource.WALK_IN)
    scan(db, event, people[0].badge_code, "a", door2, at=NOW - timedelta(hours=1))
    scan(db, event, people[1].badge_code, "b", door2, at=NOW - timedelta(minutes=5))
    scan(db, event, people[1].badge_code, "b2", door2, at=NOW - timedelta(minutes=4))  # duplicate
    scan(db, event, "NoSuchBadgeCode1234567", "c", door2)
    counts = checkin.live_counts(db.session, event, NOW)
    assert counts.as_json() == {"registered": 5, "checked_in": 2, "walk_ins": 1, "last_15_minutes": 1}


def test_search_by_name_email_and_last_four_digits(db, event, door2):
    maria = factories.make_registration(db.session, event, factories.make_candidate(
        db.session, first_name="María", last_name="Gómez", email="maria.g@example.com", phone="+13125550142"))
    factories.make_registration(
        db.session, event, factories.make_candidate(db.session, first_name="Mark", last_name="Li")
    )
    factories.make_registration(
        factories_session := db.session,
        factories.make_event(db.session),
        factories.make_candidate(factories_session, first_name="María", last_name="Gómez Other"),
    )
    scan(db, event, maria.badge_code, "n", door2)

    assert [f.registration for f in checkin.search(db.session, event, "maría gó")] == [maria]
    assert [f.registration for f in checkin.search(db.session, event, "GOMEZ mar")] == [
        maria
    ]  # no accents typed
    assert [f.registration for f in checkin.search(db.session, event, "MARIA.G@")] == [maria]
    found = checkin.search(db.session, event, "0142")
    assert [f.registration for f in found] == [maria] and found[0].checked_in_at == NOW
    assert {f.registration.candidate.first_name for f in checkin.search(db.session, event, "ma")} == {
        "María",
        "Mark",
    }
    assert checkin.search(db.session, event, "m") == []
    assert checkin.search(db.session, event, "100%_") == []


def test_roster_holds_hashes_and_first_name_last_initial_only(db, event, door2):
    maria = factories.make_registration(db.session, event, factories.make_candidate(
        db.session, first_name="María", last_name="Gómez", email="maria.g@example.com"))
    scan(db, event, maria.badge_code, "n", door2)
    ana = factories.make_registration(
        db.session, event, factories.make_candidate(db.session, first_name="Ana", last_name="Ruiz")
    )
    cancelled = factories.make_registration(
        db.session, event, factories.make_candidate(db.session, first_name="Li", last_name="Wei")
    )
    registrations.cancel(db.session, cancelled, NOW)
    entries = checkin.roster(db.session, event)
    # [hash, first name + last initial, status letter, first check-in]: the last two only when they
    # say something.
    assert sorted(entries, key=lambda e: e[1]) == [
        [checkin.code_hash(ana.badge_code), "Ana R."],
        [checkin.code_hash(cancelled.badge_code), "Li W.", "x"],
        [
            checkin.code_hash(maria.badge_code),
            "María G.",
            "",
            int(datetime(2026, 12, 10, 16, 55, tzinfo=UTC).timestamp()),
        ],
    ]
    assert maria.badge_code not in str(entries)
    # The device hashes what it reads in lower case: a code typed in capitals finds the same person.
    assert checkin.code_hash(maria.badge_code.upper()) == checkin.code_hash(maria.badge_code)
    assert len(checkin.code_hash(maria.badge_code)) == checkin.ROSTER_HASH_DIGITS


def twenty_scans_of_one_badge_at_once(app, committed) -> tuple[int, list[str], list[Exception]]:
    """20 devices scan the same badge at the same moment, each with its own nonce, each in its own
    session. Returns the event's id, the answers, and whatever was raised instead of an answer."""
    event = factories.make_event(committed.session, capacity=None)
    registration = factories.make_registration(committed.session, event)
    committed.session.commit()
    event_id, code = event.id, registration.badge_code
    statuses, errors = [], []

    def scan_once(n: int):
        with app.test_request_context(), writing(), Session(committed.engine) as session:
            try:
                result = checkin.check_in(session, event_id, Scan(code, f"nonce-{n}"), Scanner(), NOW)
                session.commit()
                statuses.append(result.status)
            except Exception as exc:  # collected and asserted by the caller
                errors.append(exc)

    at_once(20, scan_once)
    return event_id, statuses, errors


def test_twenty_simultaneous_scans_of_one_badge_give_one_check_in(app, committed):
    """20 devices scan the same badge at the same moment, each with its own nonce. On PostgreSQL the
    registration row lock serialises them; on SQLite the write lock does."""
    event_id, statuses, errors = twenty_scans_of_one_badge_at_once(app, committed)

    assert errors == []
    assert sorted(statuses) == ["already_checked_in"] * 19 + ["checked_in"]
    with Session(committed.engine) as session:
        assert session.scalar(select(func.count()).select_from(CheckIn)) == 20
        assert (
            session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.is_duplicate.is_(False)))
            == 1
        )
        assert checkin.checked_in_count(session, event_id) == 1


@postgresql_only
def test_without_the_row_lock_twenty_simultaneous_scans_check_one_badge_in_many_times(app, committed):
    """Control: exists to prove the test above can fail. The same 20 scans through the same
    ``check_in()``, with ``FOR UPDATE`` taken out of the SQL and a pause after each scan reads the
    person's log, so every scan reads "not checked in yet" before any of them writes. Nothing in
    the database stops a second entry (the log is append-only, with no unique row per person), so
    several devices answer "checked in" and the log holds several first entries for one badge:
    14 of the 20 in every run so far, as many as the connection pool lets in at once (the scans
    that wait for a connection read the log after the first ones have committed)."""
    engine = committed.engine
    with without_row_locks(engine), pausing_after(engine, r"FROM checkins .*checkins\.is_duplicate IS false"):
        _event_id, statuses, errors = twenty_scans_of_one_badge_at_once(app, committed)

    assert errors == []
    assert statuses.count("checked_in") > 1
    with Session(engine) as session:
        first_entries = session.scalar(
            select(func.count()).select_from(CheckIn).where(CheckIn.is_duplicate.is_(False))
        )
        assert first_entries == statuses.count("checked_in")


def test_the_same_nonce_sent_twenty_times_at_once_is_logged_once(app, committed):
    """A device retrying one scan over a flaky connection, many times, all at once."""
    engine = committed.engine
    event = factories.make_event(committed.session, capacity=None)
    committed.session.commit()
    event_id = event.id
    ids, errors = [], []

    def scan_once(_: int):
        with app.test_request_context(), writing(), Session(engine) as session:
            try:
                result = checkin.check_in(
                    session, event_id, Scan("NoSuchBadgeCode1234567", "one"), Scanner(), NOW
                )
                session.commit()
                ids.append(result.checkin.id)
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

    at_once(20, scan_once)
    assert errors == []
    assert len(set(ids)) == 1
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(CheckIn)) == 1
