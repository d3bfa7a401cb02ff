"""The e-mails a career seeker gets about their registration, in their own language."""

import enum
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session, object_session

from app.models import Registration, utcnow
from app.services import badges
from app.services import registration as registrations
from app.services.calendar import event_ics
from app.services.mail import Attachment, Mail, inline_image_id, queue
from app.urls import badge_url, public_url


class Notice(enum.StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    #: A place opened and the person now has one.
    PROMOTED = "promoted"
    #: They tried to register again: here is their link.
    LINK = "link"
    CANCELLED = "cancelled"


def _subject(notice: Notice, event_name: str) -> str:
    return {
        Notice.REGISTERED: _("You're registered: %(event)s", event=event_name),
        Notice.WAITLISTED: _("You're on the waitlist: %(event)s", event=event_name),
        Notice.PROMOTED: _("A place opened for you: %(event)s", event=event_name),
        Notice.LINK: _("Your registration link: %(event)s", event=event_name),
        Notice.CANCELLED: _("Registration cancelled: %(event)s", event=event_name),
    }[notice]


def send_notice(registration: Registration, notice: Notice, manage_token: str | None) -> bool:
    """E-mail ``notice`` to the person, with their badge and the event's calendar file where they
    have a place: queued in the registration's transaction, sent by the worker once it commits.
    Without ``manage_token`` (a cancellation from a reminder's "I can't come" link, which does not
    carry it) the e-mail links to the event's page instead. Returns False when there is no address
    to send to."""
    candidate = registration.candidate
    if not candidate.email:
        return False
    event = registration.event
    manage_link = public_url(f"/r/{manage_token}") if manage_token else public_url(f"/events/{event.slug}/")
    has_place = notice in (Notice.REGISTERED, Notice.PROMOTED, Notice.LINK) and registration.status.value == "registered"
    attachments, qr_id = [], None
    if has_place:
        qr_id = inline_image_id()
        attachments = [
            Attachment("badge-qr.png", "image/png", badges.qr_png(badge_url(registration.badge_code)), qr_id),
            Attachment(f"{event.slug}.ics", "text/calendar", event_ics(event, manage_link, utcnow())),
        ]
    with force_locale(registration.language.value):
        context = {
            "notice": notice.value, "registration": registration, "candidate": candidate, "event": event,
            "manage_link": manage_link, "badge_pdf_link": manage_link + "/badge.pdf", "qr_id": qr_id,
            "has_place": has_place, "has_link": manage_token is not None,
        }
        mail = Mail(
            to=candidate.email,
            subject=_subject(notice, event.name),
            text=render_template("registration/email/notice.txt", **context),
            html=render_template("registration/email/notice.html", **context),
            attachments=attachments,
        )
    queue(object_session(registration), mail, notice.value, registration_id=registration.id)
    return True


def cancel_and_notify(session: Session, registration: Registration, manage_token: str | None, now: datetime) -> list[Registration]:
    """The one way a person's cancellation is carried out (their page, the "I can't come" page):
    cancel, free the place, promote the waitlist, withdraw the reminders not yet sent, and queue
    the notices: the person's own, and a "place opened" to each promoted person, by e-mail and by
    text where they agreed to texts, with a fresh link (the stored links are hashes).
    Returns the promoted registrations."""
    from app.services import reminders

    promoted = registrations.cancel(session, registration, now)
    reminders.withdraw(session, registration)
    for person in promoted:
        link = registrations.new_manage_token(person)
        send_notice(person, Notice.PROMOTED, link)
        reminders.text_promoted(session, person, link, now)
    send_notice(registration, Notice.CANCELLED, manage_token)
    return promoted
