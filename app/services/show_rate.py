"""The show rate: of the people holding a place, how many came, by the reminders they could get
and by how long before the event they registered, so a board can see what brings people in.
Walk-ins (registered at the door, so all present) and the waitlist are left out. "Came" is the
funnel's checked-in stage (``funnel.for_event``), as on every other page."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.database import Session
from app.models import Candidate, Event, Registration, RegistrationSource, RegistrationStatus
from app.services import funnel


@dataclass(frozen=True)
class ShowRow:
    label: str
    registered: int
    attended: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.registered) if self.registered else None


@dataclass(frozen=True)
class ShowRate:
    by_channel: list[ShowRow]
    by_lead_time: list[ShowRow]


#: Reminder channels a person could get, by what they gave and agreed to (first that fits).
CHANNELS = (
    ("E-mail and text reminders", lambda email, text: email and text),
    ("E-mail reminders only", lambda email, text: email and not text),
    ("Text reminders only", lambda email, text: text and not email),
    ("No reminders (no e-mail, no texts)", lambda email, text: True),
)
#: How long before the event's start people registered (at least this many days, first that fits).
LEAD_TIMES = (("14 days or more before", 14), ("3 to 13 days before", 3), ("0 to 2 days before", 0))


def for_event(session: Session, event: Event) -> ShowRate:
    came = funnel.for_event(session, event).checked_in
    rows = session.execute(
        select(Registration.id, Registration.created_at, Registration.consent_sms,
               Candidate.email.is_not(None), Candidate.phone.is_not(None))
        .join(Registration.candidate)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED,
               Registration.source != RegistrationSource.WALK_IN)
    ).all()
    channel_counts = {label: [0, 0] for label, _ in CHANNELS}
    lead_counts = {label: [0, 0] for label, _ in LEAD_TIMES}
    for registration_id, created_at, consent_sms, has_email, has_phone in rows:
        channel = next(label for label, fits in CHANNELS if fits(has_email, consent_sms and has_phone))
        ahead = event.starts_at - created_at
        lead = next((label for label, days in LEAD_TIMES if ahead >= timedelta(days=days)), LEAD_TIMES[-1][0])
        for counts in (channel_counts[channel], lead_counts[lead]):
            counts[0] += 1
            counts[1] += registration_id in came
    return ShowRate(
        [ShowRow(label, *channel_counts[label]) for label, _ in CHANNELS],
        [ShowRow(label, *lead_counts[label]) for label, _ in LEAD_TIMES],
    )
