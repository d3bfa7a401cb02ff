"""How times and money read on pages and in PDFs: times in the event's own zone, wages in dollars."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from flask import Flask
from flask_babel import get_locale

from app.models import WageUnit


def _locale() -> str:
    return str(get_locale() or "en")


def local_datetime(value: datetime, timezone: str, fmt: str = "EEEE, MMMM d, y 'at' h:mm a") -> str:
    if fmt == "EEEE, MMMM d, y 'at' h:mm a" and _locale() == "es":
        fmt = "EEEE d 'de' MMMM 'de' y, HH:mm"
    return format_datetime(value, fmt, tzinfo=ZoneInfo(timezone), locale=_locale())


def local_time(value: datetime, timezone: str) -> str:
    return format_time(
        value, "h:mm a" if _locale() == "en" else "HH:mm", tzinfo=ZoneInfo(timezone), locale=_locale()
    )


def local_date(value: datetime, timezone: str) -> str:
    return format_date(value.astimezone(ZoneInfo(timezone)), "long", locale=_locale())


def money(cents: int | None, unit: WageUnit | str | None = None) -> str:
    """``$17.50`` (hourly wages always show cents), or ``$48,000`` for whole-dollar amounts a year."""
    if cents is None:
        return ""
    if cents % 100 == 0 and unit != WageUnit.HOUR:
        return f"${cents // 100:,}"
    return f"${cents / 100:,.2f}"


def wage_range(low: int | None, high: int | None, unit: WageUnit | str | None) -> str:
    """``$17.00–$22.00 an hour``; empty when no wage is given."""
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        amounts = money(low if low is not None else high, unit)
    else:
        amounts = f"{money(low, unit)}–{money(high, unit)}"
    if not unit:
        return amounts
    return f"{amounts} {WageUnit(unit).after_amount}"


def current_locale() -> str:
    """``en`` or ``es``: the language the page is shown in."""
    return _locale()[:2]


def init_app(app: Flask) -> None:
    app.add_template_global(current_locale)
    app.add_template_filter(local_datetime)
    app.add_template_filter(local_time)
    app.add_template_filter(local_date)
    app.add_template_filter(money)
    app.add_template_global(wage_range)
