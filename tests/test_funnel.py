"""The funnel never grows from one step to the next, on any page, whatever happened at the event.

A property test writes random event histories into the real database (people registered,
waitlisted or cancelled, some checked in, interviews with every outcome, offers, hires confirmed
at the booth or recorded by staff after a second interview, partners sharing people) and reads
them back through every view: the dashboard and report numbers, each partner's row in the report,
each partner's own page, and the exports. Each says registered >= checked in >= interviewed >=
offered >= hired, and they all say the same numbers."""

import csv
import io
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.models import (
    CheckIn,
    HireStatus,
    Interview,
    InterviewSource,
    Outcome,
    Referral,
    RegistrationSource,
    RegistrationStatus,
    WageUnit,
)
from app.services import exports, placements, reports
from app.services.funnel import STAGES
from tests import factories

START = factories.EVENT_START

people = st.lists(
    st.fixed_dictionaries({
        "status": st.sampled_from(list(RegistrationStatus)),
        "walk_in": st.booleans(),
        "checked_in": st.booleans(),
        "partners": st.sets(st.integers(0, 1), max_size=2),
    }),
    min_size=1, max_size=10,
)
interviews = st.lists(
    st.fixed_dictionaries({
        "person": st.integers(0, 9),
        "booth": st.integers(0, 1),
        "outcome": st.sampled_from([None, *Outcome]),
        # What happened after the event: nothing, hired, declined, still pending.
        "hire": st.sampled_from([None, HireStatus.HIRED, HireStatus.DECLINED, HireStatus.PENDING]),
    }),
    max_size=14,
)


def _write_history(session, history_people, history_interviews):
    event = factories.make_event(
        session, name="Property fair", starts_at=START, ends_at=START + timedelta(hours=4)
    )
    booths = [factories.make_participation(session, event) for _ in range(2)]
    partners = [factories.make_partnership(session, event) for _ in range(2)]
    registrations = []
    for n, person in enumerate(history_people):
        registration = factories.make_registration(
            session, event, status=person["status"],
            source=RegistrationSource.WALK_IN if person["walk_in"] else RegistrationSource.ONLINE,
            cancelled_at=START if person["status"] == RegistrationStatus.CANCELLED else None,
        )
        registrations.append(registration)
        if person["checked_in"]:
            session.add(CheckIn(event_id=event.id, registration_id=registration.id, successful=True,
                                scanned_at=START + timedelta(minutes=n), nonce=f"prop-{registration.id}"))
        for p in person["partners"]:
            session.add(Referral(registration=registration, partnership_id=partners[p].id))
    open_at: set[tuple[int, int]] = set()
    for item in history_interviews:
        registration = registrations[item["person"] % len(registrations)]
        booth = booths[item["booth"]]
        outcome: Outcome | None = item["outcome"]
        if outcome is None:
            if (registration.id, booth.id) in open_at:  # one open interview per person per booth
                continue
            open_at.add((registration.id, booth.id))
        row = Interview(registration=registration, participation=booth, source=InterviewSource.WALK_UP,
                        queued_at=START, started_at=START if outcome is None or outcome.kind.held else None,
                        outcome=outcome, recorded_at=START + timedelta(hours=1) if outcome else None)
        if outcome is not None and outcome.kind.needs_terms:
            row.offer_wage_cents, row.offer_wage_unit = 2000, WageUnit.HOUR
        if outcome is not None and outcome.kind.hired:
            row.hire_status, row.hired_start_date = HireStatus.HIRED, date(2027, 1, 4)
        elif outcome is not None and outcome.kind.hire_path and item["hire"] is not None:
            row.hire_status = item["hire"]
            if not outcome.kind.offer:  # staff recorded the offer with the hire
                row.later_offer_at = START + timedelta(days=3)
        session.add(row)
    session.flush()
    return event, registrations


def _non_increasing(values: list[int]) -> bool:
    return all(a >= b for a, b in itertools.pairwise(values))


def _csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people, interviews)
def test_no_view_ever_shows_more_at_a_later_step(db, history_people, history_interviews):
    session = db.session
    event, _registrations = _write_history(session, history_people, history_interviews)
    numbers = reports.event_numbers(session, event, START + timedelta(days=30))

    # The dashboard and the report: people at each step, and the counts behind them.
    funnel = numbers.headline.funnel
    assert [label for label, _ in numbers.funnel] == [label for _, label in STAGES]
    assert _non_increasing([people for _, people in numbers.funnel]), numbers.funnel
    h = numbers.headline
    assert h.interviews >= h.offers >= h.hires
    assert h.attended >= h.people_with_offer
    # The employer table's totals are the headline's counts (one definition, summed two ways).
    assert sum(r.interviews for r in numbers.employers) == h.interviews
    assert sum(r.offers for r in numbers.employers) == h.offers
    assert sum(r.hires for r in numbers.employers) == h.hires
    for row in numbers.employers:
        assert row.interviews >= row.offers >= row.hires
    for row in numbers.sectors:
        assert row.values["interviews"] >= row.values["offers"] >= row.values["hires"]

    # Each partner, in the report and on its own page: the same monotone numbers.
    report_rows = {row.label: row.values for row in numbers.partners}
    for partnership in event.partnerships:
        row = report_rows[partnership.organization.name]
        assert _non_increasing(
            [row["referred"], row["attended"], row["interviewed"], row["offers"], row["hires"]]
        )
        page = next(
            r for r in placements.partner_results(session, partnership.organization) if r.event.id == event.id
        )
        stages = [people for _, people in page.funnel.stages]
        assert _non_increasing(stages)
        assert stages[1:] == [row["attended"], row["interviewed"], row["offers"], row["hires"]]
        assert page.placements == row["hires"]

    # The exports count the same interviews, offers and hires, and check-ins, as the report.
    rows = _csv_rows(exports.export_file(session, event, "interviews", "csv")[0])
    held, offered, hired = (sum(r[k] == "yes" for r in rows) for k in ("held", "offered", "hired"))
    assert (held, offered, hired) == (h.interviews, h.offers, h.hires)
    assert len(_csv_rows(exports.export_file(session, event, "offers", "csv")[0])) == h.offers
    registered = _csv_rows(exports.export_file(session, event, "registrations", "csv")[0])
    assert sum(1 for r in registered if r["checked_in_at"]) <= funnel.people("checked_in")


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_kind_is_a_step_of_the_funnel(outcome):
    kind = outcome.kind
    assert outcome.label
    assert not kind.offer or kind.held  # an offer was an interview
    assert not kind.hired or kind.offer  # a hire was an offer
    assert not kind.offer or kind.hire_path
    assert kind.needs_terms == (kind.details == "offer")
