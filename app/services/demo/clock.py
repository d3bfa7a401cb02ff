"""Demo times: Chicago wall-clock times and intervals between them."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CHICAGO = ZoneInfo("America/Chicago")


def chicago_time(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Chicago on ``day``, as UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=CHICAGO).astimezone(UTC)


def between(rng: random.Random, start: datetime, end: datetime, skew: float = 1.0) -> datetime:
    """A time in [start, end], whole seconds; ``skew`` < 1 leans towards the end."""
    if end <= start:
        return start
    offset = (end - start).total_seconds() * rng.random() ** skew
    return start + timedelta(seconds=int(offset))


def as_minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def season(day: date) -> str:
    return ("winter", "spring", "summer", "fall")[(day.month % 12) // 3]


def first_gap(start: datetime, length: timedelta, busy: list[tuple[datetime, datetime]]) -> datetime:
    """The earliest time at or after ``start`` when ``length`` fits between the busy intervals."""
    for busy_start, busy_end in sorted(busy):
        if start + length <= busy_start:
            break
        if start < busy_end:
            start = busy_end
    return start


def overlaps(start: datetime, end: datetime, busy: list[tuple[datetime, datetime]]) -> bool:
    return any(start < b_end and b_start < end for b_start, b_end in busy)
