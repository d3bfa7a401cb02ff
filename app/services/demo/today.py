"""Techapalooza Express: an IT fair happening today, relative to the clock."""

import random
from datetime import datetime, timedelta

from sqlalchemy import insert

from app.models import CheckIn, CheckInKind, Event, EventKind, EventStatus, Sector
from app.services.demo.clock import CHICAGO, as_minutes, between
from app.services.demo.draws import SEED, seeded_nonce
from app.services.demo.employers import IT_EMPLOYERS, IT_ROLES, TECH_PARTNERS
from app.services.demo.event_day import add_interviews
from app.services.demo.loader import DemoLoad, event_surveys
from app.services.demo.people import CITY_AREA_CODES, draw_employment_status, draw_how_heard, make_people
from app.services.demo.records import Registrant
from app.services.demo.techapalooza import it_walk_in


def express_slug(now: datetime) -> str:
    return f"techapalooza-express-{now.astimezone(CHICAGO).date().isoformat()}"


def techapalooza_express(load: DemoLoad) -> Event:
    """An IT fair happening now (relative to the clock): it began two hours ago and runs three more,
    so the door, the booths and the live dashboard can all be tried at once. People have arrived,
    lines have formed at booths, interviews are under way and a few outcomes are recorded. Its booth
    window covers the whole event whatever the hour, even across midnight."""
    session, now = load.session, load.now
    slug = express_slug(now)
    rng = random.Random(f"{SEED}:{slug}")  # nosec B311
    local_now = now.astimezone(CHICAGO)
    starts = (now - timedelta(hours=2)).replace(second=0, microsecond=0)
    starts -= timedelta(minutes=starts.minute % 15)
    ends = starts + timedelta(hours=5)
    event = Event(
        slug=slug,
        name=f"Techapalooza Express · {local_now:%B} {local_now.day}",
        kind=EventKind.TECHAPALOOZA,
        series="techapalooza",
        sectors=[Sector.IT.value],
        status=EventStatus.PUBLISHED,
        description=(
            "A short IT hiring session with eight Chicago employers: help desk, networking, data and junior "
            "developer roles. Walk-ups welcome; join any booth's line from your phone."
        ),
        venue="Chicago Cook Workforce Partnership, Loop office",
        address="69 W. Washington St., Chicago, IL 60602",
        starts_at=starts,
        ends_at=ends,
        timezone="America/Chicago",
        booth_opens_at=starts - timedelta(hours=1),
        booth_closes_at=ends + timedelta(hours=1),
        registration_opens_at=starts - timedelta(days=21),
        capacity=120,
        max_bookings_per_candidate=2,
        created_at=starts - timedelta(days=28),
    )
    session.add(event)
    session.flush()
    role_counts = [2, 3, 2, 2, 3, 2, 2, 2]
    employers = [
        (name, rng.sample(IT_ROLES, count)) for name, count in zip(IT_EMPLOYERS[:8], role_counts, strict=True)
    ]
    booths = load.add_booths(
        event, rng, employers, Sector.IT, minutes={15: 2, 20: 1}, interviewers={1: 1, 2: 1},
        windows=[(as_minutes(0), as_minutes(0)), (as_minutes(15), as_minutes(15))],
    )
    partners = load.add_partners(event, rng, TECH_PARTNERS)
    event_surveys(session, event)

    registrants: list[Registrant] = []
    people = make_people(rng, 74, 7001, CITY_AREA_CODES)
    for person in people[:70]:
        reg = Registrant(
            person, between(rng, event.registration_opens_at or now, starts - timedelta(hours=1), skew=0.7)
        )
        if rng.random() < 0.3:
            reg.partners = [rng.choices(partners, weights=[w for _, w in partners])[0][0].id]
        reg.how_heard = draw_how_heard(rng, None)
        reg.employment_status = draw_employment_status(rng)
        reg.sectors = [Sector.IT.value]
        reg.consent_email = rng.random() < 0.85
        arrival = starts + as_minutes(rng.expovariate(1 / 45) - 5)
        if rng.random() < 0.75 and arrival <= now - as_minutes(2):
            reg.arrived_at = arrival
        registrants.append(reg)
    registrants.extend(
        it_walk_in(rng, person, between(rng, starts + as_minutes(15), now - as_minutes(5)))
        for person in people[70:]
    )
    load.register(event, registrants)
    attendees = sorted((r for r in registrants if r.arrived_at), key=lambda r: r.arrival)
    rows = [
        {"event_id": event.id, "registration_id": reg.id, "raw_code": None, "device_token_id": None,  # nosec B105
         "user_id": load.volunteer_id, "scanned_at": reg.arrival,
         "received_at": reg.arrival + timedelta(seconds=rng.randint(1, 4)), "nonce": seeded_nonce(rng),
         "kind": CheckInKind.ENTRY, "successful": True, "error_code": None, "is_offline": False,
         "is_duplicate": False, "undoes_id": None}
        for reg in attendees
    ]
    session.execute(insert(CheckIn), rows)
    load.summary["checkins_created"] += len(rows)
    add_interviews(load, rng, event, booths, registrants, attendees, cutoff=now)
    return event
