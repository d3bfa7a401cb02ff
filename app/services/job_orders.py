"""Job orders: the positions an employer brings to an event, with openings and wages."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from app.database import Session
from app.models import EmploymentType, Interview, Participation, Position, Sector, User, WageUnit
from app.services import audit, wages
from app.services.errors import DomainError
from app.services.events import refuse_if_archived

MAX_OPENINGS = 10_000


@dataclass(frozen=True)
class PositionDetails:
    """A job order; wages are whole cents (``dollars_to_cents`` turns a typed amount into cents)."""

    title: str
    openings: int = 1
    wage_min_cents: int | None = None
    wage_max_cents: int | None = None
    wage_unit: WageUnit | str | None = None
    employment_type: EmploymentType | str = EmploymentType.FULL_TIME
    sector: Sector | str | None = None
    requirements: str = ""
    #: Shown on Spanish pages; empty: they show ``title``, marked as English.
    title_es: str = ""


    #: Staff confirmed a wage outside the usual range for its unit (``services.wages``).
    wage_confirmed: bool = False


def dollars_to_cents(amount: Decimal | str | int | float | None) -> int | None:
    """``17.5`` → ``1750``, rounded to the cent; None stays None."""
    if amount is None or amount == "":
        return None
    try:
        return int((Decimal(str(amount)) * 100).quantize(Decimal(1)))
    except InvalidOperation as exc:
        raise DomainError("invalid_amount", "Enter an amount in dollars, e.g. 18.50.") from exc


def _position_values(details: PositionDetails) -> dict:
    title = " ".join(details.title.split())
    if not title:
        raise DomainError("title_required", "Give the job a title.", field="title")
    if len(title) > 200:
        raise DomainError("title_too_long", "Use at most 200 characters.", field="title")
    title_es = " ".join(details.title_es.split())
    if len(title_es) > 200:
        raise DomainError("title_too_long", "Use at most 200 characters.", field="title_es")
    if not 1 <= details.openings <= MAX_OPENINGS:
        raise DomainError("openings_range", f"Use 1 to {MAX_OPENINGS:,} openings.", field="openings")
    low, high = details.wage_min_cents, details.wage_max_cents
    if low is not None and low < 0:
        raise DomainError("wage_negative", "A wage cannot be negative.", field="wage_min")
    if high is not None and high < 0:
        raise DomainError("wage_negative", "A wage cannot be negative.", field="wage_max")
    if low is not None and high is not None and high < low:
        raise DomainError(
            "wage_range_order", "The highest wage must be at least the lowest.", field="wage_max"
        )
    unit = WageUnit(details.wage_unit) if details.wage_unit else None
    if (low is not None or high is not None) and unit is None:
        raise DomainError(
            "wage_unit_required", "Say whether the wage is per hour or per year.", field="wage_unit"
        )
    wages.check_wage(low, unit, field="wage_min", confirmed=details.wage_confirmed)
    wages.check_wage(high, unit, field="wage_max", confirmed=details.wage_confirmed)
    return {
        "title": title,
        "title_es": title_es,
        "openings": details.openings,
        "wage_min_cents": low,
        "wage_max_cents": high,
        "wage_unit": unit if (low is not None or high is not None) else None,
        "employment_type": EmploymentType(details.employment_type),
        "sector": Sector(details.sector) if details.sector else None,
        "requirements": details.requirements.strip(),
    }


def add_position(
    session: Session, participation: Participation, details: PositionDetails, *, actor: User | None = None
) -> Position:
    refuse_if_archived(participation.event)
    position = Position(participation=participation, **_position_values(details))
    session.add(position)
    session.flush()
    audit.record(session, "position.create", actor_user=actor, obj=position, event_id=participation.event_id)
    return position


def update_position(
    session: Session, position: Position, details: PositionDetails, *, actor: User | None = None
) -> Position:
    refuse_if_archived(position.participation.event)
    for key, value in _position_values(details).items():
        setattr(position, key, value)
    session.flush()
    audit.record(
        session, "position.update", actor_user=actor, obj=position, event_id=position.participation.event_id
    )
    return position


def position_warnings(position: Position) -> list[str]:
    """What staff should hear about a job order they just saved (it is saved all the same)."""
    title = position.title.casefold()
    twins = [p for p in position.participation.positions if p is not position and p.title.casefold() == title]
    if not twins:
        return []
    return [
        f"{position.participation.organization.name} already has a job order called “{position.title}” at "
        "this "
        "event. Career seekers will see the title twice; if it is the same job, remove one, or make the "
        "titles "
        "say how the jobs differ (shift, location)."
    ]


def remove_position(session: Session, position: Position, *, actor: User | None = None) -> None:
    """Delete a job order; refused once an interview or offer names it."""
    participation = position.participation
    refuse_if_archived(participation.event)
    if session.scalar(select(func.count()).where(Interview.position_id == position.id)):
        raise DomainError(
            "has_interviews", f"{position.title} cannot be removed: interviews or offers are recorded for it."
        )
    position_id, event_id = position.id, participation.event_id
    participation.positions.remove(position)
    session.flush()
    audit.record(session, "position.delete", actor_user=actor, event_id=event_id, position_id=position_id)
