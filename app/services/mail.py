"""Sending e-mail: through SMTP when ``MAIL_SERVER`` is set, otherwise (or when the server
fails) into ``instance/outbox/`` as ``.eml`` files, so no message is ever lost."""

import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from flask import current_app

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
        html_part = message.get_payload()[-1]
        for image in (a for a in mail.attachments if a.content_id):
            maintype, subtype = image.content_type.split("/")
            html_part.add_related(image.data, maintype=maintype, subtype=subtype, cid=f"<{image.content_id}>")
    for attachment in (a for a in mail.attachments if not a.content_id):
        maintype, subtype = attachment.content_type.split("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


def _to_outbox(message: EmailMessage) -> Path:
    outbox = Path(current_app.config["OUTBOX_PATH"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"  # sorts by time
    path.write_bytes(bytes(message))
    return path


def send(mail: Mail) -> None:
    """Send now; on any SMTP failure keep the message in the outbox instead (never raise)."""
    message = _message(mail)
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        _to_outbox(message)
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        path = _to_outbox(message)
        # The log names the file, never the address: e-mail addresses are personal data.
        log.warning("SMTP failed (%s); message kept in %s", type(exc).__name__, path.name)
