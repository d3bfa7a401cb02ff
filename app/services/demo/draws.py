"""Seeded random draws: every demo name, number and outcome comes from a ``random.Random`` seeded
per event, so two databases loaded on the same day hold the same people."""

import random
import unicodedata
import uuid
from collections.abc import Mapping
from typing import TypeVar

from app.models import WageUnit

T = TypeVar("T")


#: Changing the seed changes every demo person; bump it only on purpose. (The seeded ``random``
#: makes repeatable fake people, which bandit's B311 flags; every secret comes from tokens.py. The
#: B105 marks are on ``recorded_by_token_id``/``device_token_id`` keys, which are not passwords.)
SEED = "hireday-demo-1"


def ascii_letters(text: str) -> str:
    """``Núñez`` → ``nunez``, ``O'Brien`` → ``obrien``: letters only, for an email address."""
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in folded if c.isascii() and c.isalpha()).lower()


def weighted(rng: random.Random, options: Mapping[T, float]) -> T:
    """One key of ``options``, drawn in proportion to its value."""
    return rng.choices(list(options), weights=list(options.values()))[0]


def wage_range(rng: random.Random, unit: WageUnit, low: float, high: float) -> tuple[int, int]:
    """(min, max) in cents: quarters of a dollar an hour, or whole thousands a year."""
    if unit == WageUnit.HOUR:
        step, scale = 25, 100
    else:
        step, scale = 100_000, 100_000
    lo, hi = int(low * scale), int(high * scale)
    minimum = rng.randrange(lo, (lo + hi) // 2 + 1, step) if hi > lo else lo
    maximum = minimum if rng.random() < 0.25 else rng.randrange(minimum, hi + 1, step)
    return minimum, maximum


def seeded_nonce(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex
