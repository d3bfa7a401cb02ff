"""A personal-data canary: a person registers with marker values in every personal field, then
goes through every flow (check-in, interview, offer, hire, survey, report, exports). No marker
may turn up in the application's log output or in the audit trail."""

import logging
from datetime import timedelta

from sqlalchemy import select

from app.models import AuditEntry, Outcome, Role, Survey, TokenScope, WageUnit
from app.services import interviews, registration as registrations, tokens
from app.services.surveys import add_default_surveys, record_response
from tests import factories
from tests.conftest import csrf_token

MARKERS = {
    "first_name": "Canaryfirst",
    "last_name": "Canarylast",
    "email": "canary.marker@example.com",
    "phone": "(312) 555-0199",
    "phone_e164": "+13125550199",
    "note": "CANARY-NOTE",
    "comment": "CANARY-COMMENT",
    "needs": "CANARY-NEEDS",
}


def test_no_personal_data_in_logs_or_the_audit_trail(client, db, login, app, caplog, tmp_path, monkeypatch):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    # A mail server that refuses connections: the failure is logged, so the logging path runs.
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    session = db.session
    start = factories.EVENT_START
    event = factories.make_event(session, slug="canary", capacity=None)
    booth = factories.make_participation(
        session, event, factories.make_organization(session, name="Canary Hotel")
    )
    position = factories.make_position(session, booth, title="Line Cook")
    add_default_surveys(session, event)
    _, device = tokens.issue_token(session, TokenScope.DEVICE, "Door 1", event=event)
    booth_token, _ = tokens.issue_token(session, TokenScope.BOOTH, "Booth", participation=booth)
    session.commit()

    # Register through the web form, open the person's page and their badge.
    form = {
        "csrf_token": csrf_token(client, "/events/canary/register"), "first_name": MARKERS["first_name"],
        "last_name": MARKERS["last_name"], "email": MARKERS["email"], "phone": MARKERS["phone"],
        "zip_code": "60608", "language": "en", "q_employment_status": "unemployed",
        "accessibility_needs": MARKERS["needs"], "consent_share_profile": "y", "referral_code": "",
    }
    manage = client.post("/events/canary/register", data=form).headers["Location"]
    assert client.get(manage).status_code == 200
    assert client.get(f"{manage}/badge.pdf").status_code == 200
    client.post("/events/canary/register", data=form)  # a duplicate attempt
    registration = session.scalar(select(registrations.Registration))

    # Check in through the API, twice.
    for nonce in ("scan-1", "scan-2"):
        response = client.post(
            "/api/v1/events/canary/checkins",
            headers={"Authorization": f"Bearer {device}"},
            json={"code": registration.badge_code, "nonce": nonce, "scanned_at": start.isoformat()},
        )
        assert response.status_code in (200, 201)

    # Interview, offer, hire, survey.
    interview = interviews.start(
        session, booth, registration, start + timedelta(hours=1), nonce="b1", token=booth_token
    )
    interviews.record_outcome(session, interview, interviews.OutcomeDetails(
        outcome=Outcome.CONDITIONAL_OFFER, position_id=position.id, wage_cents=1900, wage_unit=WageUnit.HOUR,
        start_date=(start + timedelta(days=14)).date(), notes=MARKERS["note"],
    ), start + timedelta(hours=1, minutes=10), token=booth_token)
    survey = next(
        s for s in event_surveys(session, event) if (s.audience.value, s.phase.value) == ("candidate", "post")
    )
    record_response(
        session, survey, {"satisfaction": 5, "comments": MARKERS["comment"]}, registration=registration
    )
    session.commit()

    # Staff: the report, the dashboard and every export.
    login(factories.make_user(session, Role.STAFF))
    assert client.get("/staff/events/canary/report.pdf", follow_redirects=True).status_code == 200
    assert client.get("/staff/events/canary/dashboard").status_code == 200
    for kind in ("registrations", "checkins", "interviews", "offers"):
        assert client.get(f"/staff/events/canary/export/{kind}.csv").status_code == 200

    logged = caplog.text
    assert "attempt 1 failed (ConnectionRefusedError)" in logged  # the logs were captured
    audit = " ".join(
        f"{e.action} {e.object_type} {e.details}" for e in session.scalars(select(AuditEntry)).all()
    )
    assert session.scalar(select(AuditEntry.id).limit(1)) is not None  # the flows were audited
    for name, marker in MARKERS.items():
        assert marker.lower() not in logged.lower(), f"{name} in the logs"
        assert marker.lower() not in audit.lower(), f"{name} in the audit trail"


def event_surveys(session, event):
    return session.scalars(select(Survey).where(Survey.event_id == event.id)).all()
