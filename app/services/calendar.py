"""A person's calendar entry for their event (RFC 5545, built with icalendar): the file their
confirmation, reminders and change notices carry, and their page offers for download.

The entry's UID stays the same for the person's registration, whichever e-mail or download it
comes from; its SEQUENCE rises with every change to what the entry says: the event's day, time or
place (``Event.ics_sequence``) and the person's own cancelling or registering again
(``Registration.calendar_changes``). A calendar keeps the entry with the highest SEQUENCE, so an
updated file moves it, a cancelled one (STATUS:CANCELLED) drops it, and an older e-mail opened
late changes nothing."""

from datetime import datetime

from icalendar import Calendar, Event as CalendarEvent

from app.models import Registration, RegistrationStatus


def entry_uid(registration: Registration) -> str:
    return f"registration-{registration.id}@hireday"


def entry_sequence(registration: Registration) -> int:
    return registration.event.ics_sequence + registration.calendar_changes


def entry_changed(registration: Registration) -> None:
    """The person's own entry changed (they cancelled, or registered again after cancelling): the
    next file they get must outrank every earlier one."""
    registration.calendar_changes += 1


def person_ics(registration: Registration, url: str, now: datetime, description: str = "") -> bytes:
    """The person's entry: one VEVENT at the event's time and place, cancelled if they cancelled;
    ``url`` is where they manage their visit."""
    event = registration.event
    calendar = Calendar()
    calendar.add("prodid", "-//HireDay//Hiring events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", entry_uid(registration))
    entry.add("dtstamp", now)
    entry.add("sequence", entry_sequence(registration))
    entry.add("status", "CANCELLED" if registration.status == RegistrationStatus.CANCELLED else "CONFIRMED")
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.name)
    entry.add("location", f"{event.venue}, {event.address}")
    entry.add("description", (description + "\n\n" + url).strip())
    entry.add("url", url)
    calendar.add_component(entry)
    return calendar.to_ical()
