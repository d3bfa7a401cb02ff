"""The booth tablet over HTTP: finding people, starting interviews, outcomes and offers, retries,
who may see what, and confirming hires after the event."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import (
    AccessToken,
    AuditEntry,
    CheckIn,
    HireStatus,
    Interview,
    Outcome,
    Role,
    TokenScope,
    utcnow,
)
from app.services import bookings, interviews, reports
from app.services.tokens import issue_token, revoke_token
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def setup(db, monkeypatch):
    # The event is under way now, so outcomes are editable.
    now = utcnow()
    event = factories.make_event(
        db.session, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=4), timezone="UTC"
    )
    hotel = factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Lakeshore Grand Hotel")
    )
    cook = factories.make_position(db.session, hotel, title="Line Cook")
    rival = factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Rival Foods")
    )
    maria = factories.make_registration(
        db.session, event, factories.make_candidate(db.session, first_name="María", last_name="Gómez",
                                                     email="maria.gomez@example.com", zip_code="60623"),
        sectors_of_interest=["hospitality"],
    )
    maria.positions_of_interest = [cook]
    _, hotel_secret = issue_token(db.session, TokenScope.BOOTH, "Hotel", participation=hotel,
                                  expires_at=event.ends_at + timedelta(days=30))
    _, rival_secret = issue_token(db.session, TokenScope.BOOTH, "Rival", participation=rival,
                                  expires_at=event.ends_at + timedelta(days=30))
    db.session.commit()
    return {"event": event, "hotel": hotel, "rival": rival, "maria": maria, "cook": cook,
            "booth": f"/booth/{hotel_secret}", "rival_booth": f"/booth/{rival_secret}"}


def test_search_by_name_shows_only_what_the_person_shared(client, setup):
    page = client.get(setup["booth"] + "?find=gom").get_data(as_text=True)
    assert "María Gómez" in page and "Line Cook" in page and "Hospitality" in page
    assert "60623" not in page and "maria.gomez@example.com" not in page
    assert "Start interview" in page and "Add to queue" in page


def test_the_check_in_number_on_the_badge_finds_the_person(client, setup):
    page = client.get(setup["booth"], query_string={"find": str(setup["maria"].checkin_number)}).get_data(
        as_text=True
    )
    assert "María Gómez" in page
    assert "María Gómez" not in client.get(setup["booth"], query_string={"find": "9999"}).get_data(
        as_text=True
    )


def test_a_scanned_badge_url_finds_the_person(client, setup):
    code = setup["maria"].badge_code
    page = client.get(setup["booth"], query_string={"find": f"https://hireday.test/b/{code}"}).get_data(as_text=True)
    assert "Badge found" in page and "María Gómez" in page


def post(client, path, page, **data):
    return client.post(
        path,
        data={
            "csrf_token": csrf_token(client, page if "/interviews/" in page else page + "?find=gom"),
            **data,
        },
    )


def test_start_then_record_a_conditional_offer(client, db, setup):
    booth, maria = setup["booth"], setup["maria"]
    response = post(client, booth + "/start", booth, registration_id=maria.id, nonce="tap-1")
    assert response.status_code == 303
    again = post(client, booth + "/start", booth, registration_id=maria.id, nonce="tap-1")  # double tap
    assert again.headers["Location"] == response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Interview)) == 1

    interview_page = response.headers["Location"]
    form = client.get(interview_page).get_data(as_text=True)
    assert "Conditional offer" in form
    saved = post(
        client,
        interview_page,
        interview_page,
        outcome="conditional_offer",
        position_id=setup["cook"].id,
        wage="18.50",
        wage_unit="hour",
        start_date="2027-01-04",
        conditions=["background_check"],
        notes="Great fit",
    )
    assert saved.status_code == 303
    board = client.get(setup["booth"]).get_data(as_text=True)
    assert "Conditional offer" in board and "$18.50" in board and "background check" in board
    interview = db.session.scalar(select(Interview))
    assert (interview.outcome, interview.offer_wage_cents, interview.hire_status) == (
        Outcome.CONDITIONAL_OFFER, 1850, HireStatus.PENDING)


def test_an_offer_without_a_wage_is_sent_back_with_what_was_typed(client, db, setup):
    booth = setup["booth"]
    start = post(client, booth + "/start", booth, registration_id=setup["maria"].id, nonce="n")
    page = start.headers["Location"]
    response = post(client, page, page, outcome="conditional_offer", position_id=setup["cook"].id, wage="",
                    notes="Kept notes")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Give the wage offered." in body and "Kept notes" in body


def test_the_tablet_script_gets_where_to_go_next(client, setup):
    booth = setup["booth"]
    token = csrf_token(client, booth + "?find=gom")
    response = client.post(
        booth + "/queue",
        data={"csrf_token": token, "registration_id": setup["maria"].id, "nonce": "q"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json["redirect"].endswith("#queue")
    assert "Number 1: </span>María Gómez" in client.get(booth).get_data(as_text=True)


def test_a_booked_slot_shows_as_next_and_can_be_started(client, db, setup):
    hotel = setup["hotel"]
    hotel.interview_starts_at = utcnow() + timedelta(minutes=30)
    hotel.interview_ends_at = hotel.interview_starts_at + timedelta(minutes=30)
    bookings.generate_slots(db.session, hotel)
    slot = db.session.scalars(
        select(bookings.InterviewSlot).where(bookings.InterviewSlot.participation_id == hotel.id)
    ).first()
    booking = bookings.book(db.session, setup["maria"], slot, utcnow())
    db.session.commit()
    booth = setup["booth"]
    assert "Booked: now and next" in client.get(booth).get_data(as_text=True)
    response = post(client, f"{booth}/bookings/{booking.id}/start", booth, nonce="b")
    assert response.status_code == 303
    assert db.session.scalar(select(Interview.booking_id)) == booking.id


def test_one_employer_cannot_read_or_write_anothers_interviews(client, db, setup):
    interview = interviews.start(db.session, setup["hotel"], setup["maria"], utcnow())
    interviews.record_outcome(
        db.session, interview, interviews.OutcomeDetails(Outcome.NOT_SELECTED), utcnow()
    )
    db.session.commit()
    rival = setup["rival_booth"]
    assert client.get(f"{rival}/interviews/{interview.id}").status_code == 404
    response = post(client, f"{rival}/interviews/{interview.id}", rival, outcome="no_show")
    assert response.status_code == 404
    assert "María Gómez" not in client.get(rival).get_data(as_text=True)  # not in their finished list
    db.session.refresh(interview)
    assert interview.outcome == Outcome.NOT_SELECTED


def test_expired_and_revoked_links_get_403_and_unknown_ones_404(client, db, setup):
    event = setup["event"]
    _, expired = issue_token(db.session, TokenScope.BOOTH, "Old", participation=setup["hotel"],
                             expires_at=utcnow() - timedelta(minutes=1))
    revoked_token, revoked = issue_token(db.session, TokenScope.BOOTH, "Lost", participation=setup["hotel"],
                                         expires_at=event.ends_at + timedelta(days=30))
    revoke_token(db.session, revoked_token, utcnow())
    db.session.commit()
    assert client.get(f"/booth/{expired}").status_code == 403
    page = client.get(f"/booth/{revoked}")
    assert page.status_code == 403
    # A recruiter has no account: the page says to ask staff for the new link, not to sign in.
    text = page.get_data(as_text=True)
    assert "This link no longer works" in text and "Ask the event staff for the new link" in text
    assert "Sign in" not in text.split('id="main"')[1]
    assert client.get("/booth/not-a-real-link").status_code == 404


def test_after_the_event_the_employer_confirms_hires(client, db, setup):
    interview = interviews.start(db.session, setup["hotel"], setup["maria"], utcnow())
    interviews.record_outcome(db.session, interview, interviews.OutcomeDetails(
        Outcome.CONDITIONAL_OFFER, position_id=setup["cook"].id, wage_cents=1850, wage_unit="hour"), utcnow())
    event = setup["event"]
    event.starts_at, event.ends_at = utcnow() - timedelta(days=5, hours=5), utcnow() - timedelta(days=5)
    db.session.commit()
    booth = setup["booth"]
    page = client.get(booth).get_data(as_text=True)
    assert "Confirm hires" in page and "María Gómez" in page
    response = post(
        client, f"{booth}/interviews/{interview.id}/hire", booth, status="hired", start_date="2027-01-11"
    )
    assert response.status_code == 303
    db.session.refresh(interview)
    assert (interview.hire_status, str(interview.hired_start_date)) == (HireStatus.HIRED, "2027-01-11")
    # Outcomes themselves are closed now.
    assert post(client, f"{booth}/interviews/{interview.id}", booth, outcome="no_show").status_code == 422


def test_someone_who_leaves_the_line_is_a_no_show_and_the_line_moves_up(client, db, setup):
    hotel = setup["hotel"]
    waiting = interviews.queue_walk_up(db.session, hotel, setup["maria"], utcnow())
    db.session.commit()
    booth = setup["booth"]
    response = post(client, f"{booth}/interviews/{waiting.id}/left", booth, nonce="l")
    assert response.status_code == 303
    db.session.refresh(waiting)
    assert waiting.outcome == Outcome.NO_SHOW
    assert "No one is waiting" in client.get(booth).get_data(as_text=True)


def test_before_the_event_day_the_booth_shows_bookings_and_starts_nothing(client, db, setup):
    event, hotel, maria = setup["event"], setup["hotel"], setup["maria"]
    token = csrf_token(
        client, setup["booth"] + "?find=gom"
    )  # a form left open on the tablet since the event day
    event.starts_at, event.ends_at = utcnow() + timedelta(days=21), utcnow() + timedelta(days=21, hours=5)
    db.session.flush()
    bookings.generate_slots(db.session, hotel)
    slot = db.session.scalars(
        select(bookings.InterviewSlot).order_by(bookings.InterviewSlot.starts_at)
    ).first()
    bookings.book(db.session, maria, slot, utcnow())
    db.session.commit()
    booth = setup["booth"]
    page = client.get(booth).get_data(as_text=True)
    assert "Interviews start on the day of the event" in page and "María Gómez" in page
    found = client.get(booth + "?find=gom").get_data(as_text=True)
    assert "Start interview" not in found and "Add to queue" not in found and ">Start<" not in page
    response = client.post(
        booth + "/start", data={"csrf_token": token, "registration_id": maria.id, "nonce": "early"}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Interview)) == 0
    assert "Interviews start on the day of the event" in client.get(booth).get_data(as_text=True)
    # The funnel cannot say "checked in 0, interviewed 1": nobody was checked in either.
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_starting_someone_the_door_missed_checks_them_in_at_the_booth(client, db, setup):
    booth, maria = setup["booth"], setup["maria"]
    assert post(client, booth + "/start", booth, registration_id=maria.id, nonce="tap-9").status_code == 303
    (scan,) = db.session.scalars(select(CheckIn)).all()
    assert (scan.registration_id, scan.successful) == (maria.id, True)
    assert (
        db.session.get(AccessToken, scan.device_token_id).scope == TokenScope.BOOTH
    )  # checked in at the booth
    # A retry of the same tap neither checks her in twice nor starts a second interview.
    post(client, booth + "/start", booth, registration_id=maria.id, nonce="tap-9")
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1


def test_open_interviews_close_when_the_day_ends(client, db, setup):
    hotel, maria = setup["hotel"], setup["maria"]
    talking = interviews.start(db.session, hotel, maria, utcnow())
    waiting = interviews.queue_walk_up(
        db.session, hotel, factories.make_registration(db.session, setup["event"]), utcnow()
    )
    db.session.commit()
    token = csrf_token(client, setup["booth"] + "?find=gom")
    event = setup["event"]
    event.starts_at, event.ends_at = utcnow() - timedelta(days=2, hours=5), utcnow() - timedelta(days=2)
    db.session.commit()
    page = client.get(setup["booth"]).get_data(as_text=True)
    db.session.refresh(talking), db.session.refresh(waiting)
    assert (talking.outcome, waiting.outcome) == (Outcome.NOT_RECORDED, Outcome.NO_SHOW)
    assert "Interviewed, no outcome recorded" in page
    late = client.post(
        setup["booth"] + "/start", data={"csrf_token": token, "registration_id": maria.id, "nonce": "late"}
    )
    assert late.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Interview)) == 2  # nothing starts after the day


def test_staff_follow_up_pending_offers_and_record_a_hire_after_a_second_interview(client, db, login, setup):
    hotel, maria, cook = setup["hotel"], setup["maria"], setup["cook"]
    offer = interviews.start(db.session, hotel, maria, utcnow())
    interviews.record_outcome(db.session, offer, interviews.OutcomeDetails(
        Outcome.CONDITIONAL_OFFER, position_id=cook.id, wage_cents=1850, wage_unit="hour"), utcnow())
    ben = factories.make_registration(
        db.session, setup["event"], factories.make_candidate(db.session, first_name="Ben", last_name="Okafor")
    )
    second = interviews.start(db.session, hotel, ben, utcnow())
    interviews.record_outcome(db.session, second, interviews.OutcomeDetails(
        Outcome.SECOND_INTERVIEW, second_interview_on=utcnow().date() + timedelta(days=3)), utcnow())
    event = setup["event"]
    event.starts_at, event.ends_at = utcnow() - timedelta(days=60, hours=5), utcnow() - timedelta(days=60)
    db.session.commit()
    login(factories.make_user(db.session, Role.STAFF))
    slug = event.slug
    pending = client.get(f"/staff/events/{slug}/hires").get_data(as_text=True)
    assert "Lakeshore Grand Hotel" in pending and "María Gómez" in pending and "Ben Okafor" not in pending

    page = f"/staff/events/{slug}/employers/{hotel.id}/hires"
    assert "Ben Okafor" in client.get(page).get_data(as_text=True)
    missing_reason = client.post(
        f"/staff/events/{slug}/interviews/{second.id}/hire",
        data={
            "csrf_token": csrf_token(client, page),
            "status": "hired",
            "start_date": "2027-02-01",
            "back": "booth",
        },
    )
    assert missing_reason.status_code == 303 and second.hire_status is None
    client.post(f"/staff/events/{slug}/interviews/{second.id}/hire", data={
        "csrf_token": csrf_token(client, page), "status": "hired", "start_date": "2027-02-01",
        "reason": "hired_after_second_interview", "back": "booth"})
    db.session.refresh(second)
    assert (second.hired, second.offered) == (True, True)
    numbers = reports.event_numbers(db.session, event, utcnow())
    assert numbers.funnel[-2:] == [("Offered a job", 2), ("Hired", 1)]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "interview.hire")).all()[-1]
    assert entry.details["reason"] == "hired_after_second_interview" and "Ben" not in str(entry.details)


def test_a_late_save_from_an_earlier_tap_never_overwrites_a_later_one(client, db, setup):
    interview = interviews.start(db.session, setup["hotel"], setup["maria"], utcnow())
    db.session.commit()
    booth = setup["booth"]
    page = f"{booth}/interviews/{interview.id}"
    post(client, page, page, outcome="no_show", seq="1700000000200")
    post(client, page, page, outcome="not_selected", seq="1700000000100")  # tapped first, arrived last
    db.session.refresh(interview)
    assert (interview.outcome, interview.outcome_seq) == (Outcome.NO_SHOW, 1700000000200)
    post(client, page, page, outcome="not_selected", seq="1700000000300")  # a real later correction
    db.session.refresh(interview)
    assert interview.outcome == Outcome.NOT_SELECTED
