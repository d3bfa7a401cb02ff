"""The "add to calendar" file for an event (RFC 5545, built with icalendar)."""

from datetime import datetime

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from app.models import Event


def event_ics(event: Event, url: str, now: datetime, description: str = "") -> bytes:
    """One VEVENT at the event's time and place; ``url`` is where the person manages their visit.
    The UID stays the same for the event and the SEQUENCE grows with each change registrants are
    told about, so an updated file replaces the earlier entry."""
    calendar = Calendar()
    calendar.add("prodid", "-//HireDay//Hiring events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}-{event.slug}@hireday")
    entry.add("dtstamp", now)
    entry.add("sequence", event.ics_sequence)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.name)
    entry.add("location", f"{event.venue}, {event.address}")
    entry.add("description", (description + "\n\n" + url).strip())
    entry.add("url", url)
    calendar.add_component(entry)
    return calendar.to_ical()
