"""E-mail goes out by SMTP when a server is configured, and is never lost when it is not."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from app.services.mail import Attachment, Mail, send


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
    to="lucia.h@example.com", subject="You're registered", text="See you there.", html="<p>See you there.</p>",
    attachments=[Attachment("event.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")],
)


@pytest.fixture
def mail_config(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    return app.config


def test_a_configured_smtp_server_receives_the_message(app, mail_config, tmp_path):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        mail_config["MAIL_SERVER"], mail_config["MAIL_PORT"] = "127.0.0.1", controller.port
        with app.app_context():
            send(MAIL)
    finally:
        controller.stop()
    (message,) = inbox.received
    assert message["To"] == "lucia.h@example.com" and message["Subject"] == "You're registered"
    assert not (tmp_path / "outbox").exists()


def test_an_unreachable_server_leaves_the_message_in_the_outbox(app, mail_config, tmp_path, caplog):
    mail_config["MAIL_SERVER"], mail_config["MAIL_PORT"] = "127.0.0.1", _free_port()  # nothing listens
    with app.app_context():
        send(MAIL)
    (kept,) = (tmp_path / "outbox").glob("*.eml")
    assert b"Subject: You're registered" in kept.read_bytes()
    assert "lucia.h@example.com" not in caplog.text  # the log names the file, not the person
