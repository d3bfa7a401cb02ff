"""Plain data the demo loader passes between the events it builds."""

from dataclasses import dataclass, field
from datetime import datetime

from app.models import Language, Participation, Position, RegistrationSource, RegistrationStatus


@dataclass
class Person:
    first_name: str
    last_name: str
    email: str
    phone: str
    zip_code: str
    language: Language
    community: str


@dataclass
class Registrant:
    """A registration about to be written, and what the demo knows about the person's day."""

    person: Person
    created_at: datetime
    status: RegistrationStatus = RegistrationStatus.REGISTERED
    source: RegistrationSource = RegistrationSource.ONLINE
    cancelled_at: datetime | None = None
    employment_status: str | None = None
    sectors: list[str] = field(default_factory=list)
    how_heard: str | None = None
    accessibility_needs: str = ""
    consent_email: bool = False
    consent_sms: bool = False
    #: Partnership ids that referred this person.
    partners: list[int] = field(default_factory=list)
    #: When they walked in, for those who came.
    arrived_at: datetime | None = None
    id: int = 0

    @property
    def arrival(self) -> datetime:
        """When they walked in: asked only of those who came."""
        if self.arrived_at is None:
            raise ValueError("this registrant did not come")
        return self.arrived_at


def interview_hours(participation: Participation) -> tuple[datetime, datetime]:
    """A demo booth's interview hours: the loader gives every booth both ends."""
    starts, ends = participation.interview_starts_at, participation.interview_ends_at
    if starts is None or ends is None:
        raise ValueError("a demo booth has interview hours")
    return starts, ends


@dataclass
class Slot:
    starts_at: datetime
    ends_at: datetime
    is_blocked: bool
    capacity: int
    #: Seats already booked (seat numbers are 1..capacity).
    seats_taken: int = 0
    id: int = 0


@dataclass
class Booth:
    """An employer at the event with its positions and, once added, its slots."""

    participation: Participation
    positions: list[Position]
    slots: list[Slot] = field(default_factory=list)


@dataclass
class ResponseData:
    registration_id: int | None
    participation_id: int | None
    language: Language
    submitted_at: datetime
    #: Question key → a number (scale, recommend), a list of choice values, or a text.
    answers: dict[str, int | list[str] | str]
