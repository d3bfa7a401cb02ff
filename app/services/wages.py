"""Every wage check, in one place: job orders' ranges and offers made at the booth.

A wage means something only with its unit, so each unit has its own ranges: a wage outside what is
*possible* for its unit is refused (``$1,800 an hour``, ``$22 a year``: almost always the wrong
unit or a slipped digit), and one outside what is *usual* is kept only once the person confirms it
(a $9 hourly wage, a $350,000 salary happen, rarely). These wages feed the report's medians, so a
typo there misleads a funder. The unit is never guessed or filled in for anyone: whoever types the
amount chooses it."""

from dataclasses import dataclass
from datetime import date, timedelta

from app.formatting import money
from app.models import WageUnit
from app.services.errors import DomainError


@dataclass(frozen=True)
class WageRange:
    """Bounds in cents for one unit: ``possible`` refuses, ``usual`` asks for a confirmation."""

    possible: tuple[int, int]
    usual: tuple[int, int]
    #: How the unit reads after an amount: "an hour", "a year".
    per: str


WAGE_RANGES: dict[WageUnit, WageRange] = {
    WageUnit.HOUR: WageRange(possible=(1_00, 500_00), usual=(7_25, 150_00), per="an hour"),
    WageUnit.YEAR: WageRange(possible=(2_000_00, 2_000_000_00), usual=(15_000_00, 400_000_00), per="a year"),
}
#: An offer's start date lies between the event's day and this long after it.
START_DATE_HORIZON = timedelta(days=366)


def check_wage(
    cents: int | None, unit: WageUnit | str | None, *, field: str, confirmed: bool = False
) -> None:
    """Refuse a wage impossible for its unit; ask to confirm (``wage_unusual``) one that is unusual."""
    if cents is None or unit is None:
        return
    unit = WageUnit(unit)
    bounds = WAGE_RANGES[unit]
    low, high = bounds.possible
    if not low <= cents <= high:
        other = next(u for u in WAGE_RANGES if u != unit)
        hint = ""
        if WAGE_RANGES[other].possible[0] <= cents <= WAGE_RANGES[other].possible[1]:
            hint = f" Did you mean {money(cents, other)} {WAGE_RANGES[other].per}?"
        raise DomainError(
            "wage_implausible",
            f"{money(cents, unit)} {bounds.per} cannot be right: use {money(low, unit)} to "
            f"{money(high, unit)} {bounds.per}.{hint}",
            field=field,
        )
    low, high = bounds.usual
    if not confirmed and not low <= cents <= high:
        raise DomainError(
            "wage_unusual",
            f"{money(cents, unit)} {bounds.per} is unusual (most are {money(low, unit)} to "
            f"{money(high, unit)}). "
            "Check the amount and the unit, then confirm it below.",
            field=field,
        )


def check_start_date(start: date | None, event_day: date, *, field: str = "start_date") -> None:
    """A start date on or after the event's day, within a year of it."""
    if start is None:
        return
    if start < event_day:
        raise DomainError("start_date_past", "The start date cannot be before the event.", field=field)
    if start > event_day + START_DATE_HORIZON:
        raise DomainError("start_date_far", "Give a start date within a year of the event.", field=field)
