"""The dashboard, the report PDF and the exports show the numbers the records hold."""

import csv
import io
import itertools
import re
import subprocess
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.models import (
    CheckIn,
    EventStatus,
    HireStatus,
    Interview,
    InterviewSource,
    Outcome,
    Referral,
    RegistrationSource,
    RegistrationStatus,
    Role,
    WageUnit,
)
from app.services import reports
from tests import factories

START = factories.EVENT_START


@pytest.fixture
def event(db):
    """12 registered (10 online + 2 walk-ins, 1 cancelled besides), 8 came; 2 employers;
    5 interviews held, 1 second interview, 2 offers (1 hired), 1 no-show."""
    session = db.session
    event = factories.make_event(session, slug="tech", name="Techapalooza", capacity=None)
    hotel = factories.make_participation(
        session, event, factories.make_organization(session, name="Loop Logic"), table_number="1"
    )
    cloud = factories.make_participation(
        session, event, factories.make_organization(session, name="Prairie Cloud"), table_number="2"
    )
    analyst = factories.make_position(
        session,
        hotel,
        title="Data Analyst",
        wage_min_cents=6_500_000,
        wage_max_cents=7_500_000,
        wage_unit=WageUnit.YEAR,
    )
    helpdesk = factories.make_position(
        session, cloud, title="Help Desk", wage_min_cents=2200, wage_max_cents=2600
    )
    partner = factories.make_partnership(session, event, referral_code="NORTH001")
    other_partner = factories.make_partnership(session, event, referral_code="SOUTH001")
    people = [
        factories.make_registration(
            session,
            event,
            candidate=factories.make_candidate(session, zip_code="60608" if i < 6 else "60623"),
        )
        for i in range(10)
    ]
    people += [
        factories.make_registration(
            session,
            event,
            source=RegistrationSource.WALK_IN,
            candidate=factories.make_candidate(session, zip_code="60609"),
        )
        for _ in range(2)
    ]
    factories.make_registration(session, event, status=RegistrationStatus.CANCELLED, cancelled_at=START)
    for n, person in enumerate(people[:6] + people[10:]):  # 6 pre-registered + 2 walk-ins came
        session.add(
            CheckIn(
                event_id=event.id,
                registration_id=person.id,
                scanned_at=START + timedelta(minutes=5 + 20 * n),
                nonce=f"n{n}",
                successful=True,
            )
        )
    session.add(
        CheckIn(
            event_id=event.id,
            raw_code="nope",
            scanned_at=START,
            nonce="bad",
            successful=False,
            error_code="unknown_code",
        )
    )

    def interview(person, booth, outcome, **offer):
        session.add(
            Interview(
                registration=person,
                participation=booth,
                source=InterviewSource.WALK_UP,
                started_at=START,
                outcome=outcome,
                recorded_at=START + timedelta(hours=1),
                **offer,
            )
        )
    interview(people[0], hotel, Outcome.CONDITIONAL_OFFER, position=analyst, offer_wage_cents=7_000_000,
              offer_wage_unit=WageUnit.YEAR, hire_status=HireStatus.HIRED)
    interview(people[1], cloud, Outcome.CONDITIONAL_OFFER, position=helpdesk, offer_wage_cents=2400,
              offer_wage_unit=WageUnit.HOUR, hire_status=HireStatus.PENDING)
    interview(people[2], cloud, Outcome.SECOND_INTERVIEW)
    interview(people[3], hotel, Outcome.NOT_SELECTED)
    interview(people[10], hotel, Outcome.NOT_SELECTED)
    interview(people[7], cloud, Outcome.NO_SHOW)
    session.add_all([Referral(registration=people[0], partnership_id=partner.id),
                     Referral(registration=people[0], partnership_id=other_partner.id),
                     Referral(registration=people[8], partnership_id=partner.id)])
    session.commit()
    return event


def test_the_numbers_come_from_the_records(db, event):
    numbers = reports.event_numbers(db.session, event, START + timedelta(days=1))
    h = numbers.headline
    assert (h.pre_registered, h.attended, h.attended_pre_registered, h.walk_ins) == (10, 8, 6, 2)
    assert (h.employers, h.positions, h.interviews, h.second_interviews, h.offers, h.hires) == (
        2,
        2,
        5,
        1,
        2,
        1,
    )
    assert h.show_rate == pytest.approx(0.6) and h.offer_share == pytest.approx(2 / 8)
    # People at each step: the 10 pre-registered and 2 walk-ins, of whom 8 came, 5 were interviewed…
    assert numbers.funnel == [("Registered", 12), ("Checked in", 8), ("Interviewed", 5),
                              ("Offered a job", 2), ("Hired", 1)]
    assert sum(count for _, count in numbers.arrivals) == 8
    north = next(row for row in numbers.partners if row.label == event.partnerships[0].organization.name)
    assert north.values == {
        "referred": 2,
        "attended": 1,
        "interviewed": 1,
        "offers": 1,
        "hires": 1,
        "shared_hires": 1,
    }
    hourly, yearly = numbers.wages
    assert (hourly.count, hourly.median_cents, yearly.median_cents) == (1, 2400, 7_000_000)


def test_small_zip_cells_are_suppressed(db, event):
    rows = {row.label: row.values for row in reports.event_numbers(db.session, event, START).zip_codes}
    assert rows["60608"] == {"registered": "6", "attended": "6", "offers": "<5"}
    pooled = next(values for label, values in rows.items() if label.startswith("2 other ZIP codes"))
    assert pooled == {"registered": "6", "attended": "<5", "offers": "0"}  # 60623 (4 people) and 60609 (2)
    assert "60623" not in rows and "60609" not in rows  # never listed alone
    assert reports.suppressed(0) == "0" and reports.suppressed(4) == "<5" and reports.suppressed(5) == "5"


def test_the_report_pdf_prints_the_same_numbers(client, db, login, event, tmp_path):
    login(factories.make_user(db.session, Role.STAFF))
    response = client.get("/staff/events/tech/report.pdf", follow_redirects=True)
    assert response.headers["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert (
        {
            "Pre-registered": "10",
            "Attended": "8",
            "Show rate (pre-registered": "60%",
            "Walk-ins": "2",
            "Employers": "2",
            "Interviews held (count)": "5",
            "Second interviews": "1",  # its "(count)" wraps to the next line
            "Positions / openings": "2/2",
            "Offers made (count)": "2",
            "Attendees with an offer": "25%",
            "Hires confirmed (count)": "1",
        }.items()
        <= tiles(text).items()
    ), tiles(text)
    assert "$70,000" in text and "$24.00" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts (letter)" in info
    assert "Page 2 of" in text


def tiles(layout_text: str) -> dict[str, str]:
    """The "at a glance" tiles of a ``pdftotext -layout`` page: a row of values over a row of labels."""
    lines = [line for line in layout_text.splitlines() if line.strip()]
    found: dict[str, str] = {}
    for above, line in itertools.pairwise(lines):
        values, labels = re.split(r"\s{2,}", above.strip()), re.split(r"\s{2,}", line.strip())
        if len(values) == len(labels) == 4 and all(re.fullmatch(r"[\d,%/ –]+", v) for v in values):
            found |= dict(zip(labels, values, strict=True))
    return found


def test_csv_exports_have_their_columns_and_rows(client, db, login, event):
    login(factories.make_user(db.session, Role.STAFF))
    expected = {"registrations": 13, "checkins": 9, "interviews": 6, "offers": 2}
    for kind, count in expected.items():
        response = client.get(f"/staff/events/tech/export/{kind}.csv")
        assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert len(rows) == count, kind
    registrations = list(
        csv.DictReader(
            io.StringIO(client.get("/staff/events/tech/export/registrations.csv").data.decode("utf-8-sig"))
        )
    )
    assert {"registration_id", "first_name", "email", "checked_in_at"} <= set(registrations[0])
    assert all(row["email"] == "" for row in registrations if row["consent_email"] == "no")


def test_the_dashboard_and_its_live_numbers(client, db, login, event):
    login(factories.make_user(db.session, Role.STAFF))
    page = client.get("/staff/events/tech/dashboard").get_data(as_text=True)
    assert 'hx-trigger="every 5s"' in page and "Loop Logic" in page
    live = client.get("/staff/events/tech/dashboard/live").get_data(as_text=True)
    assert re.search(r'stat__value">8</span><span class="stat__label">Checked in', live)


def test_volunteers_get_no_reports(client, db, login, event):
    login(factories.make_user(db.session, Role.VOLUNTEER))
    for path in [
        "/staff/events/tech/report.pdf",
        "/staff/events/tech/dashboard",
        "/staff/events/tech/export/registrations.csv",
    ]:
        assert client.get(path).status_code == 403


def test_survey_answers_in_the_report_hide_small_counts(client, db, login, event, tmp_path):
    from app.models import Audience, Phase, Survey
    from app.services.surveys import add_default_surveys, record_response

    add_default_surveys(db.session, event)
    pre = (
        db.session.query(Survey)
        .filter_by(event_id=event.id, audience=Audience.CANDIDATE, phase=Phase.PRE)
        .one()
    )
    people = list(event_registrations(db, event))[:6]
    for n, person in enumerate(people):
        status = "student" if n == 0 else "unemployed"  # 1 student, 5 unemployed
        record_response(db.session, pre, {"employment_status": status}, registration=person)
    db.session.commit()
    login(factories.make_user(db.session, Role.STAFF))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get("/staff/events/tech/report.pdf", follow_redirects=True).data)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Not working and looking for work: 5 (83%)" in text
    assert "In school or training: <5" in text and "In school or training: 1" not in text


def event_registrations(db, event):
    from app.models import Registration

    return db.session.query(Registration).filter_by(event_id=event.id).order_by(Registration.id).all()


def test_an_unknown_event_is_a_404_not_an_error(client, db, login):
    login(factories.make_user(db.session, Role.STAFF))
    for path in ["/staff/events/nope/report.pdf", "/staff/events/nope/dashboard", "/staff/events/nope/import",
                 "/staff/events/nope/badges", "/staff/events/nope/surveys"]:
        assert client.get(path).status_code == 404, path


EVIL = '=HYPERLINK("http://evil.example","x")'


def test_a_name_that_looks_like_a_formula_stays_text_in_every_export(client, db, login, event):
    from openpyxl import load_workbook  # reads back what Excel would open

    person = (
        db.session.scalars(select(Interview).where(Interview.outcome == Outcome.CONDITIONAL_OFFER))
        .first()
        .registration
    )
    person.candidate.first_name, person.candidate.last_name = EVIL, "+Sofía"
    db.session.commit()
    login(factories.make_user(db.session, Role.STAFF))
    for kind in ("registrations", "interviews", "offers"):
        body = client.get(f"/staff/events/tech/export/{kind}.csv").data
        assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark: Excel reads "Sofía"
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        mine = next(r for r in rows if r["registration_id"] == str(person.id))
        assert (mine["first_name"], mine["last_name"]) == ("'" + EVIL, "'+Sofía")
        assert not any(
            value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values() if value
        )

        response = client.get(f"/staff/events/tech/export/{kind}.xlsx")
        assert (
            response.headers["Content-Type"]
            == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        sheet = load_workbook(io.BytesIO(response.data)).active
        header = [c.value for c in sheet[1]]
        cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
        assert cells[EVIL].data_type == "s" and cells["+Sofía"].data_type == "s"  # text, not a formula
        assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
        ids = [row[header.index("registration_id")].value for row in sheet.iter_rows(min_row=2)]
        assert all(isinstance(i, int) for i in ids)  # numbers stay numbers


def test_every_time_in_an_export_says_its_zone(client, db, login, event):
    login(factories.make_user(db.session, Role.STAFF))
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/staff/events/tech/export/checkins.csv").data.decode("utf-8-sig"))
        )
    )
    assert rows and all(
        re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d", r["scanned_at"]) for r in rows
    )


def test_the_report_compares_with_the_last_completed_event_of_the_series_with_data(db, event):
    event.series = "techapalooza"
    earlier = factories.make_event(
        db.session,
        slug="tech-spring",
        name="Techapalooza Spring",
        series="techapalooza",
        starts_at=START - timedelta(days=120),
        ends_at=START - timedelta(days=120) + timedelta(hours=3),
        status=EventStatus.CLOSED,
    )
    factories.make_registration(db.session, earlier)
    # A draft dated in between, and a past event nobody registered for: neither says anything.
    factories.make_event(
        db.session,
        slug="tech-draft",
        series="techapalooza",
        status=EventStatus.DRAFT,
        starts_at=START - timedelta(days=30),
        ends_at=START - timedelta(days=30) + timedelta(hours=3),
    )
    factories.make_event(
        db.session,
        slug="tech-empty",
        series="techapalooza",
        status=EventStatus.CLOSED,
        starts_at=START - timedelta(days=60),
        ends_at=START - timedelta(days=60) + timedelta(hours=3),
    )
    db.session.commit()
    assert reports.previous_in_series(db.session, event, START + timedelta(days=1)) == earlier
    # Nothing completed before the first of a series: no comparison at all.
    assert reports.previous_in_series(db.session, earlier, START) is None


def test_the_dashboard_closes_interviews_left_open_after_the_day(client, db, login, event):
    talking = db.session.scalars(select(Interview).where(Interview.outcome == Outcome.SECOND_INTERVIEW)).one()
    talking.outcome = talking.recorded_at = None  # started at the booth, never recorded
    db.session.commit()
    staff = factories.make_user(db.session, Role.STAFF)
    with time_machine.travel(START + timedelta(days=1, hours=12), tick=False):  # the event day is over
        login(staff)
        assert client.get("/staff/events/tech/dashboard").status_code == 200
    db.session.refresh(talking)
    assert talking.outcome == Outcome.NOT_RECORDED and talking.held
