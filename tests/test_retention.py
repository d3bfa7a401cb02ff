"""Purging old events' personal data keeps every number the reports show; a person can see
everything held about them and have it removed."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import Answer, AuditEntry, Candidate, ManageLinkReason, Registration
from app.services import registration as registrations, reports, retention
from app.services.errors import DomainError
from app.services.surveys import add_default_surveys, record_response
from tests import factories
from tests.test_reports import START, event  # noqa: F401  (the report fixture: a finished event)

LATER = START + timedelta(days=400)


def test_purge_removes_identities_and_keeps_every_report_number(db, event):  # noqa: F811
    session = db.session
    add_default_surveys(session, event)
    person = session.scalars(
        select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
    ).first()
    post = next(
        s
        for s in event_surveys(session, event)
        if s.phase.value == "post" and s.audience.value == "candidate"
    )
    record_response(
        session, post, {"satisfaction": 4, "comments": "Loved the Loop Logic table"}, registration=person
    )
    # Someone who also registered for a later event keeps their identity.
    upcoming = factories.make_event(session, slug="next", starts_at=LATER + timedelta(days=10))
    returning = session.scalars(
        select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
    ).all()[1]
    factories.make_registration(session, upcoming, candidate=returning.candidate)
    token = registrations.issue_manage_link(session, person, ManageLinkReason.REGISTERED, LATER)
    session.commit()
    before = reports.event_numbers(session, event, LATER)

    result = retention.purge(session, timedelta(days=365), LATER)
    session.commit()

    assert (result.events, result.registrations) == (1, 13)
    assert reports.event_numbers(session, event, LATER) == before  # every count, table and chart
    assert person.candidate.first_name == retention.REMOVED and person.candidate.email is None
    assert person.candidate.zip_code is not None  # the ZIP table still counts them
    assert returning.candidate.first_name != retention.REMOVED and returning.candidate.email is not None
    assert registrations.find_by_manage_token(session, token) is None  # old links stop working
    assert session.scalar(select(Answer.text).where(Answer.text.is_not(None))) is None
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.purge"))
    assert entry.details["people"] == result.people
    assert retention.purge(session, timedelta(days=365), LATER).people == 0  # again: nothing left to remove


def test_purge_refuses_a_window_under_a_day(db):
    with pytest.raises(DomainError):
        retention.purge(db.session, timedelta(hours=2), LATER)


def test_a_person_can_see_and_remove_their_data(db, event):  # noqa: F811
    person = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
    ).first()
    data = retention.person_data(db.session, person.candidate)
    assert data["email"] == person.candidate.email
    assert data["registrations"][0]["event"] == "Techapalooza"
    assert data["registrations"][0]["interviews"][0]["outcome"] == "conditional_offer"

    retention.forget_person(db.session, person.candidate, LATER)
    forgotten = db.session.get(Candidate, person.candidate_id)
    assert (forgotten.first_name, forgotten.email, forgotten.phone) == (retention.REMOVED, None, None)
    assert retention.person_data(db.session, forgotten)["email"] is None


def test_the_purge_command(cli_runner, db, event):  # noqa: F811
    result = cli_runner("purge", "--older-than", "0")
    assert result.exit_code != 0 and "1 or more days" in result.output
    result = cli_runner("purge", "--older-than", "3650")
    assert result.exit_code == 0 and "0 people" in result.output


@pytest.fixture
def cli_runner(app, db):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def event_surveys(session, of_event):
    from app.models import Survey

    return session.scalars(select(Survey).where(Survey.event_id == of_event.id)).all()


def test_staff_find_export_and_remove_a_person(client, db, login, event):  # noqa: F811
    from app.models import Role
    from tests.conftest import csrf_token

    person = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
    ).first()
    candidate = person.candidate
    login(factories.make_user(db.session, Role.STAFF))
    found = client.get(f"/staff/people/?q={candidate.last_name}").get_data(as_text=True)
    assert f"/staff/people/{candidate.id}" in found
    export = client.get(f"/staff/people/{candidate.id}/export.json")
    assert export.get_json()["email"] == candidate.email
    page = f"/staff/people/{candidate.id}"
    unconfirmed = client.post(f"{page}/forget", data={"csrf_token": csrf_token(client, page)})
    assert unconfirmed.status_code == 302 and db.session.get(Candidate, candidate.id).email is not None
    client.post(f"{page}/forget", data={"csrf_token": csrf_token(client, page), "confirm": "yes"})
    db.session.expire_all()
    assert db.session.get(Candidate, candidate.id).email is None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.person")) is not None


def test_the_nightly_purge_job_removes_old_people_and_their_messages(app, db, event, monkeypatch):  # noqa: F811
    """The purge runs on the job queue every night (RETENTION_DAYS), not only by hand."""
    import time_machine

    from app import jobs
    from app.models import Channel, OutboundMessage
    from app.services import outbound

    monkeypatch.setitem(app.config, "RETENTION_DAYS", 365)
    person = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).first()
    outbound.queue_message(db.session, Channel.EMAIL, person.candidate.email, b"Subject: hi", "registered",
                           registration_id=person.id)
    db.session.commit()
    with time_machine.travel(START + timedelta(days=300), tick=False), app.app_context():
        jobs.purge_old_personal_data.call_local()  # not old enough yet
    db.session.expire_all()
    assert person.candidate.first_name != retention.REMOVED
    with time_machine.travel(LATER, tick=False), app.app_context():
        jobs.purge_old_personal_data.call_local()
    db.session.expire_all()
    assert person.candidate.first_name == retention.REMOVED
    assert db.session.scalar(select(OutboundMessage.id)) is None  # the address in the message went too
