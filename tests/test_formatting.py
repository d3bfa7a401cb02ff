"""Wages and times read the way a career seeker expects, in English and Spanish."""

from datetime import UTC, datetime

import pytest

from app.formatting import local_datetime, local_time, money, wage_range


@pytest.mark.parametrize(
    ("low", "high", "unit", "english"),
    [
        (1900, 2000, "hour", "$19.00–$20.00 an hour"),
        (1775, 1775, "hour", "$17.75 an hour"),
        (4800000, 5400000, "year", "$48,000–$54,000 a year"),
        (None, 2250, "hour", "$22.50 an hour"),
        (None, None, None, ""),
    ],
)
def test_wage_ranges(app, low, high, unit, english):
    with app.test_request_context("/?lang=en"):
        assert wage_range(low, high, unit) == english


def test_wages_in_spanish(app):
    with app.test_request_context("/?lang=es"):
        assert wage_range(1900, 2000, "hour") == "$19.00–$20.00 por hora"


def test_money_keeps_cents_only_where_they_matter():
    assert money(4812550) == "$48,125.50"
    assert money(4800000, "year") == "$48,000"
    assert money(1700, "hour") == "$17.00"


def test_times_show_in_the_event_time_zone(app):
    ten_am_chicago = datetime(2026, 12, 16, 16, 0, tzinfo=UTC)
    with app.test_request_context("/?lang=en"):
        # CLDR puts a narrow no-break space before AM/PM.
        assert local_time(ten_am_chicago, "America/Chicago").replace("\u202f", " ") == "10:00 AM"
        assert local_datetime(ten_am_chicago, "America/Chicago").startswith("Wednesday, December 16, 2026")
    with app.test_request_context("/?lang=es"):
        assert local_time(ten_am_chicago, "America/Chicago") == "10:00"
        assert local_datetime(ten_am_chicago, "America/Chicago").startswith(
            "miércoles 16 de diciembre de 2026"
        )
