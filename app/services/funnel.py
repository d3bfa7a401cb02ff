"""The funnel: registered → checked in → interviewed → offered → hired, computed once for every
page, export and report (the dashboard, the report PDF, the partner page, the CSV footers).

Each stage counts **people**, and a person at a later stage has passed the earlier ones: someone
interviewed at a booth was there (the booth checks in whom it interviews), someone hired was
offered the job. So a stage never holds more people than the one before it, whatever the records
say. Beside the people, the funnel keeps **counts** of interviews, offers and hires (one person can
have several): those are labelled as counts wherever they are shown.

What makes an interview "held", an "offer" or a "hire" is the outcome's kind on the model
(``app.models.interview.Outcome``, one row per kind), never a list kept here."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from app.database import Session
from app.models import Event, Interview, Participation, Registration, RegistrationStatus


class Stage(Protocol):
    """What the funnel reads of an interview (an ``Interview`` has all of it)."""

    registration_id: int

    @property
    def held(self) -> bool: ...

    @property
    def offered(self) -> bool: ...

    @property
    def hired(self) -> bool: ...


#: The stages in order, with how pages name them (people) and how their counts are named.
STAGES: tuple[tuple[str, str], ...] = (
    ("registered", "Registered"),
    ("checked_in", "Checked in"),
    ("interviewed", "Interviewed"),
    ("offered", "Offered a job"),
    ("hired", "Hired"),
)


@dataclass(frozen=True)
class Funnel:
    """People at each stage, and the counts of interviews, offers and hires behind them."""

    registered: frozenset[int]
    checked_in: frozenset[int]
    interviewed: frozenset[int]
    offered: frozenset[int]
    hired: frozenset[int]
    #: Interviews that took place (a person may have several).
    interviews: int
    #: Offers made (an interview that ended in an offer, at the booth or later).
    offers: int
    #: Hires confirmed (an offer that became a job).
    hires: int

    def people(self, stage: str) -> int:
        return len(getattr(self, stage))

    @property
    def stages(self) -> list[tuple[str, int]]:
        """``(label, people)`` for each stage, in order: what the funnel chart and tiles show."""
        return [(label, self.people(name)) for name, label in STAGES]


def funnel(
    registrations: Iterable[tuple[int, RegistrationStatus]],
    checked_in: Iterable[int],
    interviews: Iterable[Stage],
) -> Funnel:
    """The funnel of these people: ``registrations`` as ``(id, status)``, the ids among them the
    check-in log counts as arrived, and their interviews. Anything about someone not among
    ``registrations`` is left out, so a partner's funnel is its own people's."""
    statuses = dict(registrations)
    interviews = [i for i in interviews if i.registration_id in statuses]
    hired = frozenset(i.registration_id for i in interviews if i.hired)
    offered = hired | {i.registration_id for i in interviews if i.offered}
    interviewed = offered | {i.registration_id for i in interviews if i.held}
    arrived = interviewed | {rid for rid in checked_in if rid in statuses}
    registered = arrived | {rid for rid, status in statuses.items() if status != RegistrationStatus.CANCELLED}
    return Funnel(
        registered=frozenset(registered),
        checked_in=frozenset(arrived),
        interviewed=frozenset(interviewed),
        offered=frozenset(offered),
        hired=hired,
        interviews=sum(1 for i in interviews if i.held),
        offers=sum(1 for i in interviews if i.offered),
        hires=sum(1 for i in interviews if i.hired),
    )


def for_event(session: Session, event: Event) -> "Funnel":
    """``event``'s funnel, from its registrations, its door log and its interviews: what the show
    rate and the post-event survey mean by "attended" (``checked_in``)."""
    from app.services import checkin

    registrations = session.execute(
        select(Registration.id, Registration.status).where(Registration.event_id == event.id)
    ).all()
    interviews = session.scalars(
        select(Interview).join(Interview.participation).where(Participation.event_id == event.id)
    ).all()
    return funnel(registrations, checkin.first_entries_for_event(session, event.id), interviews)
