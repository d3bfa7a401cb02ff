"""Property tests: whatever is typed into the public forms or sent to the check-in API, the answer
is a clear error or a success, never a server error, and nothing half-written stays behind."""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models import Registration, TokenScope
from app.services import tokens
from app.services.surveys import add_default_surveys
from tests import factories
from tests.conftest import csrf_token

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
field_values = st.one_of(text, st.sampled_from(["", " ", "0", "-1", "<script>", "a@b", "+1", "60608", "ü" * 120]))


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
        optional={
            name: field_values
            for name in ("first_name", "last_name", "email", "phone", "zip_code", "language", "referral_code",
                         "accessibility_needs", "consent_share_profile", "q_employment_status", "q_sectors",
                         "position_ids", "website")
        },
    )
)
def test_the_registration_form_never_fails_on_any_input(client, open_event, data):
    before = client.application.extensions["sqlalchemy"].session.scalar(select(func.count()).select_from(Registration))
    data = {**data, "csrf_token": csrf_token(client, "/events/fuzz/register")}
    response = client.post("/events/fuzz/register", data=data)
    assert response.status_code in (200, 302), response.status_code
    after = client.application.extensions["sqlalchemy"].session.scalar(select(func.count()).select_from(Registration))
    if response.status_code == 200:  # refused: the page says why, and nothing was written
        assert after == before
        page = response.get_data(as_text=True)
        assert "field__error" in page or "error-summary" in page


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), text),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
scan_bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={"code": json_values, "nonce": json_values, "scanned_at": json_values}),
    st.fixed_dictionaries({
        "code": st.one_of(text, st.just("https://hireday.test/b/" + "x" * 22)),
        "nonce": st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=70),
        "scanned_at": st.one_of(text, st.just("2026-12-10T16:00:00Z"), st.just("2026-12-10T16:00:00")),
    }),
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
