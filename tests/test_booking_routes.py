"""A career seeker books, moves and cancels interviews from their own page (English and Spanish),
gets an e-mail with a calendar file each time, and sees their place in walk-up queues."""

import email
from datetime import timedelta
from email import policy

import pytest
from sqlalchemy import select

from app.models import InterviewSlot, ManageLinkReason, utcnow
from app.services import bookings, interviews
from app.services.registration import issue_manage_link
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    return tmp_path / "outbox"


def mails(outbox):
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(outbox.glob("*.eml"))
    ]


@pytest.fixture
def setup(db):
    starts = utcnow() + timedelta(days=7)
    event = factories.make_event(
        db.session, starts_at=starts, ends_at=starts + timedelta(hours=4), timezone="UTC"
    )
    hotel = factories.make_participation(
        db.session,
        event,
        factories.make_organization(db.session, name="Lakeshore Grand Hotel"),
        interview_minutes=15,
        table_number="7",
        interview_starts_at=starts,
        interview_ends_at=starts + timedelta(hours=1),
    )
    bookings.generate_slots(db.session, hotel)
    maria = factories.make_registration(db.session, event)
    token = issue_manage_link(db.session, maria, ManageLinkReason.REGISTERED, utcnow())
    db.session.commit()
    slots = list(db.session.scalars(select(InterviewSlot).order_by(InterviewSlot.starts_at)))
    return {"event": event, "hotel": hotel, "maria": maria, "page": f"/r/{token}", "slots": slots}


def test_book_an_interview_and_get_a_calendar_file(client, db, setup, outbox):
    page = setup["page"]
    listing = client.get(f"{page}/interviews?employer={setup['hotel'].id}").get_data(as_text=True)
    assert "Lakeshore Grand Hotel (4 times open)" in listing
    slot = setup["slots"][1]
    response = client.post(
        f"{page}/interviews", data={"csrf_token": csrf_token(client, page), "slot_id": slot.id}
    )
    # The top of the page, where the green "Booked" message is, not scrolled down past it.
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    own_page = client.get(page).get_data(as_text=True)
    assert "Booked: Lakeshore Grand Hotel" in own_page
    assert "Your interviews" in own_page and "Lakeshore Grand Hotel" in own_page and "Change time" in own_page
    (mail,) = mails(outbox)
    assert mail["Subject"].startswith("Your interviews")
    (ics,) = [part for part in mail.iter_attachments() if part.get_filename() == "interviews.ics"]
    calendar = ics.get_content()
    calendar = calendar if isinstance(calendar, str) else calendar.decode()
    assert "Lakeshore Grand Hotel" in calendar and "STATUS:CONFIRMED" in calendar


def test_move_then_cancel_updates_the_calendar(client, db, setup, outbox):
    page, (first, second, *_) = setup["page"], setup["slots"]
    booking = bookings.book(db.session, setup["maria"], first, utcnow())
    db.session.commit()
    response = client.post(
        f"{page}/interviews",
        data={"csrf_token": csrf_token(client, page), "slot_id": second.id, "replacing": booking.id},
    )
    assert response.status_code == 302
    (moved,) = bookings.live_bookings(db.session, setup["maria"])
    assert moved.slot_id == second.id
    client.post(
        f"{page}/interviews/{moved.id}/cancel",
        data={"csrf_token": csrf_token(client, page), "confirmed": "1"},
    )
    assert bookings.live_bookings(db.session, setup["maria"]) == []
    last = mails(outbox)[-1]
    body = last.get_body(("plain",)).get_content()
    assert "no interviews booked" in body and "Cancelled:" in body
    (ics,) = [p for p in last.iter_attachments() if p.get_filename() == "interviews.ics"]
    content = ics.get_content()
    assert "STATUS:CANCELLED" in (content if isinstance(content, str) else content.decode())


def test_a_taken_slot_says_pick_another_in_spanish(client, db, setup, outbox):
    setup["maria"].language = "es"
    slot = setup["slots"][0]
    bookings.book(db.session, factories.make_registration(db.session, setup["event"]), slot, utcnow())
    db.session.commit()
    page = setup["page"]
    client.get(f"{page}/interviews?lang=es")
    response = client.post(
        f"{page}/interviews",
        data={"csrf_token": csrf_token(client, page), "slot_id": slot.id},
        follow_redirects=True,
    )
    assert "alguien acaba de tomar ese horario" in response.get_data(as_text=True)
    assert "Reservar entrevistas" in response.get_data(as_text=True)


def test_the_own_page_shows_the_place_in_a_walk_up_queue(client, db, setup):
    hotel = setup["hotel"]
    on_the_day = setup["event"].starts_at + timedelta(minutes=30)  # booths take walk-ups on the event's day
    for _ in range(2):
        interviews.queue_walk_up(
            db.session, hotel, factories.make_registration(db.session, setup["event"]), on_the_day
        )
    interviews.queue_walk_up(db.session, hotel, setup["maria"], on_the_day + timedelta(seconds=1))
    db.session.commit()
    assert "Number 3 in line at Lakeshore Grand Hotel (table 7)" in client.get(setup["page"]).get_data(
        as_text=True
    )


def test_another_persons_booking_cannot_be_cancelled(client, db, setup):
    other = bookings.book(
        db.session, factories.make_registration(db.session, setup["event"]), setup["slots"][0], utcnow()
    )
    db.session.commit()
    page = setup["page"]
    assert (
        client.post(
            f"{page}/interviews/{other.id}/cancel", data={"csrf_token": csrf_token(client, page)}
        ).status_code
        == 404
    )
    assert other.cancelled_at is None
