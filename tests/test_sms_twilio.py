"""Texts through Twilio's SDK, against a local fake of Twilio's HTTP API (a real HTTP server on
loopback that answers as Twilio's Messages resource does)."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs

import pytest

from app.models import Channel, MessageStatus, utcnow
from app.services import outbound, sms
from tests import factories

ACCOUNT = "AC" + "0" * 32
TOKEN = "fake-auth-token"


class FakeTwilio(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []
    #: Numbers that texted STOP (Twilio answers 21610), and how many 503s to give first.
    unsubscribed: ClassVar[set[str]] = set()
    outages = 0

    def do_POST(self):
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
        if (
            self.path != f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
            or self.headers["Authorization"] != expected
        ):
            return self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        form = {
            k: v[0]
            for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()
        }
        if FakeTwilio.outages:
            FakeTwilio.outages -= 1
            return self._answer(503, {"code": 20503, "message": "Service unavailable", "status": 503})
        if form["To"] in FakeTwilio.unsubscribed:
            return self._answer(400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient",
                                      "status": 400})
        FakeTwilio.received.append(form)
        sid = f"SM{len(FakeTwilio.received):032d}"
        return self._answer(201, {"sid": sid, "account_sid": ACCOUNT, "to": form["To"], "from": form["From"],
                                  "body": form["Body"], "status": "queued", "num_segments": "2"})

    def _answer(self, status: int, body: dict):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(app, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeTwilio.received, FakeTwilio.unsubscribed, FakeTwilio.outages = [], set(), 0
    for key, value in {"SMS_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN,
                       "TWILIO_FROM": "+13125550000", "TWILIO_API_BASE": f"http://127.0.0.1:{server.server_port}"}.items():
        monkeypatch.setitem(app.config, key, value)
    yield FakeTwilio
    server.shutdown()
    server.server_close()


@pytest.fixture
def text(app, db):
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago")
    registration = factories.make_registration(db.session, event, consent_sms=True)
    body = "Hola María: recordatorio de Hospitality Hires Chicago. ¿No puede venir? https://hireday.test/c/1.x"
    with app.app_context():
        message = outbound.queue_message(db.session, Channel.SMS, registration.candidate.phone, body.encode(),
                                         "reminder_two_days", registration_id=registration.id)
        db.session.commit()
    return message


def test_a_text_goes_out_through_twilio_and_its_sid_is_kept(app, db, twilio, text):
    with app.app_context():
        outbound.deliver(db.session, text.id, utcnow())
    (sent,) = twilio.received
    assert sent["To"] == text.recipient and sent["From"] == "+13125550000"
    assert sent["Body"].startswith("Hola María") and sms.segments(sent["Body"]) == 2
    db.session.refresh(text)
    assert text.status == MessageStatus.SENT and text.provider_id == f"SM{1:032d}"


def test_an_outage_is_retried_and_an_unsubscribed_number_is_not(app, db, twilio, text):
    twilio.outages = 1
    with app.app_context(), pytest.raises(outbound.DeliveryError):
        outbound.deliver(db.session, text.id, utcnow())
    db.session.refresh(text)
    assert text.status == MessageStatus.QUEUED and text.last_error == "Twilio 503 20503"
    with app.app_context():
        outbound.deliver(db.session, text.id, utcnow())  # the retry
    db.session.refresh(text)
    assert text.status == MessageStatus.SENT and text.attempts == 2

    twilio.unsubscribed.add(text.recipient)
    with app.app_context():
        again = outbound.queue_message(db.session, Channel.SMS, text.recipient, b"Hi", "test")
        db.session.commit()
        outbound.deliver(db.session, again.id, utcnow())
    db.session.refresh(again)
    assert (
        again.status == MessageStatus.FAILED
        and again.attempts == 1
        and again.last_error == "Twilio 400 21610"
    )
