"""A person's calendar entry, read back with a real iCalendar parser: every e-mail that carries it
(confirmation, reminders, change notice, cancellation) and the download on their page use one
UID, and its SEQUENCE rises with each change, so a calendar moves the entry, drops it when the
person cancels, and takes it back when they register again."""

import dataclasses
import email
from datetime import UTC, datetime, timedelta
from email import policy
from typing import cast

import pytest
import time_machine
from icalendar import Calendar

from app import jobs
from app.models import RegistrationStatus
from app.services import event_notices, event_setup, outbound, registration as registrations
from app.services.registration_mail import Notice, cancel_and_notify, notice_for, send_notice
from tests import factories

#: Two days before the event (Thursday 10 December 2026, 10:00 in Chicago), after the reminder time.
TWO_DAYS_BEFORE = datetime(2026, 12, 8, 23, 5, tzinfo=UTC)


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "SMS_PROVIDER", "outbox")
    monkeypatch.setitem(app.config, "SMS_OUTBOX_PATH", str(tmp_path / "sms"))
    return tmp_path / "mail"


def entries(outbox) -> list[tuple[str, object]]:
    """Each e-mail's subject and its calendar entry (the VEVENT), oldest first."""
    found: list[tuple[str, object]] = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        found.extend(
            (
                message["Subject"],
                Calendar.from_ical(cast(bytes, part.get_payload(decode=True))).walk("VEVENT")[0],
            )
            for part in message.walk()
            if part.get_content_type() == "text/calendar"
        )
    return found


def test_one_uid_and_a_rising_sequence_through_every_change(app, client, db, outbox):
    event = factories.make_event(db.session, slug="moving", name="Techapalooza")
    details = registrations.RegistrationDetails(first_name="Ana", last_name="Ruiz", email="ana@example.com",
                                                consent_share_profile=True)
    now = event.starts_at - timedelta(days=10)
    with time_machine.travel(now, tick=False), app.test_request_context():
        outcome = registrations.register(db.session, event, details, now)
        send_notice(outcome.registration, notice_for(outcome), outcome.manage_token)
        db.session.commit()
        outbound.dispatch(db.session)  # the worker sends what was queued (here: at once)
    ana = outcome.registration

    with time_machine.travel(TWO_DAYS_BEFORE, tick=False), app.test_request_context():
        jobs.send_due_reminders.call_local()
    later = TWO_DAYS_BEFORE + timedelta(hours=1)
    with time_machine.travel(later, tick=False), app.test_request_context():
        moved = dataclasses.replace(event_setup.event_details_of(event), venue="Malcolm X College")
        event_setup.update_event(db.session, event, moved)
        db.session.commit()
        event_notices.start_notifying(event.id)
    with time_machine.travel(later + timedelta(hours=1), tick=False), app.test_request_context():
        cancel_and_notify(db.session, ana, later)
        db.session.commit()
        outbound.dispatch(db.session)
    with time_machine.travel(later + timedelta(hours=2), tick=False), app.test_request_context():
        again = registrations.register(db.session, event, details, later + timedelta(hours=2))
        send_notice(again.registration, notice_for(again), again.manage_token)
        db.session.commit()
        outbound.dispatch(db.session)

    found = entries(outbox)
    assert [subject for subject, _ in found] == [
        "You're registered: Techapalooza", "In two days: Techapalooza", "Changed: Techapalooza",
        "Registration cancelled: Techapalooza", "You're registered: Techapalooza",
    ]
    assert {str(entry["UID"]) for _, entry in found} == {f"registration-{ana.id}@hireday"}
    assert [int(entry["SEQUENCE"]) for _, entry in found] == [0, 0, 1, 2, 3]
    assert [str(entry["STATUS"]) for _, entry in found] == ["CONFIRMED"] * 3 + ["CANCELLED", "CONFIRMED"]
    assert [str(entry["LOCATION"]).split(",")[0] for _, entry in found] == (
        ["Harold Washington Library Center"] * 2 + ["Malcolm X College"] * 3)
    assert again.registration.id == ana.id and ana.status == RegistrationStatus.REGISTERED

    # The file on their page is the same entry as the last e-mail's.
    download = client.get(f"/r/{again.manage_token}/event.ics")
    entry = Calendar.from_ical(download.data).walk("VEVENT")[0]
    assert (str(entry["UID"]), int(entry["SEQUENCE"]), str(entry["STATUS"])) == (
        f"registration-{ana.id}@hireday", 3, "CONFIRMED")


def test_a_waitlisted_person_gets_no_entry_until_promoted(app, db, outbox):
    event = factories.make_event(db.session, capacity=1)
    factories.make_registration(db.session, event)
    waiting = factories.make_registration(db.session, event, status=RegistrationStatus.WAITLISTED)
    with app.test_request_context():
        send_notice(waiting, Notice.WAITLISTED, factories.make_manage_link(db.session, waiting))
        db.session.commit()
        outbound.dispatch(db.session)
    assert len(list(outbox.glob("*.eml"))) == 1
    assert entries(outbox) == []
