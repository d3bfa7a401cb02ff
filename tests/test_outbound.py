"""E-mail leaves through the job worker: queued with what it tells about, sent by SMTP when a
server is configured (else into the outbox), retried, and listed for staff when it cannot go."""

import email
import logging
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from app.models import MessageStatus, OutboundMessage, Role, utcnow
from app.services import outbound
from app.services.mail import Attachment, Mail, queue
from tests import factories
from tests.conftest import csrf_token
from tests.jobs import held_jobs, pending, run_jobs


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.received = []

    def handle_message(self, message):
        self.received.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MAIL = Mail(
    to="lucia.h@example.com",
    subject="You're registered",
    text="See you there.",
    html="<p>See you there.</p>",
    attachments=[Attachment("event.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")],
)


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def mail_config(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    return app.config


@pytest.fixture
def smtp_server(mail_config):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    mail_config["MAIL_SERVER"], mail_config["MAIL_PORT"] = "127.0.0.1", controller.port
    yield inbox
    controller.stop()


def test_the_worker_sends_a_queued_message_once_and_records_it(app, app_context, db, smtp_server, tmp_path):
    with held_jobs():
        message = queue(db.session, MAIL, "test")
        assert pending() == 0  # nothing leaves before the transaction commits
        db.session.commit()
        outbound.dispatch(db.session)
        assert pending() == 1 and smtp_server.received == []
        assert run_jobs() == 1
    (received,) = smtp_server.received
    assert received["To"] == "lucia.h@example.com" and received["Subject"] == "You're registered"
    db.session.refresh(message)
    assert message.status == MessageStatus.SENT and message.attempts == 1 and message.sent_at is not None
    # A worker that gets the same job again (a retry, a restart) sends nothing more.
    outbound.deliver(db.session, message.id, utcnow())
    assert len(smtp_server.received) == 1
    assert not (tmp_path / "outbox").exists()


def test_a_rolled_back_transaction_sends_nothing(app, app_context, db, mail_config):
    with held_jobs():
        queue(db.session, MAIL, "test")
        db.session.rollback()
        assert outbound.dispatch(db.session) == 0 and pending() == 0


def test_an_unreachable_server_is_retried_then_listed_for_staff(app, db, client, login, mail_config, caplog):
    mail_config["MAIL_SERVER"], mail_config["MAIL_PORT"] = "127.0.0.1", _free_port()  # nothing listens
    caplog.set_level(logging.WARNING)
    with app.app_context():
        message = queue(db.session, MAIL, "registered")
        db.session.commit()
        for attempt in range(1, outbound.MAX_ATTEMPTS):
            with pytest.raises(outbound.DeliveryError):  # the job fails, so the queue retries it
                outbound.deliver(db.session, message.id, utcnow())
            db.session.refresh(message)
            assert message.status == MessageStatus.QUEUED and message.attempts == attempt
        outbound.deliver(db.session, message.id, utcnow())  # the last attempt
        db.session.refresh(message)
    assert message.status == MessageStatus.FAILED and message.last_error == "ConnectionRefusedError"
    assert "lucia.h@example.com" not in caplog.text  # logs say which message, never to whom

    staff = factories.make_user(db.session, Role.STAFF)
    db.session.commit()
    login(staff)
    page = client.get("/staff/messages/undelivered").get_data(as_text=True)
    assert "lucia.h@example.com" in page and "ConnectionRefusedError" in page

    # The server is fixed; staff send it again and it goes.
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        mail_config["MAIL_PORT"] = controller.port
        client.post(f"/staff/messages/{message.id}/send-again",
                    data={"csrf_token": csrf_token(client, "/staff/messages/undelivered")})
    finally:
        controller.stop()
    assert len(inbox.received) == 1
    db.session.refresh(message)
    assert message.status == MessageStatus.SENT
    assert "Every message has been delivered" in client.get("/staff/messages/undelivered").get_data(
        as_text=True
    )


def test_a_refused_address_is_not_retried(app, app_context, db, smtp_server, monkeypatch):
    async def refuse(handler, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox"

    monkeypatch.setattr(Inbox, "handle_RCPT", refuse, raising=False)
    message = queue(db.session, MAIL, "registered")
    db.session.commit()
    outbound.deliver(db.session, message.id, utcnow())
    db.session.refresh(message)
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    assert message.last_error == "SMTP recipient refused [550]"


def test_a_registration_does_not_wait_for_the_mail_server(app, client, db, mail_config, tmp_path):
    """The confirmation is queued with the registration; the worker writes it afterwards."""
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago", capacity=None)
    db.session.commit()
    path = "/events/hh/register"
    data = {
        "csrf_token": csrf_token(client, path), "first_name": "Lucía", "last_name": "Hernández",
        "email": "lucia.h@example.com", "phone": "773-555-0188", "zip_code": "60623", "language": "es",
        "consent_share_profile": "y", "referral_code": "",
    }
    with held_jobs():
        assert client.post(path, data=data).status_code == 302
        outbox = tmp_path / "outbox"
        assert not outbox.exists()  # nothing was sent in the request
        (message,) = db.session.query(OutboundMessage).all()
        assert message.status == MessageStatus.QUEUED and message.purpose == "registered"
        assert pending() == 1
        run_jobs()
    (sent,) = outbox.glob("*.eml")
    mail = email.message_from_bytes(sent.read_bytes(), policy=policy.default)
    assert mail["To"] == "lucia.h@example.com" and mail["Subject"].startswith("Ya está inscrito")
    assert event.name in mail.get_body(("plain",)).get_content()
