"""The show rate by reminder channel and by how early people registered, on the dashboard and in
the report PDF."""

from datetime import timedelta

from app.models import (
    CheckIn,
    CheckInKind,
    Interview,
    InterviewSource,
    Outcome,
    RegistrationSource,
    RegistrationStatus,
    Role,
)
from app.services import show_rate
from tests import factories


def test_show_rate_by_channel_and_by_lead_time(client, db, login):
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago")
    start = event.starts_at

    def person(days_before: float, *, email=True, text=False, came=False, **fields):
        candidate = factories.make_candidate(db.session, **({} if email else {"email": None}))
        registration = factories.make_registration(db.session, event, candidate, consent_sms=text,
                                                   created_at=start - timedelta(days=days_before), **fields)
        if came:
            db.session.add(CheckIn(event_id=event.id, registration=registration, nonce=f"n{registration.id}",
                                   scanned_at=start, kind=CheckInKind.ENTRY, successful=True))
        return registration

    person(20, text=True, came=True)
    person(20, text=True, came=True)
    person(15, text=True)
    person(5, came=True)
    person(4)
    person(1, email=False, text=True, came=True)
    person(0.5, email=False)
    person(0, came=True, source=RegistrationSource.WALK_IN)  # at the door: not counted
    person(30, status=RegistrationStatus.WAITLISTED)  # no place: not counted
    staff = factories.make_user(db.session, Role.STAFF)
    db.session.commit()

    rate = show_rate.for_event(db.session, event)
    assert [(r.registered, r.attended, r.percent) for r in rate.by_channel] == [
        (3, 2, 67), (2, 1, 50), (1, 1, 100), (1, 0, 0)]
    assert [(r.registered, r.attended) for r in rate.by_lead_time] == [(3, 2), (2, 1), (2, 1)]
    assert sum(r.registered for r in rate.by_channel) == sum(r.registered for r in rate.by_lead_time) == 7

    login(staff)
    page = client.get("/staff/events/hh/dashboard").get_data(as_text=True)
    assert "Show rate" in page and "E-mail and text reminders" in page and "67 %" in page


def test_someone_interviewed_without_a_door_scan_came(db):
    """"Came" is the funnel's checked-in stage: the booth checks in whom it interviews, so a person
    interviewed at a table counts as present even when the door never scanned them."""
    event = factories.make_event(db.session)
    booth = factories.make_participation(db.session, event)
    interviewed, _stayed_home = (factories.make_registration(db.session, event) for _ in range(2))
    db.session.add(
        Interview(
            registration=interviewed,
            participation=booth,
            source=InterviewSource.WALK_UP,
            queued_at=event.starts_at,
            started_at=event.starts_at,
            outcome=Outcome.NOT_SELECTED,
            recorded_at=event.starts_at + timedelta(minutes=15),
        )
    )
    db.session.flush()

    rate = show_rate.for_event(db.session, event)

    assert sum(r.registered for r in rate.by_channel) == 2
    assert sum(r.attended for r in rate.by_channel) == 1
