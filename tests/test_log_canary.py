"""Issue 21, findings 4 and 5: no name, e-mail, phone or secret link in any log line after a run
that provokes errors. On PostgreSQL (``TEST_DATABASE_URL``) too, where a NUL byte or an integer out
of range used to print the statement's parameters, personal data included, in a traceback."""

import logging
import sys

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError

from app.models import Candidate, Role, TokenScope
from app.services.tokens import issue_token
from tests import factories
from tests.conftest import csrf_token

NAME, EMAIL, PHONE = "Canaryname", "canary.person@example.com", "+13125550177"


def _all_log_text(records) -> str:
    """Every record as a handler would write it, tracebacks included."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return "\n".join(formatter.format(r) for r in records)


def test_no_personal_data_or_secret_link_in_the_logs_of_a_run_that_provokes_errors(
    app, client, db, caplog, login
):
    caplog.set_level(logging.DEBUG)
    event = factories.make_event(db.session, slug="canary", capacity=None)
    person = factories.make_registration(db.session, event, candidate=factories.make_candidate(
        db.session, first_name=NAME, email=EMAIL, phone=PHONE))
    manage = factories.make_manage_link(db.session, person)
    _, device = issue_token(db.session, TokenScope.DEVICE, "Door", event=event)
    db.session.commit()

    # Bad input everywhere, with the canary values in it.
    client.post(
        "/login",
        data={"csrf_token": csrf_token(client, "/login"), "email": EMAIL + "\x00", "password": "x\x00"},
    )
    client.post(
        "/events/canary/register",
        data={
            "csrf_token": csrf_token(client, "/events/canary/register"),
            "first_name": NAME + "\x00",
            "last_name": "X",
            "email": EMAIL,
            "phone": PHONE,
            "zip_code": "9" * 30,
            "position_ids": "9" * 30,
        },
    )
    client.post(f"/r/{manage}/details", data={"first_name": NAME + "\x00", "email": EMAIL})
    client.post(f"/r/{manage}/interviews", data={"slot_id": str(2**63)})
    client.get(f"/r/{manage}/nothing-here")
    client.get(f"/b/{person.badge_code}%00")
    client.get("/s/a-survey-secret-link/x")
    client.post("/api/v1/events/canary/checkins", headers={"Authorization": f"Bearer {device}"},
                json={"code": person.badge_code, "nonce": "n\x00", "scanned_at": "0001-01-01T00:00:00+05:00"})
    login(factories.make_user(db.session, Role.STAFF))
    client.get(f"/staff/people/?q={NAME}%00")

    # A real database error whose statement carries personal data (a phone not in E.164 form:
    # PostgreSQL's message then quotes the whole failing row), logged the way Flask logs an
    # unhandled error under a secret link (and gunicorn its "Error handling request" line).
    with pytest.raises(DBAPIError) as failed, db.session.begin_nested():
        db.session.execute(
            insert(Candidate.__table__).values(
                first_name=NAME,
                last_name="X",
                name_key="canary x",
                email=EMAIL,
                phone=PHONE[2:],
                zip_code="60608",
                language="en",
            )
        )
    with app.test_request_context(f"/r/{manage}/details", method="POST"):
        try:
            raise failed.value
        except DBAPIError:
            app.log_exception(sys.exc_info())
            logging.getLogger("gunicorn.error").exception(
                "Error handling request %s", f"/b/{person.badge_code}"
            )

    text = _all_log_text(caplog.records)
    assert "Exception on /r/…/details [POST]" in text  # the error was logged, without its secret
    assert "ck_candidates_phone_e164" in text
    for secret in (NAME, EMAIL, PHONE[2:], manage, person.badge_code, "a-survey-secret-link", device):
        assert secret not in text, secret
