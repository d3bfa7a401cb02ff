"""What a scanner read, read as a badge code one way everywhere (services/badge_scan.py): the door,
the check-in API, the booth, and the door page's offline check (tests/e2e/test_door.py runs the
same samples through the page's copy of the rule)."""

from datetime import timedelta

import pytest

from app.services import checkin, interviews
from app.services.badge_scan import badge_code_from, looks_like_badge_code
from tests import factories

NOW = factories.EVENT_START + timedelta(minutes=5)

#: (what was scanned, the badge code in it)
SAMPLES = [
    ("abcdefghijklmnop2345672345", "abcdefghijklmnop2345672345"),
    ("  abcdefghijklmnop2345672345\n", "abcdefghijklmnop2345672345"),
    ("https://hireday.test/b/abcdefghijklmnop2345672345", "abcdefghijklmnop2345672345"),
    ("https://hireday.test/b/abcdefghijklmnop2345672345/", "abcdefghijklmnop2345672345"),
    ("https://hireday.test/b/abcdefghijklmnop2345672345?utm=door#top", "abcdefghijklmnop2345672345"),
    ("HTTPS://HIREDAY.TEST/B/ABCDEFGHIJKLMNOP2345672345", "ABCDEFGHIJKLMNOP2345672345"),
    ("https://hireday.test/b/old/b/Legacy_Code-64", "Legacy_Code-64"),  # the last /b/ counts
    ("https://hireday.test/b/", ""),
    ("D1234567 SMITH JOHN", "D1234567 SMITH JOHN"),  # not a badge: kept whole, logged as a hash
    ("", ""),
]


@pytest.mark.parametrize(("scanned", "code"), SAMPLES)
def test_the_badge_code_in_what_was_scanned(scanned, code):
    assert badge_code_from(scanned) == code


def test_only_code_shaped_text_is_looked_up():
    assert looks_like_badge_code("abcdefghijklmnop2345672345")
    assert looks_like_badge_code("Legacy_Code-64")
    assert not looks_like_badge_code("D1234567 SMITH JOHN")
    assert not looks_like_badge_code("")
    assert not looks_like_badge_code("x" * 65)


def test_the_door_and_the_booth_find_the_same_badge_in_the_same_scans(db):
    """The booth used to want 16+ characters and the first ``/b/``; the door the last: one rule now."""
    event = factories.make_event(db.session)
    booth = factories.make_participation(db.session, event)
    maria = factories.make_registration(db.session, event)
    door = checkin.Scanner(name="Door 1")
    for n, scanned in enumerate([maria.badge_code, f"HTTPS://X.TEST/B/{maria.badge_code.upper()}/?a=1",
                                 f"https://x.test/b/gone/b/{maria.badge_code}"]):
        assert interviews.find_by_badge(db.session, booth, scanned) == maria
        result = checkin.check_in(db.session, event.id, checkin.Scan(scanned, f"n{n}"), door, NOW)
        assert result.person is not None and result.person.registration_id == maria.id
