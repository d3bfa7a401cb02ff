"""Hospitality Hires Chicago: upcoming, registrations open (2,500 registrations, 60 employers)."""

import random
from datetime import datetime, timedelta

from sqlalchemy import insert

from app.models import (
    Audience,
    Event,
    EventKind,
    EventStatus,
    Language,
    Phase,
    RegistrationSource,
    RegistrationStatus,
    Sector,
    position_interests,
)
from app.services.demo.answers import candidate_pre_answers, employer_pre_answers
from app.services.demo.clock import CHICAGO, as_minutes, between, chicago_time, overlaps
from app.services.demo.draws import SEED, weighted
from app.services.demo.employers import HOSPITALITY_EMPLOYERS, HOSPITALITY_PARTNERS, HOSPITALITY_ROLES
from app.services.demo.loader import DemoLoad, event_surveys
from app.services.demo.people import (
    ACCESSIBILITY_NEEDS,
    HOSPITALITY_REGISTRATIONS,
    chicago_people,
    draw_employment_status,
    draw_how_heard,
)
from app.services.demo.records import Registrant, ResponseData

HOSPITALITY_SLUG = "hospitality-hires-chicago"


def hospitality_hires(load: DemoLoad) -> Event:
    session, now = load.session, load.now
    rng = random.Random(f"{SEED}:{HOSPITALITY_SLUG}")  # nosec B311
    day = now.astimezone(CHICAGO).date() + timedelta(days=21)
    day += timedelta(days=(2 - day.weekday()) % 7)  # hiring days fall on a Wednesday
    event = Event(
        slug=HOSPITALITY_SLUG,
        name="Hospitality Hires Chicago",
        kind=EventKind.HOSPITALITY_HIRES,
        series="hospitality-hires",
        sectors=[Sector.HOSPITALITY.value],
        status=EventStatus.PUBLISHED,
        description=(
            "Chicago's biggest hospitality hiring day. Meet 60 hotels, restaurants, caterers, stadium and "
            "airport food-service companies and casinos with about 150 kinds of positions to fill — room "
            "attendants, line cooks, banquet servers, front desk agents, bartenders, supervisors and "
            "managers. Many employers interview on the spot and make conditional offers the same day.\n\n"
            "Register ahead to get your badge and book interviews; walk-ins are welcome too. Bring a few "
            "copies of your resume if you have one (not required). Free; job center staff on site to help. "
            "Habrá intérpretes de español."
        ),
        description_es=(
            "El día de contratación de hotelería más grande de Chicago. Conozca 60 hoteles, restaurantes, "
            "empresas "
            "de catering, de servicio de comida en estadios y aeropuertos, y casinos con unos 150 tipos de "
            "puestos "
            "por cubrir: camaristas, cocineros de línea, meseros de banquetes, recepcionistas, bartenders, "
            "supervisores y gerentes. Muchos empleadores entrevistan en el momento y hacen ofertas "
            "condicionales "
            "el mismo día.\n\n"
            "Regístrese con anticipación para recibir su gafete y reservar entrevistas; también puede llegar "
            "sin "
            "registro. Traiga algunas copias de su currículum si tiene uno (no es obligatorio). Es gratis; "
            "habrá "
            "personal de los centros de empleo para ayudarle. Habrá intérpretes de español."
        ),
        venue="McCormick Place, Hall F3",
        address="2301 S. Dr. Martin Luther King Jr. Dr., Chicago, IL 60616",
        starts_at=chicago_time(day, 10),
        ends_at=chicago_time(day, 15),
        timezone="America/Chicago",
        registration_opens_at=chicago_time(now.astimezone(CHICAGO).date() - timedelta(days=35), 9),
        registration_closes_at=chicago_time(day, 10),
        capacity=3000,
        max_bookings_per_candidate=3,
        created_at=chicago_time(now.astimezone(CHICAGO).date() - timedelta(days=49), 11),
    )
    session.add(event)
    session.flush()

    role_counts = [3] * 30 + [2] * 30  # 150 positions
    rng.shuffle(role_counts)
    employers = [
        (name, rng.sample(HOSPITALITY_ROLES[kind], count))
        for (name, kind), count in zip(HOSPITALITY_EMPLOYERS, role_counts, strict=True)
    ]
    booths = load.add_booths(
        event,
        rng,
        employers,
        Sector.HOSPITALITY,
        minutes={10: 5, 12: 2, 15: 3},
        interviewers={1: 3, 2: 4, 3: 2},
        windows=[
            (as_minutes(0), as_minutes(0)),
            (as_minutes(0), as_minutes(30)),
            (as_minutes(30), as_minutes(30)),
            (as_minutes(30), as_minutes(60)),
        ],
    )
    partners = load.add_partners(event, rng, HOSPITALITY_PARTNERS)
    surveys = event_surveys(session, event)

    registrants = []
    opens = event.registration_opens_at or event.created_at  # the demo's events all open registration
    cancelled = set(rng.sample(range(HOSPITALITY_REGISTRATIONS), 40))
    for i, person in enumerate(chicago_people()):
        created = between(rng, opens, now, skew=0.6)
        reg = Registrant(person, created)
        if rng.random() < 0.35:
            first = rng.choices(partners, weights=[w for _, w in partners])[0][0]
            reg.partners = [first.id]
            if rng.random() < 0.12:
                second = rng.choice([p for p, _ in partners if p is not first])
                reg.partners.append(second.id)
            if rng.random() < 0.25:
                reg.source = RegistrationSource.PARTNER_IMPORT
            reg.how_heard = draw_how_heard(rng, first.organization.kind)
        else:
            reg.how_heard = draw_how_heard(rng, None) if rng.random() < 0.9 else None
        reg.employment_status = draw_employment_status(rng)
        reg.sectors = [
            Sector.HOSPITALITY.value,
            *sorted(
                rng.sample([s.value for s in Sector if s != Sector.HOSPITALITY], rng.choice((0, 0, 1, 1, 2)))
            ),
        ]
        reg.consent_email = rng.random() < 0.82
        reg.consent_sms = rng.random() < 0.55
        if rng.random() < 0.015:
            reg.accessibility_needs = rng.choice(ACCESSIBILITY_NEEDS)
        if i in cancelled:
            reg.status = RegistrationStatus.CANCELLED
            reg.cancelled_at = between(rng, created + as_minutes(5), now)
        registrants.append(reg)
    load.register(event, registrants)

    # What people said they were interested in.
    positions = [p for b in booths for p in b.positions]
    interests = [
        {"registration_id": r.id, "position_id": p.id}
        for r in registrants if rng.random() < 0.4
        for p in rng.sample(positions, rng.randint(1, 3))
    ]
    session.execute(insert(position_interests), interests)
    load.summary["position_interests_created"] += len(interests)

    # Booked interview slots: a few hundred, at most three a person, never overlapping.
    booking_rows = []
    live = [r for r in registrants if r.status == RegistrationStatus.REGISTERED]
    for reg in rng.sample(live, 330) + rng.sample([r for r in registrants if r.cancelled_at], 6):
        taken: list[tuple[datetime, datetime]] = []
        booked_with: set[int] = set()  # one booking per employer, as the database requires
        for _ in range(weighted(rng, {1: 5, 2: 3, 3: 2})):
            for _attempt in range(20):
                booth = rng.choice(booths)
                slot = rng.choice(booth.slots)
                if (not slot.is_blocked and slot.seats_taken < booth.participation.interviewers
                        and booth.participation.id not in booked_with
                        and not overlaps(slot.starts_at, slot.ends_at, taken)):
                    break
            else:
                continue
            slot.seats_taken += 1
            booked_with.add(booth.participation.id)
            taken.append((slot.starts_at, slot.ends_at))
            booked_at = between(rng, reg.created_at, reg.cancelled_at or now)
            booking_rows.append({"slot_id": slot.id, "slot_capacity": slot.capacity,
                                 "participation_id": booth.participation.id, "registration_id": reg.id,
                                 "seat": slot.seats_taken,
                                 "created_at": booked_at, "cancelled_at": reg.cancelled_at})
    load.add_bookings(booking_rows)

    # Pre-event surveys: most career seekers answer while registering; two thirds of employers.
    survey = surveys[(Audience.CANDIDATE, Phase.PRE)]
    load.add_responses(survey, [
        ResponseData(r.id, None, r.person.language,
                      min(now, r.created_at + timedelta(seconds=rng.randint(60, 600))),
                      candidate_pre_answers(rng, r))
        for r in registrants if rng.random() < 0.58
    ])
    load.add_responses(surveys[(Audience.EMPLOYER, Phase.PRE)], [
        ResponseData(None, b.participation.id, Language.EN, between(rng, opens, now),
                      employer_pre_answers(rng, b, "hospitality"))
        for b in booths if rng.random() < 0.67
    ])
    return event
