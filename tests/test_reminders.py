"""Reminders two days before and on the morning of the event, in each person's language, by
e-mail and (where they agreed) by text; "I can't come" frees the place for the waitlist; STOP
ends texts. The clock is frozen at the moments the scheduled job runs."""

import email
import re
from datetime import UTC, datetime, time, timedelta
from email import policy
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from app import jobs
from app.models import (
    CheckIn,
    CheckInKind,
    Language,
    MessageStatus,
    OutboundMessage,
    Registration,
    RegistrationStatus,
    utcnow,
)
from app.services import reminders, sms
from tests import factories
from tests.conftest import csrf_token

#: The event: Thursday 10 December 2026, 10:00 in Chicago (16:00 UTC).
TWO_DAYS_BEFORE = datetime(2026, 12, 8, 23, 5, tzinfo=UTC)  # Tuesday 17:05 in Chicago
MORNING = datetime(2026, 12, 10, 14, 5, tzinfo=UTC)  # Thursday 8:05 in Chicago


@pytest.fixture
def outboxes(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "SMS_OUTBOX_PATH", str(tmp_path / "sms"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "SMS_PROVIDER", "outbox")
    return tmp_path / "mail", tmp_path / "sms"


def mails(outbox: Path) -> dict[str, list[email.message.EmailMessage]]:
    found: dict[str, list] = {}
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        found.setdefault(message["To"], []).append(message)
    return found


def texts(outbox: Path) -> dict[str, list[str]]:
    found: dict[str, list] = {}
    for path in sorted(outbox.glob("*.txt")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        found.setdefault(head.removeprefix("To: "), []).append(body.strip())
    return found


def person(db, event, first_name, language=Language.EN, *, sms_ok=True, **fields):
    candidate = factories.make_candidate(
        db.session, first_name=first_name, email=f"{first_name.lower()}@example.com"
    )
    return factories.make_registration(
        db.session, event, candidate, language=language, consent_sms=sms_ok, **fields
    )


def checked_in(db, registration):
    db.session.add(
        CheckIn(
            event_id=registration.event_id,
            registration=registration,
            nonce=f"n-{registration.id}",
            scanned_at=MORNING,
            kind=CheckInKind.ENTRY,
            successful=True,
        )
    )
    db.session.flush()


def run_scheduled(app, at: datetime) -> None:
    """The periodic job, as the worker runs it at ``at`` (its jobs run at once here)."""
    with time_machine.travel(at, tick=False), app.test_request_context():
        jobs.send_due_reminders.call_local()


@pytest.fixture
def people(db):
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago", capacity=5)
    plan = reminders.save_plan(db.session, event, two_days_enabled=True, two_days_at=time(17, 0),
                               morning_enabled=True, morning_at=time(8, 0), sms_enabled=True,
                               bring_en="Bring a photo ID.", bring_es="Traiga una identificación con foto.")
    created = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    found = {
        "ana": person(db, event, "Ana", created_at=created),
        "lucia": person(db, event, "Lucía", Language.ES, created_at=created),
        "bob": person(db, event, "Bob", sms_ok=False, created_at=created),
        "carl": person(db, event, "Carl", created_at=created),
        "dana": person(db, event, "Dana", created_at=created),
        "eve": person(
            db, event, "Eve", created_at=created + timedelta(days=1), status=RegistrationStatus.WAITLISTED
        ),
    }
    gone = person(
        db, event, "Gus", created_at=created, status=RegistrationStatus.CANCELLED, cancelled_at=created
    )
    found["gus"] = gone
    db.session.commit()
    assert plan.event_id == event.id
    return found


def test_two_day_and_morning_reminders_reach_exactly_the_right_people(app, client, db, people, outboxes):
    mail_box, sms_box = outboxes
    run_scheduled(app, TWO_DAYS_BEFORE - timedelta(minutes=10))  # not yet
    assert not mail_box.exists() and not sms_box.exists()

    run_scheduled(app, TWO_DAYS_BEFORE)
    sent = mails(mail_box)
    assert set(sent) == {"ana@example.com", "lucía@example.com", "bob@example.com", "carl@example.com",
                         "dana@example.com"}  # not the waitlisted, not the cancelled
    spanish = sent["lucía@example.com"][0]
    assert spanish["Subject"] == "En dos días: Hospitality Hires Chicago"
    body = spanish.get_body(("plain",)).get_content()
    assert "Hola, Lucía:" in body and "Traiga una identificación con foto." in body
    english = sent["ana@example.com"][0].get_body(("plain",)).get_content()
    assert "Hello Ana," in english and "Bring a photo ID." in english
    phones = {r.candidate.phone: name for name, r in people.items()}
    by_text = {phones[number]: body for number, (body,) in texts(sms_box).items()}
    assert set(by_text) == {"ana", "lucia", "carl", "dana"}  # Bob did not agree to texts
    assert by_text["lucia"].startswith("Hola Lucía, recordatorio:")
    assert by_text["ana"].startswith("Hi Ana, reminder:")
    for body in by_text.values():
        assert sms.segments(body) <= 2 and "https://hireday.test/c/" in body
    assert not sms.is_gsm7(by_text["lucia"])  # the accent makes it UCS-2, and it still fits

    run_scheduled(app, TWO_DAYS_BEFORE + timedelta(minutes=5))  # the job runs again: nothing twice
    assert sum(len(v) for v in mails(mail_box).values()) == 5 and len(list(sms_box.glob("*.txt"))) == 4

    # Carl can't come: his link opens a page; only its button cancels (a mail scanner's GET does not).
    link = re.search(
        r"https://hireday\.test(/c/\S+)", sent["carl@example.com"][0].get_body(("plain",)).get_content()
    )[1]
    page = client.get(link)
    assert page.status_code == 200 and "Cancel my place" in page.get_data(as_text=True)
    assert db.session.get(Registration, people["carl"].id).status == RegistrationStatus.REGISTERED
    with time_machine.travel(TWO_DAYS_BEFORE + timedelta(hours=1), tick=False):
        done = client.post(link, data={"csrf_token": csrf_token(client, link)}, follow_redirects=True)
    assert "Your place is cancelled" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, people["carl"].id).status == RegistrationStatus.CANCELLED
    # Eve, first on the waitlist, has the place and hears at once, by e-mail and text.
    assert db.session.get(Registration, people["eve"].id).status == RegistrationStatus.REGISTERED
    assert (
        mails(mail_box)["eve@example.com"][0]["Subject"]
        == "A place opened for you: Hospitality Hires Chicago"
    )
    assert texts(sms_box)[people["eve"].candidate.phone][0].startswith("A place opened for you:")

    # The day: Dana is in already; Carl cancelled. The others get the morning reminder.
    checked_in(db, people["dana"])
    db.session.commit()
    before = {k: len(v) for k, v in mails(mail_box).items()}
    run_scheduled(app, MORNING)
    after = {k: len(v) for k, v in mails(mail_box).items()}
    got_morning = {k for k in after if after[k] > before.get(k, 0)}
    # Eve registered before the two-day reminder's time but held no place then; she gets this one.
    assert got_morning == {"ana@example.com", "lucía@example.com", "bob@example.com", "eve@example.com"}
    assert mails(mail_box)["lucía@example.com"][-1]["Subject"] == "Hoy: Hospitality Hires Chicago"


def test_a_reminder_queued_before_a_check_in_is_not_sent(app, db, people, outboxes):
    mail_box, _ = outboxes
    with time_machine.travel(MORNING, tick=False), app.test_request_context():
        reminders.queue_due(db.session, utcnow())  # queued, not sent yet (no dispatch)
        checked_in(db, people["ana"])
        db.session.commit()
        message = db.session.scalar(select(OutboundMessage).where(
            OutboundMessage.recipient == "ana@example.com", OutboundMessage.purpose == "reminder_morning"))
        jobs.deliver_message.call_local(message.id)
    db.session.refresh(message)
    assert message.status == MessageStatus.WITHDRAWN
    assert "ana@example.com" not in mails(mail_box)


def test_stop_ends_texts_and_help_answers(app, client, db, people, outboxes, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_PROVIDER", "twilio")
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", "twilio-test-token")
    phone = people["ana"].candidate.phone

    def reply(body: str, signature: str | None = None):
        params = {"From": phone, "Body": body, "MessageSid": "SM123"}
        url = "https://hireday.test/sms/inbound"
        signed = RequestValidator("twilio-test-token").compute_signature(url, params)
        return client.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signature or signed})

    assert reply("STOP", signature="forged").status_code == 403
    db.session.expire_all()
    assert db.session.get(Registration, people["ana"].id).consent_sms

    answer = reply("Stop")
    assert answer.status_code == 200 and "no more texts" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(Registration, people["ana"].id).consent_sms
    assert "Reply STOP" in reply("HELP").get_data(as_text=True)
    assert "Responda" in reply("AYUDA").get_data(as_text=True)

    monkeypatch.setitem(app.config, "SMS_PROVIDER", "outbox")
    run_scheduled(app, TWO_DAYS_BEFORE)
    assert phone not in texts(outboxes[1])  # Ana texted STOP
    assert "ana@example.com" in mails(outboxes[0])  # her e-mail reminder still goes


def test_texts_wait_out_the_quiet_hours(app, db, people):
    night = datetime(2026, 12, 2, 5, 30, tzinfo=UTC)  # 23:30 in Chicago
    with app.test_request_context():
        message = sms.queue_text(db.session, people["ana"], "Hi", "test", night)
    assert message.send_after == datetime(2026, 12, 2, 14, 0, tzinfo=UTC)  # 8:00 in Chicago
    with app.test_request_context():
        assert (
            sms.queue_text(db.session, people["ana"], "Hi", "test", night + timedelta(hours=9)).send_after
            is None
        )


def test_every_text_fits_two_segments_in_both_languages():
    assert sms.segments("a" * 160) == 1 and sms.segments("a" * 161) == 2 and sms.segments("a" * 306) == 2
    assert sms.segments("á" * 70) == 1 and sms.segments("á" * 71) == 2 and sms.segments("á" * 135) == 3
    assert sms.segments("{" * 80) == 1 and sms.segments("{" * 81) == 2  # the extension table counts double
    long_name = "Feria de empleo de hospitalidad y gastronomía del Condado de Cook, edición de invierno " * 2
    text = sms.fit(["Hola María, recordatorio:", long_name, "jue 10 dic, 10:00.", "¿No puede venir?",
                    "https://hireday.test/c/12.abcdefghijklmnopqrstuvwxyz0"], shrinkable=1)
    assert sms.segments(text) == 2 and "…" in text and text.endswith("abcdefghijklmnopqrstuvwxyz0")
