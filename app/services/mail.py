"""E-mail: rendered in the request, queued in the database (``queue``), and sent by the job worker
(``deliver_email``) through SMTP when ``MAIL_SERVER`` is set, otherwise into ``instance/outbox/``
as ``.eml`` files. A server that fails is retried; see ``app.services.outbound``."""

import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import cast

from flask import current_app

from app.database import Session
from app.models import Channel, OutboundMessage
from app.services import outbound

log = logging.getLogger(__name__)


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes
    #: Set for an image shown inside the HTML body (``<img src="cid:…">``).
    content_id: str | None = None


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


def inline_image_id() -> str:
    """A Content-ID for an image the HTML refers to as ``cid:<id>``."""
    return make_msgid(domain="hireday")[1:-1]


def _message(mail: Mail) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = formataddr((config["BOARD_NAME"], config["MAIL_FROM"]))
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain="hireday")
    message.set_content(mail.text)
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html")
        html_part = cast(list[EmailMessage], message.get_payload())[-1]
        for image in (a for a in mail.attachments if a.content_id):
            maintype, subtype = image.content_type.split("/")
            html_part.add_related(image.data, maintype=maintype, subtype=subtype, cid=f"<{image.content_id}>")
    for attachment in (a for a in mail.attachments if not a.content_id):
        maintype, subtype = attachment.content_type.split("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def _to_outbox(message: EmailMessage) -> Path:
    outbox = Path(current_app.config["OUTBOX_PATH"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"  # sorts by time
    path.write_bytes(bytes(message))
    return path


def queue(session: Session, mail: Mail, purpose: str, *, registration_id: int | None = None,
          once_key: str | None = None) -> OutboundMessage | None:
    """Write ``mail`` to the outgoing messages, to be sent by the job worker once the caller's
    transaction commits (nobody waits for the mail server)."""
    return outbound.queue_message(session, Channel.EMAIL, mail.to, bytes(_message(mail)), purpose,
                                  registration_id=registration_id, once_key=once_key)


def deliver_email(body: bytes) -> None:
    """The worker's half: hand a queued e-mail to the SMTP server, or with none configured write it
    to the outbox. Raises ``DeliveryError`` (retried) when the server fails, permanently when it
    refuses the address."""
    message = BytesParser(policy=policy.default).parsebytes(body)
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        _to_outbox(message)
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted({code for code, _ in exc.recipients.values()})
        raise outbound.DeliveryError(
            f"SMTP recipient refused {codes}", permanent=all(c >= 500 for c in codes)
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise outbound.DeliveryError(f"SMTP {exc.smtp_code}", permanent=False) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise outbound.DeliveryError(type(exc).__name__) from exc
