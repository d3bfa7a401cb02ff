"""Every kind of interview outcome, whatever ``Outcome`` holds today, is saved by the database,
offered at the booth, and shown on every page, export and report that shows outcomes, with the
counts its kind says it counts in. A new kind is one more row of ``Outcome`` (plus its migration
and its Spanish): this file tests it without being changed."""

import csv
import io
import subprocess
from datetime import timedelta

import pytest
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import select

from app.models import Interview, Outcome, Referral, Role, TokenScope, WageUnit, utcnow
from app.services import interviews, placements, reports
from app.services.tokens import issue_token
from tests import factories
from tests.conftest import csrf_token


def _booth_form(outcome: Outcome, position_id: int, today) -> dict:
    """What a recruiter fills in at the booth before saving ``outcome``: what its kind asks for."""
    form: dict = {"outcome": outcome.value}
    if outcome.kind.needs_terms:
        form |= {"position_id": position_id, "wage": "24.00", "wage_unit": WageUnit.HOUR.value,
                 "start_date": (today + timedelta(days=14)).isoformat()}
    if outcome.kind.conditions:
        form["conditions"] = ["background_check"]
    if outcome.kind.second_interview:
        form["second_date"] = (today + timedelta(days=3)).isoformat()
    return form


@pytest.fixture
def day(client, db):
    """An event under way with one booth, one partner, and one person per outcome kind: the booth
    recorded each booth kind through its own form; the others were recorded the way the system does."""
    now = utcnow()
    event = factories.make_event(db.session, slug="kinds", starts_at=now - timedelta(hours=2),
                                 ends_at=now + timedelta(hours=3), timezone="UTC")
    employer = factories.make_organization(db.session, name="Loop Logic")
    booth = factories.make_participation(db.session, event, employer)
    position = factories.make_position(db.session, booth, title="Help Desk")
    partnership = factories.make_partnership(db.session, event)
    _, booth_secret = issue_token(db.session, TokenScope.BOOTH, "Booth", participation=booth,
                                  expires_at=event.ends_at + timedelta(days=30))
    _, partner_secret = issue_token(db.session, TokenScope.PARTNER, "Partner", event=event,
                                    organization=partnership.organization)
    people = {}
    for n, outcome in enumerate(Outcome):
        person = factories.make_registration(db.session, event, factories.make_candidate(
            db.session, first_name="Person", last_name=f"Number{n}"))
        db.session.add(Referral(registration=person, partnership_id=partnership.id))
        people[outcome] = interviews.start(db.session, booth, person, now)
    db.session.commit()
    for outcome, interview in people.items():
        if outcome.kind.booth_choice:
            page = f"/booth/{booth_secret}/interviews/{interview.id}"
            response = client.post(page, data={"csrf_token": csrf_token(client, page),
                                               **_booth_form(outcome, position.id, now.date())})
            assert response.status_code == 303, (outcome, response.get_data(as_text=True)[-2000:])
        else:
            interview.outcome, interview.recorded_at = outcome, now
            interview.started_at = interview.started_at if outcome.kind.held else None
    db.session.commit()
    return {"event": event, "booth": booth, "people": people, "booth_page": f"/booth/{booth_secret}",
            "partner_page": f"/partner/{partner_secret}", "partnership": partnership}


@pytest.fixture
def staff(db, login):
    login(factories.make_user(db.session, Role.STAFF))


def test_the_database_keeps_every_kind_with_what_its_kind_records(db, day):
    saved = {i.outcome: i for i in db.session.scalars(select(Interview))}
    assert set(saved) == set(Outcome)
    for outcome, interview in saved.items():
        assert interview.held == outcome.kind.held
        assert interview.offered == outcome.kind.offer
        assert (interview.offer_wage_cents is not None) == outcome.kind.needs_terms
        assert bool(interview.offer_conditions) == outcome.kind.conditions
        assert interview.second_interview == outcome.kind.second_interview
        assert (interview.second_interview_at is not None) == outcome.kind.second_interview
        assert interview.hired == outcome.kind.hired


def test_the_booth_offers_every_booth_kind_and_shows_every_kind_recorded(client, day):
    board = client.get(day["booth_page"]).get_data(as_text=True)
    for outcome in Outcome:
        assert f'pill--{outcome.kind.tone}">{escape(str(outcome.label))}</span>' in board, outcome
    no_show = day["people"][Outcome.NO_SHOW]
    choice = client.get(f"{day['booth_page']}/interviews/{no_show.id}").get_data(as_text=True)
    for outcome in Outcome:
        assert (f'value="{outcome.value}"' in choice) == outcome.kind.booth_choice, outcome
        if outcome.kind.details:
            assert f'data-save="{outcome.value}"' in choice and f"Save {str(outcome.label).lower()}" in choice


def test_staff_confirm_hires_for_every_kind_on_the_hire_path(client, day, staff):
    booth = day["booth"]
    page = client.get(f"/staff/events/kinds/employers/{booth.id}/hires").get_data(as_text=True)
    for outcome in Outcome:
        pill = f'pill--{outcome.kind.tone}">{escape(str(outcome.label))}</span>'
        assert (pill in page) == outcome.kind.hire_path


def test_the_dashboard_and_the_report_count_every_kind_once(client, day, staff, tmp_path):
    dashboard = client.get("/staff/events/kinds/dashboard").get_data(as_text=True)
    for outcome in Outcome:
        assert (f'{escape(str(outcome.label))}</span></th><td class="num">1</td>') in dashboard, outcome
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get("/staff/events/kinds/report.pdf", follow_redirects=True).data)
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(printed.split())
    outcomes = text.split("Interview outcomes", 1)[1]
    for outcome in Outcome:
        assert f"{outcome.label} 1" in outcomes, outcome


def test_the_interviews_export_names_every_kind_and_reads_it_as_the_funnel_does(client, day, staff):
    rows = list(csv.DictReader(io.StringIO(
        client.get("/staff/events/kinds/export/interviews.csv").get_data(as_text=True).lstrip("\ufeff"))))
    by_outcome = {Outcome(row["outcome"]): row for row in rows}
    assert set(by_outcome) == set(Outcome)
    for outcome, row in by_outcome.items():
        flags = (outcome.kind.held, outcome.kind.offer, outcome.kind.hired)
        expected = tuple("yes" if flag else "no" for flag in flags)
        assert (row["held"], row["offered"], row["hired"]) == expected, outcome


def test_the_partner_page_and_the_report_agree_on_every_kind(client, db, day):
    numbers = reports.event_numbers(db.session, day["event"], utcnow())
    [referrals] = placements.partner_results(db.session, day["partnership"].organization)
    assert referrals.funnel.stages == numbers.funnel
    second_interviews = len(Outcome.where(second_interview=True))
    assert referrals.second_interviews == numbers.headline.second_interviews == second_interviews
    assert numbers.funnel[2:] == [("Interviewed", len(Outcome.where(held=True))),
                                  ("Offered a job", len(Outcome.where(offer=True))),
                                  ("Hired", len(Outcome.where(hired=True)))]
    page = client.get(day["partner_page"]).get_data(as_text=True)
    for label, people in numbers.funnel:
        stat = f'<span class="stat__value">{people}</span>\n    <span class="stat__label">{label}</span>'
        assert stat in page


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_kind_reads_in_spanish(app, outcome):
    with app.test_request_context("/"):
        with force_locale("en"):
            english = str(outcome.label)
        with force_locale("es"):
            assert str(outcome.label) != english, "add its Spanish to messages.po"
