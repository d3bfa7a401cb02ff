"""Property tests: whatever is typed into the public forms or sent to the check-in API, the answer
is a clear error or a success, never a server error, and nothing half-written stays behind."""

import string
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from app.models import Registration, TokenScope
from app.services import tokens
from app.services.surveys import add_default_surveys
from tests import factories
from tests.conftest import csrf_token

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)
#: Whole numbers no database column holds (PostgreSQL's integer ends at 2^31, SQLite's at 2^63).
huge_numbers = st.one_of(
    st.integers().map(str),
    st.sampled_from([str(2**31), str(2**63), "9" * 30, "-" + "9" * 30, "99999999999"]),
)
#: Dates at the ends of the calendar, which overflow when moved between time zones.
far_dates = st.sampled_from(
    ["9999-12-31", "0001-01-01", "9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30"]
)
field_values = st.one_of(
    text, huge_numbers, far_dates,
    st.sampled_from(["", " ", "0", "-1", "<script>", "a@b", "+1", "60608", "ü" * 120, "a\x00b", "\x00"]),
)


@pytest.fixture
def open_event(db):
    event = factories.make_event(db.session, slug="fuzz", capacity=5)
    factories.make_partnership(db.session, event, referral_code="FUZZ0001")
    add_default_surveys(db.session, event)
    db.session.commit()
    return event


@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            (
                "first_name",
                "last_name",
                "email",
                "phone",
                "zip_code",
                "language",
                "referral_code",
                "accessibility_needs",
                "consent_share_profile",
                "q_employment_status",
                "q_sectors",
                "position_ids",
                "website",
            ),
            field_values,
        ),
    )
)
def test_the_registration_form_never_fails_on_any_input(client, open_event, data):
    before = client.application.extensions["sqlalchemy"].session.scalar(
        select(func.count()).select_from(Registration)
    )
    data = {**data, "csrf_token": csrf_token(client, "/events/fuzz/register")}
    response = client.post("/events/fuzz/register", data=data)
    assert response.status_code in (200, 302), response.status_code
    after = client.application.extensions["sqlalchemy"].session.scalar(
        select(func.count()).select_from(Registration)
    )
    if response.status_code == 200:  # refused: the page says why, and nothing was written
        assert after == before
        page = response.get_data(as_text=True)
        assert "field__error" in page or "error-summary" in page


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), text),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
#: What a device's clock may say: any moment of the calendar, at any UTC offset (the zero time of
#: .NET and Go clients, year 9999 west of Greenwich, …).
device_clocks = st.one_of(
    st.sampled_from(["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]),
    st.datetimes(
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])
    ).map(datetime.isoformat),
)
scan_bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {}, optional={"code": json_values, "nonce": json_values, "scanned_at": json_values}
    ),
    st.fixed_dictionaries(
        {
            "code": st.one_of(text, st.just("https://hireday.test/b/" + "x" * 22)),
            "nonce": st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=70),
            "scanned_at": st.one_of(
                text, st.just("2026-12-10T16:00:00Z"), st.just("2026-12-10T16:00:00"), device_clocks
            ),
        }
    ),
)


@pytest.fixture
def device(db, open_event):
    _, secret = tokens.issue_token(db.session, TokenScope.DEVICE, "Door 1", event=open_event)
    db.session.commit()
    return secret


@FUZZ
@given(body=scan_bodies, batch=st.booleans())
def test_the_check_in_api_answers_every_body_with_a_status(client, device, body, batch):
    path = "/api/v1/events/fuzz/checkins" + ("/batch" if batch else "")
    response = client.post(path, json=body, headers={"Authorization": f"Bearer {device}"})
    assert response.status_code < 500, response.get_data(as_text=True)
    payload = response.get_json()
    assert isinstance(payload, dict)
    assert "status" in payload or "error" in payload or "results" in payload


@FUZZ
@given(raw=st.binary(max_size=200))
def test_the_check_in_api_refuses_what_is_not_json(client, device, raw):
    response = client.post("/api/v1/events/fuzz/checkins", data=raw, content_type="application/json",
                           headers={"Authorization": f"Bearer {device}"})
    assert response.status_code < 500
    assert isinstance(response.get_json(), dict)


@FUZZ
@given(body=st.lists(st.fixed_dictionaries({
    "code": st.just("https://hireday.test/b/" + "x" * 22) | text,
    "nonce": st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=8),
    "scanned_at": device_clocks,
}), min_size=1, max_size=6))
def test_an_offline_batch_answers_every_scan_whatever_its_clock(client, device, body):
    response = client.post("/api/v1/events/fuzz/checkins/batch", json={"scans": body},
                           headers={"Authorization": f"Bearer {device}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert len(response.json["results"]) == len(body)
    assert all(r["http_status"] < 500 for r in response.json["results"])


@FUZZ
@given(
    path=st.sampled_from(
        [
            "/events/{}/",
            "/events/fuzz/?ref={}",
            "/events/fuzz/register?ref={}",
            "/b/{}",
            "/r/{}",
            "/r/{}/badge.pdf",
            "/s/{}",
            "/booth/{}",
            "/partner/{}",
            "/staff/people/{}",
        ]
    ),
    value=st.one_of(text, huge_numbers, st.sampled_from(["%00", "a%00b", "%ED%A0%80", "%FF", "%C0%AF"])),
)
def test_no_address_answers_500(client, open_event, path, value):
    from urllib.parse import quote

    value = value if value.startswith("%") or "%" in value[:3] else quote(value, safe="")
    assert client.get(path.format(value)).status_code < 500


@pytest.fixture
def booking_page(db, open_event):
    page = factories.make_booking_page(db.session, open_event)
    db.session.commit()
    return page


@FUZZ
@given(slot_id=field_values, replacing=field_values)
def test_the_booking_form_never_fails_on_any_id(client, booking_page, slot_id, replacing):
    data = {"csrf_token": csrf_token(client, booking_page), "slot_id": slot_id, "replacing": replacing}
    assert client.post(f"{booking_page}/interviews", data=data).status_code < 500


@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            (
                "capacity",
                "max_bookings_per_candidate",
                "day",
                "start",
                "end",
                "registration_opens",
                "registration_closes",
                "name",
                "venue",
                "description",
            ),
            field_values,
        ),
    )
)
def test_the_staff_event_form_never_fails_on_any_number_or_date(client, db, login, data):
    from app.models import Role

    if not client.get_cookie("session"):
        login(factories.make_user(db.session, Role.STAFF))
    path = "/staff/events/new?template=techapalooza"
    base = {
        "name": "Fair",
        "venue": "Library",
        "address": "400 S. State St.",
        "day": "2027-02-11",
        "start": "16:00",
        "end": "19:00",
        "timezone": "America/Chicago",
        "max_bookings_per_candidate": "3",
    }
    response = client.post(path, data=base | data | {"csrf_token": csrf_token(client, path)})
    assert response.status_code in (200, 302)
