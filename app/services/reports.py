"""The numbers of an event, for the live dashboard, the report PDF and the exports.

Everything is computed from the records themselves: attendance from the check-in log, outcomes
from interviews, placements from confirmed hires. A handful of grouped queries per report, so
the 2,500-registration event reports in well under a second.

Small cells: a count of 1 to 4 people in a ZIP code or demographic cell is shown as "<5"
(``suppressed``), so nobody can be picked out of the report."""

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import (
    Booking,
    Candidate,
    Event,
    EventStatus,
    Interview,
    InterviewSlot,
    Organization,
    Outcome,
    Participation,
    Partnership,
    Position,
    Referral,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Sector,
    WageUnit,
)
from app.services import checkin
from app.services.funnel import Funnel, funnel as funnel_of

SMALL_CELL = 5
ARRIVAL_BUCKET = timedelta(minutes=15)


def suppressed(count: int) -> str:
    """A people count as printed where it could identify someone: ``"<5"`` for 1–4."""
    return "<5" if 0 < count < SMALL_CELL else f"{count:,}"


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Headline:
    """The event's headline numbers. The funnel's people and counts come from ``funnel`` alone."""

    funnel: Funnel
    pre_registered: int
    attended_pre_registered: int
    walk_ins: int
    waitlisted: int
    employers: int
    positions: int
    openings: int
    second_interviews: int

    @property
    def registered(self) -> int:
        return self.funnel.people("registered")

    @property
    def attended(self) -> int:
        return self.funnel.people("checked_in")

    @property
    def interviews(self) -> int:
        return self.funnel.interviews

    @property
    def offers(self) -> int:
        return self.funnel.offers

    @property
    def people_with_offer(self) -> int:
        return self.funnel.people("offered")

    @property
    def hires(self) -> int:
        return self.funnel.hires

    @property
    def show_rate(self) -> float | None:
        return share(self.attended_pre_registered, self.pre_registered)

    @property
    def offer_share(self) -> float | None:
        """Share of attendees who left with at least one offer."""
        return share(self.people_with_offer, self.attended)


@dataclass
class EmployerRow:
    name: str
    table: str | None
    booked: int
    queue: int
    interviews: int
    second_interviews: int
    offers: int
    hires: int


def _table_key(row: EmployerRow) -> tuple:
    table = row.table or ""
    return (table == "", not table.isdigit(), int(table) if table.isdigit() else 0, table.lower())


#: The dashboard's employer table sorts by these columns: (label, key, largest first).
EMPLOYER_SORTS: dict[str, tuple[str, Callable[[EmployerRow], Any], bool]] = {
    "name": ("Employer", lambda r: r.name.casefold(), False),
    "table": ("Table", _table_key, False),
    "booked": ("Booked", lambda r: r.booked, True),
    "queue": ("In the queue", lambda r: r.queue, True),
    "interviews": ("Interviews", lambda r: r.interviews, True),
    "offers": ("Offers", lambda r: r.offers, True),
    "hires": ("Hires", lambda r: r.hires, True),
}


def employer_table(rows: list[EmployerRow], *, sort: str = "name", query: str = "") -> list[EmployerRow]:
    """The dashboard's employer rows whose name or table contains ``query``, sorted by the column
    ``sort`` names (numbers largest first; ties by name)."""
    words = query.casefold().split()
    kept = [r for r in rows if all(w in f"{r.name} {r.table or ''}".casefold() for w in words)]
    _label, key, largest_first = EMPLOYER_SORTS.get(sort, EMPLOYER_SORTS["name"])
    kept.sort(key=lambda r: r.name.casefold())
    return sorted(kept, key=key, reverse=largest_first)


@dataclass
class GroupRow:
    """A row of a grouped table (sector, position, partner, ZIP)."""

    label: str
    values: dict[str, int | str | None] = field(default_factory=dict)

    def count(self, key: str) -> int:
        """The number under ``key``; 0 where the row has none."""
        value = self.values.get(key)
        return value if isinstance(value, int) else 0


@dataclass
class WageSummary:
    unit: WageUnit
    count: int
    median_cents: int | None
    low_cents: int | None
    high_cents: int | None


@dataclass
class EventNumbers:
    event: Event
    headline: Headline
    funnel: list[tuple[str, int]]
    #: (local bucket start "10:15", arrivals in it), from the event's start to its end.
    arrivals: list[tuple[str, int]]
    employers: list[EmployerRow]
    sectors: list[GroupRow]
    positions: list[GroupRow]
    wages: list[WageSummary]
    partners: list[GroupRow]
    zip_codes: list[GroupRow]
    #: Every kind of outcome, in the table's order, with how many interviews ended so (zeros too).
    outcomes: list[tuple[Outcome, int]]


def _registrations(
    session: Session, event: Event
) -> list[tuple[int, RegistrationSource, RegistrationStatus, str | None]]:
    return list(
        session.execute(
            select(Registration.id, Registration.source, Registration.status, Candidate.zip_code)
            .join(Registration.candidate)
            .where(Registration.event_id == event.id)
        )
    )


def _interviews(session: Session, event: Event) -> list[Interview]:
    return list(
        session.scalars(
            select(Interview).join(Interview.participation).where(Participation.event_id == event.id)
        )
    )


def event_numbers(session: Session, event: Event, now: datetime) -> EventNumbers:
    """Every number the dashboard and the report show for ``event``."""
    registrations = _registrations(session, event)
    first_entries = checkin.first_entries_for_event(session, event.id)
    interviews = _interviews(session, event)
    funnel = funnel_of(((rid, status) for rid, _, status, _ in registrations), first_entries, interviews)
    attended = set(funnel.checked_in)
    live = {rid for rid, _, status, _ in registrations if status != RegistrationStatus.CANCELLED}
    walk_ins = {rid for rid, source, _, _ in registrations if source == RegistrationSource.WALK_IN}
    pre_registered = live - walk_ins
    offers = [i for i in interviews if i.offered]
    second = [i for i in interviews if i.second_interview]
    participations = session.scalars(
        select(Participation)
        .where(Participation.event_id == event.id)
        .options(selectinload(Participation.organization))
    ).all()
    positions = session.scalars(
        select(Position).join(Position.participation).where(Participation.event_id == event.id)
    ).all()

    headline = Headline(
        funnel=funnel,
        pre_registered=len(pre_registered),
        attended_pre_registered=len(attended & pre_registered),
        walk_ins=len(walk_ins),
        waitlisted=sum(1 for _, _, status, _ in registrations if status == RegistrationStatus.WAITLISTED),
        employers=len(participations),
        positions=len(positions),
        openings=sum(p.openings for p in positions),
        second_interviews=len(second),
    )
    return EventNumbers(
        event=event,
        headline=headline,
        funnel=funnel.stages,
        arrivals=_arrivals(event, first_entries.values()),
        employers=_employer_rows(session, event, participations, interviews),
        sectors=_sector_rows(participations, positions, interviews),
        positions=_position_rows(participations, positions, interviews),
        wages=_wage_summaries(offers),
        partners=_partner_rows(session, event, registrations, first_entries, interviews),
        zip_codes=_zip_rows(registrations, funnel),
        outcomes=_outcome_counts(interviews),
    )


def _outcome_counts(interviews: list[Interview]) -> list[tuple[Outcome, int]]:
    counts = Counter(i.outcome for i in interviews if i.outcome is not None)
    return [(outcome, counts[outcome]) for outcome in Outcome]


def _arrivals(event: Event, entries) -> list[tuple[str, int]]:
    zone = ZoneInfo(event.timezone)
    start = event.starts_at
    counts = Counter(
        max(0, int((at - start) / ARRIVAL_BUCKET)) for at in entries
    )
    buckets = max(1, int((event.ends_at - start) / ARRIVAL_BUCKET))
    last = max([buckets - 1, *counts]) if counts else buckets - 1
    return [
        ((start + ARRIVAL_BUCKET * n).astimezone(zone).strftime("%H:%M"), counts.get(n, 0))
        for n in range(last + 1)
    ]


def _employer_rows(session: Session, event: Event, participations, interviews) -> list[EmployerRow]:
    booked = dict(
        session.execute(
            select(InterviewSlot.participation_id, func.count())
            .join(Booking, Booking.slot_id == InterviewSlot.id)
            .join(Participation, Participation.id == InterviewSlot.participation_id)
            .where(Participation.event_id == event.id, Booking.cancelled_at.is_(None))
            .group_by(InterviewSlot.participation_id)
        ).all()
    )
    by_booth: dict[int, list[Interview]] = defaultdict(list)
    for interview in interviews:
        by_booth[interview.participation_id].append(interview)
    names = dict(
        session.execute(
            select(Participation.id, Organization.name)
            .join(Participation.organization)
            .where(Participation.event_id == event.id)
        ).all()
    )
    rows = []
    for p in participations:
        mine = by_booth[p.id]
        rows.append(EmployerRow(
            name=names[p.id],
            table=p.table_number,
            booked=booked.get(p.id, 0),
            queue=sum(1 for i in mine if i.started_at is None and i.outcome is None),
            interviews=sum(1 for i in mine if i.held),
            second_interviews=sum(1 for i in mine if i.second_interview),
            offers=sum(1 for i in mine if i.offered),
            hires=sum(1 for i in mine if i.hired),
        ))
    return sorted(rows, key=lambda r: (-r.offers, -r.interviews, r.name))


def _sector_of(position: Position, participation: Participation) -> str:
    sector = position.sector or participation.organization.sector
    return sector.value if sector else "other"


def _sector_rows(participations, positions, interviews) -> list[GroupRow]:
    booths = {p.id: p for p in participations}
    sector_of_position = {pos.id: _sector_of(pos, booths[pos.participation_id]) for pos in positions}
    sector_of_booth = {
        p.id: (p.organization.sector.value if p.organization.sector else "other") for p in participations
    }
    rows: dict[str, Counter] = defaultdict(Counter)
    for pos in positions:
        rows[sector_of_position[pos.id]]["positions"] += 1
        rows[sector_of_position[pos.id]]["openings"] += pos.openings
    for interview in interviews:
        sector = sector_of_position.get(interview.position_id) or sector_of_booth[interview.participation_id]
        rows[sector]["interviews"] += interview.held
        rows[sector]["offers"] += interview.offered
        rows[sector]["hires"] += interview.hired
    return [
        GroupRow(sector, {k: counts[k] for k in ("positions", "openings", "interviews", "offers", "hires")})
        for sector, counts in sorted(rows.items(), key=lambda item: -item[1]["offers"])
    ]


def _position_rows(participations, positions, interviews) -> list[GroupRow]:
    booths = {p.id: p for p in participations}
    offers = Counter(i.position_id for i in interviews if i.offered)
    rows = [
        GroupRow(
            pos.title,
            {
                "employer": booths[pos.participation_id].organization.name,
                "openings": pos.openings,
                "wage_min_cents": pos.wage_min_cents,
                "wage_max_cents": pos.wage_max_cents,
                "wage_unit": pos.wage_unit.value if pos.wage_unit else None,
                "offers": offers.get(pos.id, 0),
            },
        )
        for pos in positions
    ]
    return sorted(rows, key=lambda r: (-r.count("offers"), r.label))


def _wage_summaries(offers: list[Interview]) -> list[WageSummary]:
    summaries = []
    for unit in (WageUnit.HOUR, WageUnit.YEAR):
        wages = sorted(
            i.offer_wage_cents for i in offers if i.offer_wage_unit == unit and i.offer_wage_cents is not None
        )
        summaries.append(WageSummary(
            unit=unit,
            count=len(wages),
            median_cents=round(statistics.median(wages)) if wages else None,
            low_cents=wages[0] if wages else None,
            high_cents=wages[-1] if wages else None,
        ))
    return summaries


def _partner_rows(session: Session, event: Event, registrations, first_entries, interviews) -> list[GroupRow]:
    """Each partner's own funnel (people). A person referred by several partners counts for each of
    them; ``shared_hires`` are the hires a partner shares with at least one other."""
    referrals = session.execute(
        select(Partnership.id, Organization.name, Referral.registration_id)
        .join(Partnership.organization)
        .join(Referral, Referral.partnership_id == Partnership.id, isouter=True)
        .where(Partnership.event_id == event.id)
    ).all()
    referred: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    partners_of: Counter = Counter()
    for partnership_id, name, registration_id in referrals:
        names[partnership_id] = name
        if registration_id is not None:
            referred[partnership_id].add(registration_id)
            partners_of[registration_id] += 1
    status = {rid: s for rid, _, s, _ in registrations}
    rows = []
    for pid, name in names.items():
        mine = referred[pid]
        people = funnel_of(((rid, status[rid]) for rid in mine if rid in status), first_entries, interviews)
        rows.append(GroupRow(name, {
            "referred": len(mine),
            "attended": people.people("checked_in"),
            "interviewed": people.people("interviewed"),
            "offers": people.people("offered"),
            "hires": people.people("hired"),
            "shared_hires": sum(1 for rid in people.hired if partners_of[rid] > 1),
        }))
    return sorted(rows, key=lambda r: (-r.count("hires"), -r.count("referred"), r.label))


def _zip_rows(registrations, funnel: Funnel) -> list[GroupRow]:
    attended, offered = funnel.checked_in, funnel.offered
    rows: dict[str, Counter] = defaultdict(Counter)
    for registration_id, _, status, zip_code in registrations:
        if status == RegistrationStatus.CANCELLED:
            continue
        counts = rows[zip_code or "unknown"]
        counts["registered"] += 1
        counts["attended"] += registration_id in attended
        counts["offers"] += registration_id in offered
    # ZIP codes with fewer than 5 registered people are pooled into one row: listing them one by
    # one would print little but "<5".
    keys = ("registered", "attended", "offers")
    large = {z: c for z, c in rows.items() if c["registered"] >= SMALL_CELL}
    pooled = sum((c for z, c in rows.items() if z not in large), Counter())
    result = [
        GroupRow(zip_code, {k: suppressed(counts[k]) for k in keys})
        for zip_code, counts in sorted(large.items(), key=lambda item: (-item[1]["registered"], item[0]))
    ]
    if pooled:
        label = f"{len(rows) - len(large)} other ZIP codes, each with fewer than {SMALL_CELL} people"
        result.append(GroupRow(label, {k: suppressed(pooled[k]) for k in keys}))
    return result


def previous_in_series(session: Session, event: Event, now: datetime) -> Event | None:
    """The event to compare with: the series' last *completed* event before this one (published,
    closed or archived, and over by ``now``) that has data (someone registered), or none. A draft,
    or an event nobody came to, says nothing about how this one did."""
    if not event.series:
        return None
    has_data = select(Registration.id).where(Registration.event_id == Event.id).exists()
    return session.scalar(
        select(Event)
        .where(Event.series == event.series, Event.starts_at < event.starts_at, Event.id != event.id,
               Event.status != EventStatus.DRAFT, Event.ends_at <= now, has_data)
        .order_by(Event.starts_at.desc())
        .limit(1)
    )


@dataclass
class Comparison:
    event: Event
    headline: Headline


def report_pdf(session: Session, event: Event, now: datetime) -> bytes:
    """The post-event report for funders and employers (US Letter, WeasyPrint)."""
    from flask import render_template
    from weasyprint import HTML

    from app.services import charts, show_rate, survey_results

    numbers = event_numbers(session, event, now)
    previous = previous_in_series(session, event, now)
    comparison = Comparison(previous, event_numbers(session, previous, now).headline) if previous else None
    sector_names = {sector.value: sector.label for sector in Sector} | {"other": "Other"}
    short_names = {sector.value: sector.short_label for sector in Sector} | {"other": "Other"}
    drawn = {
        "funnel": charts.horizontal_bars(numbers.funnel, title="From registration to hire"),
        "arrivals": charts.columns(numbers.arrivals, title="Arrivals per 15 minutes"),
        "sectors": charts.horizontal_bars(
            [(str(short_names.get(row.label, row.label)), row.count("offers")) for row in numbers.sectors],
            title="Conditional offers by sector",
        ),
    }
    html = render_template(
        "reports/report_pdf.html", event=event, numbers=numbers, charts=drawn, comparison=comparison,
        sector_names=sector_names, generated_at=now,
        surveys=survey_results.event_results(session, event),
        pain_points=survey_results.employer_pain_points(session, event),
        show_rate=show_rate.for_event(session, event),
    )
    return HTML(string=html).write_pdf()
