"""What happens on an event's day: door scans, interviews at the booths, outcomes and hires."""

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from app.models import (
    CheckIn,
    CheckInKind,
    Event,
    HireStatus,
    Interview,
    InterviewSource,
    Outcome,
    RegistrationSource,
    RegistrationStatus,
)
from app.services.demo.answers import INTERVIEW_NOTES, SECOND_INTERVIEW_PLACES
from app.services.demo.clock import CHICAGO, as_minutes, between, chicago_time, first_gap, overlaps
from app.services.demo.draws import seeded_nonce, weighted
from app.services.demo.employers import HOUR
from app.services.demo.loader import DemoLoad
from app.services.demo.records import Booth, Registrant, Slot, interview_hours


def add_checkins(
    load: DemoLoad,
    rng: random.Random,
    event: Event,
    registrants: list[Registrant],
    attendees: list[Registrant],
) -> None:
    """One entry scan per attendee, a few scanned offline, one scanned twice by two offline
    devices, one cancelled badge and a handful of codes that match nothing."""
    rows = []

    def scan(scanned_at: datetime, **fields: object) -> dict:
        row: dict[str, Any] = {
            "event_id": event.id,
            "registration_id": None,
            "raw_code": None,
            "device_token_id": None,  # nosec B105
            "user_id": load.volunteer_id,
            "scanned_at": scanned_at,
            "received_at": scanned_at + timedelta(seconds=rng.randint(1, 4)),
            "nonce": seeded_nonce(rng),
            "kind": CheckInKind.ENTRY,
            "successful": True,
            "error_code": None,
            "is_offline": False,
            "is_duplicate": False,
            "undoes_id": None,
        }
        row.update(fields)
        rows.append(row)
        return row

    offline = set(rng.sample(range(len(attendees)), 6))
    for i, reg in enumerate(attendees):
        if i in offline:
            scan(reg.arrival, registration_id=reg.id, is_offline=True,
                 received_at=reg.arrival + as_minutes(rng.uniform(8, 25)))
        else:
            scan(reg.arrival, registration_id=reg.id)
    twice = attendees[sorted(offline)[0]]
    again = twice.arrival + timedelta(seconds=rng.randint(20, 90))
    scan(again, registration_id=twice.id, is_offline=True, is_duplicate=True,
         received_at=again + as_minutes(rng.uniform(8, 25)))
    cancelled = next(r for r in registrants if r.status == RegistrationStatus.CANCELLED)
    scan(between(rng, event.starts_at, event.ends_at), registration_id=cancelled.id, successful=False,
         error_code="cancelled")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for _ in range(5):
        scan(between(rng, event.starts_at, event.ends_at), successful=False, error_code="unknown_code",
             raw_code="".join(rng.choice(alphabet) for _ in range(22)))
    rows.sort(key=lambda row: row["received_at"])
    load.session.execute(insert(CheckIn), rows)
    load.summary["checkins_created"] += len(rows)


def add_interviews(
    load: DemoLoad,
    rng: random.Random,
    event: Event,
    booths: list[Booth],
    registrants: list[Registrant],
    attendees: list[Registrant],
    *,
    cutoff: datetime | None = None,
) -> list[dict]:
    """Bookings made before the day, then the day itself: booked interviews (or no-shows) and
    walk-ups queued between them, each booth seeing one person per interviewer at a time.

    With a ``cutoff`` (an event under way), the day stops there: what had not happened yet is left
    out, people who joined a line are still waiting in it, interviews begun are under way, and
    offers made are still pending."""
    cutoff = cutoff or load.now

    def record(row: dict, booth: Booth, began: datetime, done: datetime) -> None:
        row.update(started_at=began)
        if done + timedelta(minutes=3) <= cutoff:
            _record_outcome(
                rng, row, booth, done, day, load.now, event.ends_at, confirm_hires=cutoff >= event.ends_at
            )

    starts = event.starts_at
    day = starts.astimezone(CHICAGO).date()
    # Per booth, per interviewer, and per person: when they are busy.
    interviewer_busy: dict[int, list[list[tuple[datetime, datetime]]]] = {
        id(b): [[] for _ in range(b.participation.interviewers)] for b in booths
    }
    person_busy: dict[int, list[tuple[datetime, datetime]]] = {r.id: [] for r in registrants}
    visited: dict[int, set[int]] = {r.id: set() for r in registrants}

    # Bookings: about a third of those registered booked one or two slots.
    booked: list[tuple[Registrant, Booth, Slot, int]] = []
    for reg in registrants:
        if reg.source == RegistrationSource.WALK_IN or reg.cancelled_at or rng.random() >= 0.35:
            continue
        earliest = (reg.arrived_at or starts) + as_minutes(5)
        for _ in range(weighted(rng, {1: 7, 2: 3})):
            for _attempt in range(20):
                booth = rng.choice(booths)
                slot = rng.choice(booth.slots)
                if (not slot.is_blocked and slot.starts_at >= earliest
                        and slot.seats_taken < booth.participation.interviewers
                        and booth.participation.id not in visited[reg.id]
                        and not overlaps(slot.starts_at, slot.ends_at, person_busy[reg.id])):
                    break
            else:
                continue
            slot.seats_taken += 1
            visited[reg.id].add(booth.participation.id)
            person_busy[reg.id].append((slot.starts_at, slot.ends_at))
            booked.append((reg, booth, slot, slot.seats_taken))
    booking_ids = load.add_bookings([
        {"slot_id": slot.id, "slot_capacity": slot.capacity, "participation_id": booth.participation.id,
         "registration_id": reg.id, "seat": seat,
         "created_at": between(rng, reg.created_at, max(reg.created_at, starts - timedelta(hours=1))),
         "cancelled_at": None}
        for reg, booth, slot, seat in booked
    ])

    # From here on, busy means really talking to someone; booked interviews may start late.
    person_busy = {r.id: [] for r in registrants}
    rows = []
    in_order = sorted(zip(booked, booking_ids, strict=True), key=lambda item: item[0][2].starts_at)
    for (reg, booth, slot, seat), booking_id in in_order:
        if slot.starts_at > cutoff:
            continue  # still to come: the booth shows it under "Booked: now and next"
        row = _interview_row(reg, booth, InterviewSource.BOOKED, booking_id, queued_at=slot.starts_at)
        if reg.arrived_at is None:
            if slot.ends_at + as_minutes(5) > cutoff:
                continue
            row.update(outcome=Outcome.NO_SHOW, recorded_at=slot.ends_at + as_minutes(5))
        else:
            length = as_minutes(booth.participation.interview_minutes)
            seat_busy = interviewer_busy[id(booth)][seat - 1]
            began = first_gap(
                slot.starts_at + as_minutes(rng.randint(0, 4)), length, seat_busy + person_busy[reg.id]
            )
            done = began + length
            seat_busy.append((began, done))
            person_busy[reg.id].append((began, done))
            if began > cutoff:
                continue
            record(row, booth, began, done)
        rows.append(row)

    # Walk-ups: in order of arrival, each person queues at a few more booths.
    for reg in attendees:
        cursor = reg.arrival + as_minutes(rng.uniform(2, 8))
        others = [b for b in booths if b.participation.id not in visited[reg.id]]
        for booth in rng.sample(others, min(len(others), weighted(rng, {0: 2, 1: 4, 2: 3, 3: 2}))):
            p = booth.participation
            opens, closes = interview_hours(p)
            queued = max(cursor + as_minutes(rng.uniform(1, 5)), opens)
            if queued > cutoff:
                break
            length = as_minutes(p.interview_minutes)
            if rng.random() < 0.04:  # gave up waiting
                left = queued + as_minutes(rng.uniform(12, 25))
                row = _interview_row(reg, booth, InterviewSource.WALK_UP, None, queued_at=queued)
                if left > cutoff:
                    rows.append(row)  # still in the line, for now
                    break
                row.update(outcome=Outcome.NO_SHOW, recorded_at=left)
                rows.append(row)
                cursor = left
                continue
            options = [
                (first_gap(queued + as_minutes(1), length, busy + person_busy[reg.id]), n)
                for n, busy in enumerate(interviewer_busy[id(booth)])
            ]
            began, interviewer = min(options)
            done = began + length
            if done > closes or began - queued > as_minutes(35):
                continue  # the line was too long: they tried another booth
            interviewer_busy[id(booth)][interviewer].append((began, done))
            person_busy[reg.id].append((began, done))
            visited[reg.id].add(p.id)
            row = _interview_row(reg, booth, InterviewSource.WALK_UP, None, queued_at=queued)
            if began <= cutoff:
                record(row, booth, began, done)
            rows.append(row)  # begun after the cutoff: still waiting in the line
            cursor = done

    rows.sort(key=lambda row: row["queued_at"])
    load.session.execute(insert(Interview), rows)
    load.summary["interviews_created"] += len(rows)
    return rows


def _interview_row(
    reg: Registrant, booth: Booth, source: InterviewSource, booking_id: int | None, *, queued_at: datetime
) -> dict:
    return {
        "registration_id": reg.id,
        "participation_id": booth.participation.id,
        "position_id": None,
        "booking_id": booking_id,
        "source": source,
        "client_nonce": None,
        "queued_at": queued_at,
        "started_at": None,
        "outcome": None,
        "recorded_at": None,
        "recorded_by_token_id": None,  # nosec B105
        "recorded_by_user_id": None,
        "offer_wage_cents": None,
        "offer_wage_unit": None,
        "offer_start_date": None,
        "offer_conditions": [],
        "second_interview_at": None,
        "second_interview_place": None,
        "notes": "",
        "hire_status": None,
        "hired_start_date": None,
        "hire_confirmed_at": None,
        "created_at": queued_at,
    }


#: How often the recruiters in the demo record each outcome of an interview that took place; a kind
#: not named here (a new one) still shows up, now and then. No-shows come from the bookings.
OUTCOME_WEIGHTS: dict[Outcome, int] = {
    Outcome.NOT_SELECTED: 42, Outcome.SECOND_INTERVIEW: 30,
    Outcome.CONDITIONAL_OFFER: 22, Outcome.HIRED_ON_THE_SPOT: 4,
}
OUTCOME_WEIGHTS |= {o: 2 for o in Outcome.where(booth_choice=True, held=True) if o not in OUTCOME_WEIGHTS}


def _record_outcome(
    rng: random.Random,
    row: dict,
    booth: Booth,
    done: datetime,
    day: date,
    now: datetime,
    event_end: datetime,
    *,
    confirm_hires: bool = True,
) -> None:
    """What the recruiter recorded after an interview, and (for offers) whether the person was hired
    (``confirm_hires``: the event is over and employers have answered; else offers are pending)."""
    outcome = weighted(rng, OUTCOME_WEIGHTS)
    row.update(outcome=outcome, recorded_at=done + timedelta(seconds=rng.randint(20, 150)))
    if rng.random() < 0.8 or outcome.kind.needs_terms:
        row["position_id"] = rng.choice(booth.positions).id
    if rng.random() < 0.35:
        row["notes"] = rng.choice(INTERVIEW_NOTES)
    if outcome.kind.second_interview:
        row.update(
            second_interview_at=chicago_time(
                day + timedelta(days=rng.randint(2, 9)), rng.choice((9, 10, 13, 14))
            ),
            second_interview_place=rng.choice(SECOND_INTERVIEW_PLACES),
        )
        return
    if not outcome.kind.needs_terms:
        return
    position = next(p for p in booth.positions if p.id == row["position_id"])
    step = 25 if position.wage_unit == HOUR else 50_000
    low, high = (
        position.wage_min_cents or 0,
        position.wage_max_cents or 0,
    )  # the demo's job orders all have both
    wage = rng.randrange(low, high + 1, step)
    start_date = day + timedelta(days=rng.choice((7, 14, 14, 21, 28)))
    row.update(offer_wage_cents=wage, offer_wage_unit=position.wage_unit, offer_start_date=start_date)
    if outcome.kind.conditions:
        row["offer_conditions"] = weighted(
            rng,
            {
                ("background_check",): 6,
                ("background_check", "drug_screen"): 2,
                ("background_check", "reference_check"): 1,
                (): 1,
            },
        )
        row["offer_conditions"] = list(row["offer_conditions"])
    if outcome.kind.hired:
        status = HireStatus.HIRED
        if confirm_hires:
            status = weighted(rng, {HireStatus.HIRED: 9, HireStatus.DECLINED: 1})
    else:
        status = weighted(rng, {HireStatus.HIRED: 55, HireStatus.PENDING: 30, HireStatus.DECLINED: 15})
        if not confirm_hires:
            status = HireStatus.PENDING
    row["hire_status"] = status
    if outcome.kind.hired and not confirm_hires:
        row["hire_confirmed_at"] = row["recorded_at"]
    elif status != HireStatus.PENDING:
        latest = max(
            event_end + timedelta(days=3), min(event_end + timedelta(days=25), now - timedelta(hours=1))
        )
        row["hire_confirmed_at"] = between(rng, event_end + timedelta(days=3), latest)
    if status == HireStatus.HIRED:
        row["hired_start_date"] = start_date + timedelta(days=rng.choice((0, 0, 0, 7)))
