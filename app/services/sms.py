"""Text messages: composed to fit two segments, queued like e-mail (``app.services.outbound``),
held through the quiet hours, and sent by the worker through the configured provider: Twilio's
SDK (``SMS_PROVIDER=twilio``) or, by default, a file outbox in ``instance/sms-outbox/``.

A segment holds 160 GSM-7 characters (153 when a message has several), but one character outside
GSM-7 (á, í, ó, ú, emoji …) makes the whole message UCS-2: 70 characters (67 each when several).
Spanish with accents is the usual case, so every message is measured before it is queued."""

import logging
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update

from app.database import Session
from app.models import Candidate, Channel, MessageStatus, OutboundMessage, Registration
from app.services import outbound
from app.services.contact import normalize_phone
from app.services.errors import DomainError

log = logging.getLogger(__name__)

MAX_SEGMENTS = 2
#: GSM 03.38: the basic set (one septet each) and the extension table (two: escape + char).
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")
#: Words that stop or pause texts (CTIA and Twilio's list), and that ask for help, in both languages.
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE", "ALTO", "PARAR"}
HELP_WORDS = {"HELP", "INFO", "AYUDA"}
START_WORDS = {"START", "UNSTOP", "YES"}


def is_gsm7(text: str) -> bool:
    return all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text)


def segments(text: str) -> int:
    """How many SMS segments ``text`` takes."""
    if is_gsm7(text):
        length = sum(2 if c in _GSM_EXTENDED else 1 for c in text)
        single, each = 160, 153
    else:
        length = sum(2 if ord(c) > 0xFFFF else 1 for c in text)  # UTF-16 code units
        single, each = 70, 67
    return 1 if length <= single else -(-length // each)


def fit(parts: list[str], shrinkable: int, optional: tuple[int, ...] = ()) -> str:
    """Join ``parts`` with spaces in at most ``MAX_SEGMENTS`` segments: first cut
    ``parts[shrinkable]`` (an event's name) with an ellipsis, down to nothing; then leave out the
    ``optional`` parts, in that order. The last part (the link) is always kept."""
    parts = list(parts)
    original = parts[shrinkable]
    for keep in range(len(original), -1, -1):
        parts[shrinkable] = (
            original if keep == len(original) else (original[:keep].rstrip() + "…" if keep else "")
        )
        text = " ".join(p for p in parts if p)
        if segments(text) <= MAX_SEGMENTS:
            return text
    for index in optional:
        parts[index] = ""
        text = " ".join(p for p in parts if p)
        if segments(text) <= MAX_SEGMENTS:
            return text
    return " ".join(p for p in (parts[0], parts[-1]) if p)


# --- Quiet hours -----------------------------------------------------------------------------------


def quiet_hours() -> tuple[int, int]:
    """(start hour, end hour) from ``SMS_QUIET_HOURS`` ("21-8": from 21:00 to 8:00)."""
    start, _, end = current_app.config["SMS_QUIET_HOURS"].partition("-")
    return int(start), int(end)


def quiet_until(now: datetime, timezone: str) -> datetime | None:
    """When the quiet hours around ``now`` end (in UTC), or None when it is not quiet now."""
    start, end = quiet_hours()
    if start == end:
        return None
    local = now.astimezone(ZoneInfo(timezone))
    hour = local.hour
    quiet = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not quiet:
        return None
    day = local.date() if hour < end else local.date() + timedelta(days=1)
    return datetime.combine(day, time(end), ZoneInfo(timezone)).astimezone(UTC)


# --- Queuing ---------------------------------------------------------------------------------------


def can_text(registration: Registration) -> bool:
    """The person agreed to texts for this registration and has a phone number."""
    return registration.consent_sms and bool(registration.candidate.phone)


def queue_text(session: Session, registration: Registration, text: str, purpose: str, now: datetime, *,
               once_key: str | None = None) -> OutboundMessage | None:
    """Queue ``text`` to the person, if they agreed to texts; outside the quiet hours of the event's
    time zone (a text written at night waits for the morning)."""
    phone = registration.candidate.phone
    if not can_text(registration) or phone is None:
        return None
    if segments(text) > MAX_SEGMENTS:
        raise ValueError(f"a {purpose} text takes {segments(text)} segments; compose it with sms.fit")
    return outbound.queue_message(session, Channel.SMS, phone, text.encode(), purpose,
                                  registration_id=registration.id, once_key=once_key,
                                  send_after=quiet_until(now, registration.event.timezone))


# --- Sending (the worker) --------------------------------------------------------------------------


def deliver_sms(to: str, text: str) -> str | None:
    """Send one text through the configured provider; returns the provider's message id."""
    config = current_app.config
    if config["SMS_PROVIDER"] == "twilio":
        return _twilio(to, text)
    outbox = Path(config["SMS_OUTBOX_PATH"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.txt"
    path.write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
    return path.name


def twilio_client():
    from twilio.rest import Client

    config = current_app.config
    client = Client(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"])
    if config.get("TWILIO_API_BASE"):
        client.api.base_url = config["TWILIO_API_BASE"].rstrip("/")
    return client


def _twilio(to: str, text: str) -> str:
    from twilio.base.exceptions import TwilioRestException

    try:
        message = twilio_client().messages.create(to=to, from_=current_app.config["TWILIO_FROM"], body=text)
    except TwilioRestException as error:
        # 21610: the number texted STOP; 21211/21614: not a number that can get texts. Retrying
        # cannot help those; a 429 or a 5xx can.
        permanent = error.code in (21610, 21211, 21614) or (
            400 <= (error.status or 0) < 500 and error.status != 429
        )
        raise outbound.DeliveryError(f"Twilio {error.status} {error.code}", permanent=permanent) from error
    return message.sid


# --- Replies (STOP / HELP) -------------------------------------------------------------------------


def handle_reply(session: Session, phone: str, body: str) -> str | None:
    """A text a person sent us. STOP (or ALTO …) ends every text to that number: consent is
    withdrawn on each of their registrations and texts not yet sent are withdrawn. START gives
    nothing back by itself (consent is given again on their registration page). Returns the
    keyword understood: ``stop``, ``help`` or None."""
    word = body.strip().split()[0].upper().strip(".!¡") if body.strip() else ""
    try:
        number = normalize_phone(phone)
    except DomainError:
        number = None
    if word in STOP_WORDS:
        if number:
            people = select(Candidate.id).where(Candidate.phone == number)
            session.execute(update(Registration).where(Registration.candidate_id.in_(people))
                            .values(consent_sms=False))
            session.execute(update(OutboundMessage).where(
                OutboundMessage.channel == Channel.SMS, OutboundMessage.recipient == number,
                OutboundMessage.status == MessageStatus.QUEUED,
            ).values(status=MessageStatus.WITHDRAWN))
        return "stop"
    if word in HELP_WORDS:
        return "help"
    return None
