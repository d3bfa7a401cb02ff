"""Techapalooza: an IT fair two weeks past, with everything that happened at it."""

import random
from datetime import date, datetime, timedelta

from app.models import (
    Audience,
    Event,
    EventKind,
    EventStatus,
    HireStatus,
    Language,
    Phase,
    RegistrationSource,
    RegistrationStatus,
    Sector,
)
from app.services.demo.answers import (
    CANDIDATE_COMMENTS,
    EMPLOYER_COMMENTS,
    candidate_pre_answers,
    count_range,
    employer_pre_answers,
)
from app.services.demo.clock import CHICAGO, as_minutes, between, chicago_time, season
from app.services.demo.draws import SEED, weighted
from app.services.demo.employers import IT_EMPLOYERS, IT_ROLES, TECH_PARTNERS
from app.services.demo.event_day import add_checkins, add_interviews
from app.services.demo.loader import DemoLoad, event_surveys
from app.services.demo.people import (
    SUBURB_AREA_CODES,
    chicago_people,
    draw_employment_status,
    draw_how_heard,
    make_people,
)
from app.services.demo.records import Person, Registrant, ResponseData


def it_walk_in(rng: random.Random, person: Person, arrived: datetime) -> Registrant:
    """Someone registered at an IT fair's door a few minutes before being checked in."""
    return Registrant(
        person,
        arrived - as_minutes(rng.uniform(2, 5)),
        source=RegistrationSource.WALK_IN,
        employment_status=draw_employment_status(rng),
        sectors=[Sector.IT.value],
        how_heard=draw_how_heard(rng, None),
        consent_email=True,
        arrived_at=arrived,
    )


def techapalooza_day(now: datetime) -> date:
    """The Thursday 12 to 18 days before ``now``: over, yet recent enough that its booth links (valid
    ``BOOTH_LINK_DAYS`` after it) still confirm hires."""
    day = now.astimezone(CHICAGO).date() - timedelta(days=12)
    return day - timedelta(days=(day.weekday() - 3) % 7)


def techapalooza_slug(day: date) -> str:
    return f"techapalooza-{season(day)}-{day.year}"


def techapalooza(load: DemoLoad) -> Event:
    session, now = load.session, load.now
    day = techapalooza_day(now)
    slug = techapalooza_slug(day)
    rng = random.Random(f"{SEED}:{slug}")  # nosec B311
    event = Event(
        slug=slug,
        name=f"Techapalooza {season(day).title()} {day.year}",
        kind=EventKind.TECHAPALOOZA,
        series="techapalooza",
        sectors=[Sector.IT.value],
        status=EventStatus.CLOSED,
        description=(
            "An evening IT job fair: help desk, networking, cloud, data, QA, security and junior developer "
            "roles with a dozen Chicago-area employers, many of them open to career changers, bootcamp and "
            "community college graduates. Book a 15- or 20-minute interview ahead, or queue at the booths."
        ),
        description_es=(
            "Una feria de empleo de tecnología por la tarde: puestos de mesa de ayuda, redes, nube, datos, "
            "control "
            "de calidad, seguridad y desarrollo para principiantes con una docena de empleadores del área de "
            "Chicago, muchos abiertos a personas que cambian de carrera y a egresados de bootcamps y "
            "colegios "
            "comunitarios. Reserve una entrevista de 15 o 20 minutos con anticipación o haga fila en los "
            "stands."
        ),
        venue="Harold Washington Library Center, Winter Garden",
        address="400 S. State St., Chicago, IL 60605",
        starts_at=chicago_time(day, 16),
        ends_at=chicago_time(day, 19),
        timezone="America/Chicago",
        registration_opens_at=chicago_time(day - timedelta(days=45), 9),
        registration_closes_at=chicago_time(day, 16),
        capacity=150,
        max_bookings_per_candidate=3,
        created_at=chicago_time(day - timedelta(days=59), 11),
    )
    session.add(event)
    session.flush()
    starts, ends = event.starts_at, event.ends_at

    role_counts = [3] * 6 + [2] * 6
    rng.shuffle(role_counts)
    employers = [
        (name, rng.sample(IT_ROLES, count)) for name, count in zip(IT_EMPLOYERS, role_counts, strict=True)
    ]
    booths = load.add_booths(
        event,
        rng,
        employers,
        Sector.IT,
        minutes={15: 2, 20: 1},
        interviewers={1: 1, 2: 2},
        windows=[
            (as_minutes(15), as_minutes(15)),
            (as_minutes(0), as_minutes(30)),
            (as_minutes(15), as_minutes(0)),
        ],
    )
    partners = load.add_partners(event, rng, TECH_PARTNERS)
    surveys = event_surveys(session, event)

    # 100 pre-registered (a dozen of them also register for Hospitality Hires) and 8 walk-ins.
    chicago = chicago_people()
    newcomers = make_people(rng, 96, 5001, SUBURB_AREA_CODES)
    pre_people = [chicago[i] for i in sorted(rng.sample(range(len(chicago)), 12))] + newcomers[:88]
    rng.shuffle(pre_people)
    registrants: list[Registrant] = []
    opens = event.registration_opens_at or event.created_at  # the demo's events all open registration
    for i, person in enumerate(pre_people):
        reg = Registrant(person, between(rng, opens, starts - timedelta(hours=2), skew=0.7))
        if rng.random() < 0.35:
            first = rng.choices(partners, weights=[w for _, w in partners])[0][0]
            reg.partners = [first.id]
            if rng.random() < 0.15:
                reg.partners.append(rng.choice([p for p, _ in partners if p is not first]).id)
            if rng.random() < 0.2:
                reg.source = RegistrationSource.PARTNER_IMPORT
            reg.how_heard = draw_how_heard(rng, first.organization.kind)
        else:
            reg.how_heard = draw_how_heard(rng, None)
        reg.employment_status = draw_employment_status(rng)
        reg.sectors = [Sector.IT.value] + ([Sector.MANUFACTURING.value] if rng.random() < 0.1 else [])
        reg.consent_email = rng.random() < 0.85
        reg.consent_sms = rng.random() < 0.5
        if i < 3:
            reg.status = RegistrationStatus.CANCELLED
            reg.cancelled_at = between(rng, reg.created_at + as_minutes(10), starts)
        elif rng.random() < 0.72:
            reg.arrived_at = starts + as_minutes(min(140.0, rng.expovariate(1 / 30)) - 10)
        registrants.append(reg)
    registrants.extend(
        it_walk_in(rng, person, starts + as_minutes(rng.uniform(20, 120))) for person in newcomers[88:]
    )
    load.register(event, registrants)
    attendees = sorted((r for r in registrants if r.arrived_at), key=lambda r: r.arrival)

    add_checkins(load, rng, event, registrants, attendees)
    interviews = add_interviews(load, rng, event, booths, registrants, attendees)

    # Surveys: before (at registration) and after (in the days that followed).
    load.add_responses(surveys[(Audience.CANDIDATE, Phase.PRE)], [
        ResponseData(r.id, None, r.person.language, r.created_at + timedelta(seconds=rng.randint(60, 600)),
                      candidate_pre_answers(rng, r))
        for r in registrants if rng.random() < 0.6
    ])
    post = []
    for reg in attendees:
        if rng.random() >= 0.5:
            continue
        mine = [row for row in interviews if row["registration_id"] == reg.id and row["started_at"]]
        offers = sum(row["offer_wage_cents"] is not None for row in mine)
        answers: dict[str, int | list[str] | str] = {
            "satisfaction": rng.randint(4, 5) if offers else weighted(rng, {2: 1, 3: 3, 4: 5, 5: 3}),
            "usefulness": rng.randint(4, 5) if offers else weighted(rng, {1: 1, 2: 2, 3: 3, 4: 4, 5: 2}),
            "interviews": [str(len(mine)) if len(mine) < 3 else "3_plus"],
            "offers": [str(offers) if offers < 2 else "2_plus"],
            "recommend": rng.randint(8, 10)
            if offers
            else weighted(rng, {3: 1, 5: 1, 6: 2, 7: 3, 8: 4, 9: 3, 10: 3}),
        }
        if rng.random() < 0.3:
            answers["comments"] = rng.choice(CANDIDATE_COMMENTS[reg.person.language])
        post.append(
            ResponseData(
                reg.id,
                None,
                reg.person.language,
                between(rng, ends + timedelta(hours=2), ends + timedelta(days=6)),
                answers,
            )
        )
    load.add_responses(surveys[(Audience.CANDIDATE, Phase.POST)], post)

    load.add_responses(surveys[(Audience.EMPLOYER, Phase.PRE)], [
        ResponseData(None, b.participation.id, Language.EN, between(rng, opens, starts - timedelta(days=1)),
                      employer_pre_answers(rng, b, "it"))
        for b in booths if rng.random() < 0.85
    ])
    employer_post = []
    for booth in booths:
        if rng.random() >= 0.75:
            continue
        theirs = [row for row in interviews if row["participation_id"] == booth.participation.id]
        offers = sum(row["offer_wage_cents"] is not None for row in theirs)
        hires = sum(row["hire_status"] in (HireStatus.HIRED, HireStatus.PENDING) for row in theirs)
        answers = {
            "satisfaction": weighted(rng, {3: 2, 4: 5, 5: 4}),
            "candidate_quality": weighted(rng, {2: 1, 3: 4, 4: 5, 5: 2}),
            "offers_made": [count_range(offers)],
            "hires_expected": [count_range(hires)],
            "pain_points": sorted(rng.sample(["not_enough_applicants", "skills_gaps", "no_shows", "retention",
                                              "wage_competition"], rng.randint(1, 2))),
            "would_return": [weighted(rng, {"yes": 15, "maybe": 4, "no": 1})],
        }
        if rng.random() < 0.4:
            answers["comments"] = rng.choice(EMPLOYER_COMMENTS)
        employer_post.append(ResponseData(None, booth.participation.id, Language.EN,
                                           between(rng, ends + timedelta(hours=3), ends + timedelta(days=10)),
                                           answers))
    load.add_responses(surveys[(Audience.EMPLOYER, Phase.POST)], employer_post)
    return event
