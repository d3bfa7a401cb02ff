"""What a scanner with a broken clock, a fuzzer or a typo sends (issue 21's findings 1, 2, 3, 6 and
7): each gets a clear answer, nothing good is lost, and no page breaks afterwards. Runs on SQLite
and on PostgreSQL (``TEST_DATABASE_URL``), where NUL bytes and 32-bit ids used to fail."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from app.models import (
    Booking,
    Candidate,
    CheckIn,
    Event,
    InterviewSlot,
    Registration,
    Role,
    TokenScope,
    utcnow,
)
from app.services.tokens import issue_token
from tests import factories
from tests.conftest import csrf_token
from tests.test_event_setup_routes import new_event_form


@pytest.fixture
def event(db):
    starts = utcnow() + timedelta(days=3)
    event = factories.make_event(db.session, slug="hh", capacity=None, starts_at=starts,
                                 ends_at=starts + timedelta(hours=4))
    db.session.commit()
    return event


@pytest.fixture
def device(db, event):
    _, secret = issue_token(db.session, TokenScope.DEVICE, "Door 2", event=event)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def scan(client, device, body, path="/api/v1/events/hh/checkins"):
    return client.post(path, json=body, headers=device)


# --- 1 and 2: a scanner's clock at year 1 or 9999 -------------------------------------------------


@pytest.mark.parametrize(
    "sent", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]
)
def test_a_scan_from_a_broken_clock_is_logged_at_the_receive_time_with_the_time_as_sent(
    client, db, event, device, login, sent
):
    person = factories.make_registration(
        db.session, event, candidate=factories.make_candidate(db.session, first_name="Ana")
    )
    db.session.commit()
    response = scan(client, device, {"code": person.badge_code, "nonce": "n-1", "scanned_at": sent})
    assert response.status_code == 201, response.json
    logged = db.session.scalar(select(CheckIn))
    assert logged.clock_implausible and logged.scanned_at_as_sent == sent
    assert abs(logged.scanned_at - utcnow()) < timedelta(minutes=1)
    assert response.json["scanned_at"].startswith(str(utcnow().year)) and response.json["clock_implausible"]

    # Every page and export that shows the scan still works.
    assert client.get(f"/b/{person.badge_code}").status_code in (200, 302)
    login(factories.make_user(db.session, Role.STAFF))
    for kind in ("checkins", "registrations"):
        export = client.get(f"/staff/events/hh/export/{kind}.csv")
        assert export.status_code == 200
    assert client.get("/door/events/hh/search?q=Ana").status_code == 200
    assert client.get("/staff/events/hh/dashboard").status_code == 200


def test_a_time_days_away_from_the_event_is_flagged_but_one_within_it_is_trusted(db, event):
    from app.services import checkin

    person = factories.make_registration(db.session, event)
    door = checkin.Scanner.of_device(issue_token(db.session, TokenScope.DEVICE, "Door 1", event=event)[0])
    now = utcnow()
    offline = checkin.scan_from_json(
        {
            "code": person.badge_code,
            "nonce": "a",
            "scanned_at": (event.starts_at + timedelta(minutes=5)).isoformat(),
        },
        now,
    )
    assert checkin.check_in(db.session, event.id, offline, door, now).checkin.scanned_at == offline.scanned_at
    stale = checkin.scan_from_json(
        {
            "code": person.badge_code,
            "nonce": "b",
            "scanned_at": (event.ends_at + timedelta(days=3)).isoformat(),
        },
        now,
    )
    result = checkin.check_in(db.session, event.id, stale, door, now)
    assert result.checkin.scanned_at == now
    assert db.session.get(CheckIn, result.checkin.id).clock_implausible


def test_one_bad_time_in_an_offline_batch_does_not_cost_the_good_scans(client, db, event, device):
    ana, ben = factories.make_registration(db.session, event), factories.make_registration(db.session, event)
    db.session.commit()
    good = (event.starts_at + timedelta(minutes=3)).isoformat()
    response = scan(client, device, {"scans": [
        {"code": ana.badge_code, "nonce": "b-1", "scanned_at": good},
        {"code": ben.badge_code, "nonce": "b-2", "scanned_at": "0001-01-01T00:00:00+05:00"},
        {"code": ben.badge_code, "nonce": "b-3", "scanned_at": "yesterday-ish"},
        {"code": "x\x00y", "nonce": "b-4", "scanned_at": good},
        {"code": ana.badge_code, "nonce": "b\x00-5", "scanned_at": good},
    ]}, path="/api/v1/events/hh/checkins/batch")
    assert response.status_code == 200
    answers = [(r["status"], r.get("error")) for r in response.json["results"]]
    assert answers == [
        ("checked_in", None), ("checked_in", None), ("error", "invalid_scanned_at"),
        ("unknown_code", None), ("error", "invalid_nonce"),
    ]
    assert db.session.query(CheckIn).count() == 3


def test_json_nested_thousands_deep_is_a_clear_error(client, db, event, device):
    body = "[" * 5000 + "]" * 5000
    response = client.post(
        "/api/v1/events/hh/checkins", data=body, headers={**device, "Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json["error"] == "invalid_body"


# --- 7: a nonce shared by two devices -------------------------------------------------------------


def test_a_nonce_reused_for_another_badge_or_device_is_refused_not_replayed(client, db, event, device):
    x, y = factories.make_registration(db.session, event), factories.make_registration(db.session, event)
    _, other = issue_token(db.session, TokenScope.DEVICE, "Door 3", event=event)
    db.session.commit()
    first = scan(client, device, {"code": x.badge_code, "nonce": "N"})
    assert first.status_code == 201

    again = scan(client, device, {"code": x.badge_code, "nonce": "N"})
    assert (again.status_code, again.json["replayed"]) == (201, True)  # a retry: the first answer

    for who, code in ((device, y.badge_code), ({"Authorization": f"Bearer {other}"}, y.badge_code),
                      ({"Authorization": f"Bearer {other}"}, x.badge_code)):
        refused = scan(client, who, {"code": code, "nonce": "N"})
        assert (refused.status_code, refused.json["error"]) == (409, "nonce_reused")
        assert "registration" not in refused.json  # never another person's name
    assert db.session.query(CheckIn).count() == 1


# --- 3: NUL bytes and broken text -------------------------------------------------------------------


def test_nul_bytes_in_the_registration_form_are_removed_and_the_person_is_registered(client, db, event):
    event.capacity = None
    db.session.commit()
    form = {
        "csrf_token": csrf_token(client, "/events/hh/register"),
        "first_name": "Ma\x00ría",
        "last_name": "Ló\x00pez",
        "email": "maria\x00@example.com",
        "phone": "",
        "zip_code": "60608",
        "language": "en",
        "accessibility_needs": "wheel\x00chair BROKEN",
        "q_employment_status": "unemployed",
        "referral_code": "",
        "consent_share_profile": "y",
    }
    # Invalid UTF-8 (an encoded lone surrogate and a stray byte), as a broken keyboard app sends it.
    body = urlencode(form).replace("BROKEN", "%ED%A0%80%FF")
    response = client.post("/events/hh/register", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, [
        line for line in response.get_data(as_text=True).splitlines() if "error" in line
    ]
    person = db.session.scalar(select(Candidate))
    assert (person.first_name, person.last_name, person.email) == ("María", "López", "maria@example.com")
    registration = db.session.scalar(select(Registration))
    # Werkzeug keeps bytes that are not UTF-8 as the percent-escapes that were sent: storable text.
    assert registration.accessibility_needs == "wheelchair %ED%A0%80%FF"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "invisible control character" in page


@pytest.mark.parametrize(
    "path",
    [
        "/events/hh/?ref=%00",
        "/events/hh/register?ref=%00",
        "/events/%00/",
        "/b/a%00b",
        "/r/a%00b",
        "/events/hh/?lang=%ED%A0%80",
    ],
)
def test_nul_bytes_in_addresses_never_answer_500(client, db, event, path):
    assert client.get(path).status_code in (200, 404)


def test_a_sign_in_with_a_nul_byte_is_just_a_wrong_password(client, db):
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "email": "a\x00@b.org",
                                           "password": "x\x00y"})
    assert response.status_code == 200
    assert "do not match" in response.get_data(as_text=True)


def test_staff_search_for_people_with_a_nul_byte(client, db, event, login):
    login(factories.make_user(db.session, Role.STAFF))
    assert client.get("/staff/people/?q=ma%00ria").status_code == 200
    assert client.get("/door/events/hh/search?q=ma%00ria").status_code == 200


# --- 6: numbers and dates out of range ------------------------------------------------------------


@pytest.fixture
def booking_page(db, event):
    page = factories.make_booking_page(db.session, event)
    db.session.commit()
    return page


@pytest.mark.parametrize(("field", "value"), [
    ("slot_id", str(2**31)), ("slot_id", str(2**63)), ("slot_id", "9" * 30), ("replacing", str(2**63)),
])
def test_ids_no_row_can_have_are_refused_on_the_booking_form(client, db, booking_page, field, value):
    slot = db.session.scalar(select(InterviewSlot))
    data = {"csrf_token": csrf_token(client, booking_page), "slot_id": str(slot.id), field: value}
    response = client.post(f"{booking_page}/interviews", data=data)
    assert response.status_code == 400  # the booking form is refused as a whole: it is never typed
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 0


def test_a_30_digit_position_id_is_a_form_error(client, db, event):
    form = {
        "csrf_token": csrf_token(client, "/events/hh/register"),
        "first_name": "Ana",
        "last_name": "Ruiz",
        "email": "ana@example.com",
        "zip_code": "60608",
        "language": "en",
        "q_employment_status": "unemployed",
        "position_ids": "1" * 30,
        "referral_code": "",
    }
    response = client.post("/events/hh/register", data=form)
    assert response.status_code == 200
    assert "Enter a smaller number." in response.get_data(as_text=True)
    assert db.session.scalar(select(Registration)) is None


def test_urls_with_ids_beyond_the_database_integers_are_not_found(client, db, event, login):
    login(factories.make_user(db.session, Role.STAFF))
    for big in (2**31, 2**63, 10**30):
        assert client.get(f"/staff/people/{big}").status_code == 404


@pytest.mark.parametrize(("overrides", "field"), [
    ({"capacity": "99999999999"}, "capacity"),
    ({"registration_opens": "9999-12-31T23:59"}, "registration_opens"),
    ({"day": "9999-12-31"}, "day"),
    ({"day": "0001-01-01"}, "day"),
])
def test_staff_numbers_and_dates_out_of_range_are_explained_next_to_the_field(
    client, db, login, overrides, field
):
    login(factories.make_user(db.session, Role.STAFF))
    path = "/staff/events/new?template=techapalooza"
    response = client.post(path, data=new_event_form(**overrides) | {"csrf_token": csrf_token(client, path)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert db.session.scalar(select(Event).where(Event.slug == "techapalooza-winter-2027")) is None


def test_a_huge_position_id_beside_another_mistake_is_explained_not_a_500(client, db, event):
    """Found by the property test: a form with a mistake still has the service check every field
    (so one submit shows every problem), and an id past 2^63 must not reach the database there."""
    form = {
        "csrf_token": csrf_token(client, "/events/hh/register"),
        "first_name": "",
        "position_ids": str(2**63),
    }
    response = client.post("/events/hh/register", data=form)
    assert response.status_code == 200
    assert "Enter a smaller number." in response.get_data(as_text=True)


def test_a_field_that_declares_a_wider_range_keeps_it(app):
    """The booth's save sequence (the tablet's clock in ms, a 64-bit column) declares its own range;
    a count without a maximum (an event's capacity) is held to what an integer column holds."""
    from app.events.forms import EventForm
    from app.interviews.forms import OutcomeForm

    with app.test_request_context(method="POST", data={"seq": "1700000000200", "capacity": "99999999999"}):
        outcome, event_form = OutcomeForm(meta={"csrf": False}), EventForm(meta={"csrf": False})
        outcome.validate()
        event_form.validate()
    assert outcome.seq.errors == [] and outcome.seq.data == 1700000000200
    assert [str(e) for e in event_form.capacity.errors] == ["Enter a smaller number."]
