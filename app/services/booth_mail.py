"""The e-mail that brings an employer's contact their booth link, so staff need not copy and
paste 60 links into 60 messages."""

from datetime import datetime

from flask import render_template

from app.database import session_of
from app.models import Participation
from app.services.mail import Mail, queue


def send_booth_link(participation: Participation, url: str, works_until: datetime) -> bool:
    """E-mail the booth link to the employer's contact (queued: the caller commits, the job worker
    sends it); False when the employer has no contact e-mail (staff copy that one by hand)."""
    organization = participation.organization
    if not organization.contact_email:
        return False
    event = participation.event
    context = {"participation": participation, "organization": organization, "event": event, "url": url,
               "works_until": works_until}
    queue(session_of(participation), Mail(
        to=organization.contact_email,
        subject=f"Your booth link for {event.name}",
        text=render_template("events/email/booth_link.txt", **context),
    ), "booth_link")
    return True
