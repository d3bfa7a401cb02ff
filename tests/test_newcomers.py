"""What newcomers, staff and Spanish readers trip over: links that follow PORT, past events, every
mistake in one submit, confirmations, Spanish text, staff warnings and checklists, booth links for
all, names in the audit trail, people search."""

import email
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from app.models import (
    Audience,
    AuditEntry,
    EventStatus,
    Language,
    ManageLinkReason,
    Outcome,
    Phase,
    Registration,
    RegistrationStatus,
    Role,
    Survey,
    WageUnit,
    utcnow,
)
from app.services import event_readiness, interviews, registration as registrations
from app.services.booking_mail import interviews_ics
from app.services.errors import DomainErrors
from app.services.registration import RegistrationDetails
from app.services.surveys import add_default_surveys
from app.urls import badge_url, public_url
from tests import factories
from tests.conftest import csrf_token

#: A week before the factories' event (10 December 2026).
BEFORE = factories.EVENT_START - timedelta(days=7)
START = factories.EVENT_START


@pytest.fixture(autouse=True)
def clock():
    """A week before the event, ticking (sessions need it), set before anyone signs in."""
    with time_machine.travel(BEFORE, tick=True):
        yield


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    return tmp_path / "outbox"


def mails(outbox: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(outbox.glob("*.eml"))
    ]


@pytest.fixture
def event(db):
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago", capacity=None,
                                 description="Walk-ins welcome. Bring your resume.",
                                 description_es="Puede llegar sin registro. Traiga su currículum.")
    hotel = factories.make_participation(
        db.session,
        event,
        factories.make_organization(db.session, name="Lakeshore Grand Hotel"),
        table_number="23",
    )
    factories.make_position(db.session, hotel, title="Room Attendant", title_es="Camarista")
    factories.make_position(db.session, hotel, title="Night Auditor")
    add_default_surveys(db.session, event)
    db.session.commit()
    return event


@pytest.fixture
def staff(db, login):
    user = factories.make_user(db.session, Role.STAFF, name="Dana Staff")
    db.session.commit()
    login(user)
    return user


# --- Setting it up --------------------------------------------------------------------------------


def test_links_made_outside_a_request_follow_port_when_base_url_is_unset(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "")
    monkeypatch.setitem(app.config, "PORT", 8191)
    with app.app_context():
        assert badge_url("abc") == "http://127.0.0.1:8191/b/abc"
    monkeypatch.setitem(app.config, "BASE_URL", "https://hire.example.org")
    with app.app_context():
        assert public_url("/r/x") == "https://hire.example.org/r/x"


def test_port_from_the_environment_reaches_the_config(monkeypatch):
    from app.config import from_environment

    monkeypatch.setenv("PORT", "8192")
    assert from_environment()["PORT"] == 8192
    monkeypatch.delenv("PORT")
    assert from_environment()["PORT"] == 8000


def test_the_home_page_lists_past_events_and_a_past_event_says_it_is_over(client, db, event):
    past = factories.make_event(db.session, slug="techapalooza-fall-2026", name="Techapalooza Fall 2026",
                                status=EventStatus.CLOSED, starts_at=START - timedelta(days=60))
    factories.make_event(db.session, slug="draft-one", name="A Draft", status=EventStatus.DRAFT,
                         starts_at=START - timedelta(days=30))
    db.session.commit()
    with time_machine.travel(BEFORE, tick=False):
        home = client.get("/").get_data(as_text=True)
        upcoming, _, past_part = home.partition("Past events")
        assert "Hospitality Hires Chicago" in upcoming and "Techapalooza Fall 2026" in past_part
        assert "A Draft" not in home
        assert "This event is over" in client.get(f"/events/{past.slug}/").get_data(as_text=True)
        assert "This event is over" not in client.get("/events/hh/").get_data(as_text=True)


# --- Career seekers -------------------------------------------------------------------------------


def test_every_problem_with_a_registration_is_found_at_once(db, event):
    details = RegistrationDetails(first_name="", last_name="García", email="not-an-email", phone="",
                                  zip_code="6060", consent_share_profile=False, survey_answers={})
    with pytest.raises(DomainErrors) as raised:
        registrations.register(db.session, event, details, BEFORE)
    fields = {problem.field for problem in raised.value.problems}
    assert fields == {"first_name", "email", "zip_code", "q_employment_status", "consent_share_profile"}
    assert db.session.scalar(select(Registration.id)) is None


def test_three_mistakes_show_after_one_submit(client, db, event):
    data = {
        "csrf_token": csrf_token(client, "/events/hh/register"),
        "first_name": "",
        "last_name": "Hernández",
        "email": "lucia@",
        "phone": "12",
        "zip_code": "606",
        "language": "es",
        "referral_code": "",
    }
    page = client.post("/events/hh/register", data=data).get_data(as_text=True)
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    for field in ("first_name", "email", "phone", "zip_code", "q_employment_status", "consent_share_profile"):
        assert f'href="#{field}"' in summary, field
    assert "autofocus" in page.split('class="error-summary"')[1][:80]
    assert db.session.scalar(select(Registration.id)) is None


def test_changing_details_shows_every_mistake_at_once(client, db, event):
    registration = factories.make_registration(db.session, event)
    token = registrations.issue_manage_link(db.session, registration, ManageLinkReason.REGISTERED, utcnow())
    db.session.commit()
    page = f"/r/{token}"
    response = client.post(f"{page}/details", data={
        "csrf_token": csrf_token(client, page), "first_name": "", "last_name": "Lopez", "phone": "12",
        "zip_code": "606", "language": "en",
    })
    summary = response.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]
    assert response.status_code == 422
    assert all(f'href="#{field}"' in summary for field in ("first_name", "phone", "zip_code"))


def test_cancelling_a_registration_asks_first(client, db, event, outbox):
    registration = factories.make_registration(db.session, event)
    token = registrations.issue_manage_link(db.session, registration, ManageLinkReason.REGISTERED, utcnow())
    db.session.commit()
    page = f"/r/{token}"
    assert f'href="{page}/cancel"' in client.get(page).get_data(as_text=True)
    question = client.get(f"{page}/cancel").get_data(as_text=True)
    assert "Cancel your registration?" in question and "No, keep my place" in question
    # A POST without the confirmation (an old page, a stray tap) only asks.
    asked = client.post(f"{page}/cancel", data={"csrf_token": csrf_token(client, page)})
    assert asked.status_code == 200 and "Yes, cancel my registration" in asked.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.REGISTERED and mails(outbox) == []
    done = client.post(f"{page}/cancel", data={"csrf_token": csrf_token(client, page), "confirmed": "1"})
    assert done.status_code == 302
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.CANCELLED and len(mails(outbox)) == 1


def test_the_booking_limit_is_said_before_a_time_is_tapped(client, db, event):
    event.max_bookings_per_candidate = 1
    hotel = event.participations[0]
    registration = factories.make_registration(db.session, event)
    token = registrations.issue_manage_link(db.session, registration, ManageLinkReason.REGISTERED, utcnow())
    from app.services import bookings

    bookings.generate_slots(db.session, hotel)
    db.session.flush()
    slot = bookings.open_slots(db.session, hotel, BEFORE)[0].slot
    bookings.book(db.session, registration, slot, BEFORE)
    db.session.commit()
    page = client.get(f"/r/{token}/interviews?employer={hotel.id}").get_data(as_text=True)
    assert "You have booked 1 interviews, the most you can book" in page
    assert 'name="slot_id"' not in page


# --- Spanish --------------------------------------------------------------------------------------


def test_spanish_pages_show_spanish_text_and_mark_english_text_as_english(client, db, event):
    spanish = client.get("/events/hh/?lang=es").get_data(as_text=True)
    assert '<p class="lead event-description">Puede llegar sin registro.' in spanish
    assert "<strong>Camarista</strong>" in spanish
    assert '<strong lang="en">Night Auditor</strong>' in spanish  # no Spanish title: read as English
    english = client.get("/events/hh/?lang=en").get_data(as_text=True)
    assert "Walk-ins welcome." in english and "Camarista" not in english and 'lang="en">Night' not in english


def test_the_spanish_interview_calendar_says_mesa(app, db, event):
    from app.services import bookings

    hotel = event.participations[0]
    registration = factories.make_registration(db.session, event, language=Language.ES)
    bookings.generate_slots(db.session, hotel)
    db.session.flush()
    booking = bookings.book(
        db.session, registration, bookings.open_slots(db.session, hotel, BEFORE)[0].slot, BEFORE
    )
    with app.test_request_context("/?lang=en"):
        ics = interviews_ics(registration, [booking], [], "https://hireday.test/r/x", BEFORE).decode()
    assert "mesa 23" in ics and "table 23" not in ics


def test_staff_save_spanish_text(client, db, event, staff):
    position = event.participations[0].positions[1]
    page = f"/staff/events/hh/positions/{position.id}/edit"
    response = client.post(page, data={
        "csrf_token": csrf_token(client, page), "title": "Night Auditor", "title_es": "Auditor nocturno",
        "openings": "1", "wage_min": "", "wage_max": "", "wage_unit": "", "employment_type": "full_time",
        "sector": "", "requirements": "",
    })
    assert response.status_code == 302
    assert "<strong>Auditor nocturno</strong>" in client.get("/events/hh/?lang=es").get_data(as_text=True)


# --- Staff ----------------------------------------------------------------------------------------


def test_staff_are_warned_but_the_event_is_saved(db, event):
    for _ in range(3):
        factories.make_registration(db.session, event)
    event.capacity = 2
    post = db.session.scalar(select(Survey).where(Survey.event_id == event.id, Survey.phase == Phase.POST,
                                                  Survey.audience == Audience.CANDIDATE))
    post.closes_at = event.ends_at - timedelta(hours=1)
    db.session.flush()
    with time_machine.travel(START + timedelta(days=3), tick=False):
        warnings = event_readiness.event_warnings(db.session, event, START + timedelta(days=3))
    text = " ".join(warnings)
    assert "dated in the past" in text
    assert "3 people are registered, more than the capacity of 2" in text and "keeps their place" in text
    assert "post-event survey closes" in text
    assert (
        db.session.scalar(select(Registration.id).where(Registration.status == RegistrationStatus.WAITLISTED))
        is None
    )


def test_the_same_job_title_twice_for_one_employer_warns(client, db, event, staff):
    hotel = event.participations[0]
    page = f"/staff/events/hh/employers/{hotel.id}/positions/new"
    client.post(page, data={
        "csrf_token": csrf_token(client, page), "title": "room attendant", "openings": "2", "wage_min": "",
        "wage_max": "", "wage_unit": "", "employment_type": "full_time", "sector": "", "requirements": "",
    })
    shown = client.get("/staff/events/hh/").get_data(as_text=True)
    assert "already has a job order called “room attendant”" in shown


def test_a_draft_event_shows_what_to_check_before_publishing(client, db, event, staff):
    event.status = EventStatus.DRAFT
    db.session.commit()
    page = client.get("/staff/events/hh/").get_data(as_text=True)
    assert "Before you publish" in page
    assert "No interview slots (career seekers cannot book ahead): Lakeshore Grand Hotel." in page
    assert "No referring partners" in page
    checklist = event_readiness.publish_checklist(db.session, event, BEFORE)
    assert [item.done for item in checklist] == [True, True, True, False, False, True]


def test_booth_links_for_every_employer_are_emailed_to_the_contacts(client, db, event, staff, outbox):
    event.participations[0].organization.contact_email = "recruiting@lakeshore.example"
    event.participations[0].organization.contact_name = "Pat Lee"
    factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="No Contact Diner")
    )
    db.session.commit()
    response = client.post("/staff/events/hh/booth-links",
                           data={"csrf_token": csrf_token(client, "/staff/events/hh/"), "email": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 of 2 links were e-mailed" in page
    assert page.count('data-copy="booth-link-') == 2
    (mail,) = mails(outbox)
    assert mail["To"] == "recruiting@lakeshore.example" and "Hello Pat Lee" in mail.get_content()
    link = next(line for line in mail.get_content().splitlines() if "/booth/" in line).strip()
    assert link in page and client.get(link.replace("https://hireday.test", "")).status_code == 200


def test_remove_employer_says_why_not_before_anyone_confirms(client, db, event, staff):
    hotel = event.participations[0]
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        interviews.start(db.session, hotel, factories.make_registration(db.session, event), START)
    db.session.commit()
    page = client.get(f"/staff/events/hh/employers/{hotel.id}/remove").get_data(as_text=True)
    assert "cannot be removed: 1 interview with it" in page
    assert ">Remove</button>" not in page


def test_the_audit_trail_names_people_and_events_it_does_not_store(client, db, event, staff):
    registration = registrations.register(db.session, event, RegistrationDetails(
        first_name="Destiny", last_name="Freeman", email="destiny@example.com", zip_code="60608",
        consent_share_profile=True, survey_answers={"employment_status": "unemployed"},
    ), BEFORE).registration
    db.session.commit()
    page = client.get("/staff/audit/").get_data(as_text=True)
    row = page.split("registration.create")[1].split("</tr>")[0]
    assert "Destiny Freeman" in row and "Hospitality Hires Chicago" in row
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.create"))
    assert "Freeman" not in repr((entry.object_type, entry.object_id, entry.details))
    assert entry.object_id == registration.id


def test_an_outcome_correction_records_which_fields_changed_not_their_text(db, event):
    hotel = event.participations[0]
    interview = interviews.start(db.session, hotel, factories.make_registration(db.session, event), START)
    offer = interviews.OutcomeDetails(Outcome.CONDITIONAL_OFFER, position_id=hotel.positions[0].id,
                                      wage_cents=1850, wage_unit=WageUnit.HOUR, notes="Strong on the floor")
    interviews.record_outcome(db.session, interview, offer, START + timedelta(minutes=15))
    offer.wage_cents, offer.notes = 1900, "Secret remark"
    interviews.record_outcome(db.session, interview, offer, START + timedelta(minutes=30))
    first, correction = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "interview.outcome").order_by(AuditEntry.id)
    ).all()
    assert "changed" not in first.details
    assert correction.details["changed"] == "wage.notes"
    assert "Strong" not in repr(correction.details) and "Secret" not in repr(correction.details)


@pytest.mark.parametrize(("query", "expected"), [
    ("freeman 5022", ["Destiny Freeman"]),
    ("Destiny Freeman", ["Destiny Freeman"]),
    ("(312) 555-5022", ["Destiny Freeman"]),
    ("5022", ["Destiny Freeman", "Joe Other"]),
    ("freeman 9999", []),
])
def test_people_search_combines_its_words_with_and(db, query, expected):
    factories.make_candidate(db.session, first_name="Destiny", last_name="Freeman", phone="+13125555022",
                             email="df@example.com")
    factories.make_candidate(db.session, first_name="Joe", last_name="Other", phone="+17735550000",
                             email="joe5022@example.com")
    factories.make_candidate(db.session, first_name="Ann", last_name="Freemont", phone="+13125551111",
                             email="ann@example.com")
    found = registrations.find_people(db.session, query)
    assert sorted(c.full_name for c in found) == sorted(expected)


def test_a_post_event_survey_closing_before_the_event_warns_when_saved(client, db, event, staff):
    base = "/staff/events/hh/surveys/candidate/post"
    response = client.post(
        base + "/settings",
        data={
            "csrf_token": csrf_token(client, base),
            "title_en": "After the fair",
            "title_es": "Después de la feria",
            "opens_at": "",
            "closes_at": "2026-12-10T12:00",  # noon in Chicago; the event ends at 3 pm
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Survey settings saved." in page
    assert (
        "The post-event survey closes December 10, 2026 at 12:00 PM, before Hospitality Hires Chicago is over"
        in page
    )
