"""Staff make a booth's slots, update them after a settings change, block and unblock them, and
book or cancel on a career seeker's behalf."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import Booking, InterviewSlot, Role, utcnow
from app.services import bookings
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def staff(db, login):
    user = factories.make_user(db.session, Role.STAFF)
    login(user)
    return user


@pytest.fixture
def booth(db):
    starts = utcnow() + timedelta(days=5)
    event = factories.make_event(
        db.session, slug="tp", starts_at=starts, ends_at=starts + timedelta(hours=3), timezone="UTC"
    )
    booth = factories.make_participation(
        db.session,
        event,
        factories.make_organization(db.session, name="Loop Logic"),
        interview_minutes=20,
        interview_starts_at=starts,
        interview_ends_at=starts + timedelta(hours=1),
    )
    db.session.commit()
    return booth


def page(booth) -> str:
    return f"/staff/events/tp/employers/{booth.id}/slots"


def slots(db, booth):
    return list(db.session.scalars(select(InterviewSlot).where(InterviewSlot.participation_id == booth.id)
                                   .order_by(InterviewSlot.starts_at)))


def test_staff_make_block_and_book_slots(client, db, staff, booth):
    path = page(booth)
    assert "No slots yet" in client.get(path).get_data(as_text=True)
    assert client.get("/staff/events/tp/").get_data(as_text=True).count(path) == 1  # the "Slots" link
    client.post(path + "/generate", data={"csrf_token": csrf_token(client, path)})
    first, second, _third = slots(db, booth)

    response = client.post(
        f"{path}/{first.id}/block", data={"csrf_token": csrf_token(client, path)}, follow_redirects=True
    )
    assert "Blocked" in response.get_data(as_text=True)
    assert first.is_blocked

    maria = factories.make_registration(
        db.session, booth.event, factories.make_candidate(db.session, email="maria.x@example.com")
    )
    db.session.commit()
    response = client.post(path + "/book", data={"csrf_token": csrf_token(client, path), "slot_id": second.id,
                                                 "person": "Maria.X@example.com"}, follow_redirects=True)
    assert "Booked" in response.get_data(as_text=True)
    (booking,) = bookings.live_bookings(db.session, maria)
    assert booking.slot_id == second.id

    # A blocked slot cannot be booked, even by staff.
    response = client.post(path + "/book", data={"csrf_token": csrf_token(client, path), "slot_id": first.id,
                                                 "person": maria.badge_code}, follow_redirects=True)
    assert "not available" in response.get_data(as_text=True)

    client.post(f"{path}/../bookings/{booking.id}/cancel".replace("/slots/..", ""),
                data={"csrf_token": csrf_token(client, path)})
    assert db.session.get(Booking, booking.id).cancelled_at is not None


def test_updating_after_a_settings_change_keeps_the_booked_slot(client, db, staff, booth):
    bookings.generate_slots(db.session, booth)
    kept = slots(db, booth)[1]
    bookings.book(db.session, factories.make_registration(db.session, booth.event), kept, utcnow())
    booth.interview_minutes = 30
    db.session.commit()
    path = page(booth)
    assert "The settings changed" in client.get(path).get_data(as_text=True)
    response = client.post(
        path + "/generate", data={"csrf_token": csrf_token(client, path)}, follow_redirects=True
    )
    assert "1 booked slot kept as they were" in response.get_data(as_text=True)
    assert kept in slots(db, booth)


def test_volunteers_cannot_manage_slots(client, db, login, booth):
    login(factories.make_user(db.session, Role.VOLUNTEER))
    assert client.get(page(booth)).status_code == 403


def test_a_new_booth_link_is_shown_as_a_qr_code_too(client, db, staff, booth):
    path = "/staff/events/tp/"
    response = client.post(
        f"/staff/events/tp/employers/{booth.id}/booth-link", data={"csrf_token": csrf_token(client, path)}
    )
    page = response.get_data(as_text=True)
    assert 'aria-label="QR code of the booth link"' in page and "<svg" in page
