"""Demo data: two staff logins, an upcoming Hospitality Hires Chicago (2,500 registrations, 60
employers, 150 positions, 12 referring partners), a Techapalooza two weeks past with everything
that happened at it (check-ins, interviews, offers, hires, survey answers; its booth links still
confirm hires) and a Techapalooza Express happening today, relative to the clock (arrivals, lines
at the booths, interviews under way, a few outcomes), so every role can be tried at once.

Deterministic: every name, number and outcome comes from a ``random.Random`` seeded per event, so
two databases loaded on the same day hold the same people; only secrets (badge codes, manage
tokens) are truly random. Idempotent: an event whose slug exists is skipped, users and
organizations that exist are reused. The big tables are written with bulk inserts, so the whole
load takes seconds, not minutes."""

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from app.database import Session
from app.models import Event
from app.services import audit
from app.services.demo.hospitality import HOSPITALITY_SLUG, hospitality_hires
from app.services.demo.loader import DemoLoad
from app.services.demo.techapalooza import techapalooza, techapalooza_day, techapalooza_slug
from app.services.demo.today import express_slug, techapalooza_express


def load_demo(session: Session, *, now: datetime) -> dict[str, int | list[str]]:
    """Load the demo data, skipping whatever already exists; flushes, never commits.

    Returns counts of what was created and skipped (``events_created``, ``events_skipped``,
    ``registrations_created``, ``users_skipped``, …) and ``lines``: one sentence per event, for
    the command line."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    load = DemoLoad(session, now.astimezone(UTC))
    load.ensure_users()
    lines = []
    # The past event first, so people who came to both keep their first registration's date.
    plans = ((techapalooza_slug(techapalooza_day(load.now)), techapalooza),
             (HOSPITALITY_SLUG, hospitality_hires),
             (express_slug(load.now), techapalooza_express))
    for slug, build in plans:
        if session.scalar(select(Event.id).where(Event.slug == slug)) is not None:
            load.summary["events_skipped"] += 1
            lines.append(f"Skipped {slug}: it already exists.")
            continue
        before = Counter(load.summary)
        event = build(load)
        audit.record(session, "demo.load", obj=event, event_id=event.id, slug=event.slug)
        load.summary["events_created"] += 1
        made = load.summary - before
        line = (f"Created {event.name} ({slug}): {made['registrations_created']:,} registrations, "
                f"{made['participations_created']} employers, {made['positions_created']} positions, "
                f"{made['partnerships_created']} partners")
        if made["interviews_created"]:
            line += f", {made['checkins_created']} check-in scans, {made['interviews_created']} interviews"
        lines.append(line + ".")
    session.flush()
    return {**load.summary, "lines": lines}
