"""An event's clock: staff type local wall-clock times in the event's own time zone; they are
stored in UTC and moved by whole days keeping their wall-clock time."""

from datetime import UTC, date, datetime, time, timedelta
from typing import overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.models import Event
from app.services.errors import DomainError


def zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name``, or a ``DomainError`` on the time zone field."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise DomainError("invalid_timezone", "Pick a time zone from the list.", field="timezone") from exc


def local_to_utc(day: date, at: time, timezone: str) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``timezone``."""
    return datetime.combine(day, at, tzinfo=zone(timezone)).astimezone(UTC)


def event_day(event: Event) -> date:
    """The event's date where it happens."""
    return event.starts_at.astimezone(ZoneInfo(event.timezone)).date()


def local_wall_time(value: datetime, timezone: str) -> time:
    """``value`` as the wall-clock time it was in ``timezone`` (no zone attached), as staff typed it."""
    return value.astimezone(ZoneInfo(timezone)).time().replace(tzinfo=None)


@overload
def move_by_days(value: datetime, days: int, old_zone: ZoneInfo, new_zone: ZoneInfo) -> datetime: ...
@overload
def move_by_days(value: None, days: int, old_zone: ZoneInfo, new_zone: ZoneInfo) -> None: ...
@overload
def move_by_days(
    value: datetime | None, days: int, old_zone: ZoneInfo, new_zone: ZoneInfo
) -> datetime | None: ...
def move_by_days(
    value: datetime | None, days: int, old_zone: ZoneInfo, new_zone: ZoneInfo
) -> datetime | None:
    """The same local wall-clock time ``days`` later (and read in ``new_zone``): right across a
    daylight-saving change, where adding 24-hour days to a UTC time would be an hour off."""
    if value is None:
        return None
    wall = value.astimezone(old_zone).replace(tzinfo=None) + timedelta(days=days)
    return wall.replace(tzinfo=new_zone).astimezone(UTC)
