"""The e-mail a career seeker gets when their interview bookings change, with a calendar file of
every interview they hold (in their own language)."""

from datetime import datetime

from flask import render_template
from flask_babel import force_locale, gettext as _
from icalendar import Calendar, Event as CalendarEvent

from app.database import session_of
from app.models import Booking, Registration, utcnow
from app.services.mail import Attachment, Mail, queue
from app.urls import public_url


def interviews_ics(registration: Registration, bookings: list[Booking], cancelled: list[Booking], url: str,
                   now: datetime) -> bytes:
    """One VEVENT per booked interview; a cancelled one goes out with STATUS:CANCELLED under the
    same UID, so calendars that imported it drop it."""
    calendar = Calendar()
    calendar.add("prodid", "-//HireDay//Hiring events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = registration.event
    for booking, status in [*((b, "CONFIRMED") for b in bookings), *((b, "CANCELLED") for b in cancelled)]:
        slot = booking.slot
        employer = slot.participation.organization.name
        entry = CalendarEvent()
        entry.add("uid", f"booking-{booking.id}@hireday")
        entry.add("dtstamp", now)
        entry.add("dtstart", slot.starts_at)
        entry.add("dtend", slot.ends_at)
        entry.add("summary", f"{employer} · {event.name}")
        table = slot.participation.table_number
        with force_locale(registration.language.value):  # the person's language, wherever it is downloaded
            at_table = f", {_('table %(n)s', n=table)}" if table else ""
        entry.add("location", f"{event.venue}{at_table}, {event.address}")
        entry.add("description", url)
        entry.add("status", status)
        entry.add("sequence", 1 if status == "CANCELLED" else 0)
        calendar.add_component(entry)
    return calendar.to_ical()


def send_bookings_update(
    registration: Registration,
    bookings: list[Booking],
    manage_token: str,
    *,
    cancelled: list[Booking] | None = None,
) -> bool:
    """E-mail the person their interviews as they stand now (queued: the caller commits). False
    when there is no address."""
    candidate = registration.candidate
    if not candidate.email:
        return False
    event = registration.event
    manage_link = public_url(f"/r/{manage_token}")
    cancelled = cancelled or []
    with force_locale(registration.language.value):
        context = {"registration": registration, "candidate": candidate, "event": event, "bookings": bookings,
                   "cancelled": cancelled, "manage_link": manage_link}
        mail = Mail(
            to=candidate.email,
            subject=_("Your interviews: %(event)s", event=event.name),
            text=render_template("interviews/email/bookings.txt", **context),
            html=render_template("interviews/email/bookings.html", **context),
            attachments=[
                Attachment(
                    "interviews.ics",
                    "text/calendar",
                    interviews_ics(registration, bookings, cancelled, manage_link, utcnow()),
                )
            ],
        )
    queue(session_of(registration), mail, "bookings", registration_id=registration.id)
    return True
