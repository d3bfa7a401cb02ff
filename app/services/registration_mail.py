"""The e-mails a career seeker gets about their registration, in their own language."""

import enum
from datetime import datetime

from flask import render_template
from flask_babel import force_locale, gettext as _

from app.database import Session, session_of
from app.models import Registration, RegistrationStatus, utcnow
from app.services import badges, registration as registrations
from app.services.calendar import entry_changed, person_ics
from app.services.mail import Attachment, Mail, inline_image_id, queue
from app.urls import badge_url, public_url


class Notice(enum.StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    #: A place opened and the person now has one.
    PROMOTED = "promoted"
    #: They tried to register again: here is an additional link.
    LINK = "link"
    CANCELLED = "cancelled"
    #: The event moved (day, time or place): new details and an updated calendar entry.
    EVENT_CHANGED = "event_changed"


#: The notices that carry the badge and the calendar file, when the person holds a place.
_WITH_BADGE = (Notice.REGISTERED, Notice.PROMOTED, Notice.LINK, Notice.EVENT_CHANGED)


def notice_for(outcome: registrations.RegistrationOutcome) -> Notice:
    """What a person who just registered (or tried again) is told."""
    if not outcome.created:
        return Notice.LINK
    return Notice.WAITLISTED if outcome.waitlisted else Notice.REGISTERED


def _subject(notice: Notice, event_name: str) -> str:
    return {
        Notice.REGISTERED: _("You're registered: %(event)s", event=event_name),
        Notice.WAITLISTED: _("You're on the waitlist: %(event)s", event=event_name),
        Notice.PROMOTED: _("A place opened for you: %(event)s", event=event_name),
        Notice.LINK: _("Your registration link: %(event)s", event=event_name),
        Notice.CANCELLED: _("Registration cancelled: %(event)s", event=event_name),
        Notice.EVENT_CHANGED: _("Changed: %(event)s", event=event_name),
    }[notice]


def calendar_attachment(registration: Registration, url: str) -> Attachment:
    """The person's calendar entry as it stands (``services.calendar``), to attach to an e-mail."""
    return Attachment(
        f"{registration.event.slug}.ics", "text/calendar", person_ics(registration, url, utcnow())
    )


def send_notice(registration: Registration, notice: Notice, manage_token: str | None, *,
                once_key: str | None = None) -> bool:
    """E-mail ``notice`` to the person in their language, with their badge, check-in number and the
    event's calendar file where they hold a place (a waitlisted person gets no badge): queued in the
    registration's transaction, sent by the worker once it commits. Without ``manage_token`` (a
    cancellation ends every link; the "I can't come" page carries none) the e-mail points to the
    event's page. With ``once_key`` it is queued at most once under that key. Returns False when
    there is no address to send to."""
    candidate = registration.candidate
    if not candidate.email:
        return False
    event = registration.event
    manage_link = public_url(f"/r/{manage_token}") if manage_token else None
    event_link = public_url(f"/events/{event.slug}/")
    has_place = notice in _WITH_BADGE and registration.status == RegistrationStatus.REGISTERED
    attachments, qr_id = [], None
    if has_place:
        qr_id = inline_image_id()
        attachments = [
            Attachment("badge-qr.png", "image/png", badges.qr_png(badge_url(registration.badge_code)), qr_id),
            calendar_attachment(registration, manage_link or event_link),
        ]
    elif notice == Notice.CANCELLED:
        attachments = [calendar_attachment(registration, event_link)]  # their calendar drops the entry
    with force_locale(registration.language.value):
        context = {
            "notice": notice.value, "registration": registration, "candidate": candidate, "event": event,
            "manage_link": manage_link, "event_link": event_link,
            "badge_pdf_link": (manage_link or "") + "/badge.pdf", "qr_id": qr_id, "has_place": has_place,
        }
        mail = Mail(
            to=candidate.email,
            subject=_subject(notice, event.name),
            text=render_template("registration/email/notice.txt", **context),
            html=render_template("registration/email/notice.html", **context),
            attachments=attachments,
        )
    queue(session_of(registration), mail, notice.value, registration_id=registration.id, once_key=once_key)
    return True


def send_promotions(session: Session, promoted: list[tuple[Registration, str]], now: datetime) -> None:
    """Tell each person given a place from the waitlist, by e-mail and by text where they agreed
    to texts, with the new link made for them (the stored links are hashes)."""
    from app.services import reminders

    for registration, manage_token in promoted:
        send_notice(registration, Notice.PROMOTED, manage_token)
        reminders.text_promoted(session, registration, manage_token, now)


def cancel_and_notify(session: Session, registration: Registration, now: datetime) -> list[Registration]:
    """The one way a person's cancellation is carried out (their page, the "I can't come" page):
    cancel (which ends every link of theirs), free the place, promote the waitlist, withdraw the
    reminders not yet sent, and queue the notices: the person's own, pointing to the event's page,
    and a "place opened" to each promoted person. Returns the promoted registrations."""
    from app.services import reminders

    promoted = registrations.cancel(session, registration, now)
    entry_changed(registration)
    reminders.withdraw(session, registration)
    send_promotions(session, promoted, now)
    send_notice(registration, Notice.CANCELLED, None)
    return [person for person, _link in promoted]
