"""People, not contacts: households sharing a phone and an e-mail, links that keep working, a
waitlist that moves when capacity grows, and notices when an event changes. Through the pages a
career seeker, a volunteer and staff use."""

import email
import re
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.jobs import send_event_change_notices
from app.models import AuditEntry, Candidate, Language, Registration, RegistrationStatus, Role, TokenScope
from app.services import event_setup, registration as registrations
from app.services.surveys import add_default_surveys
from app.services.tokens import issue_token
from tests import factories
from tests.conftest import csrf_token
from tests.jobs import held_jobs, run_jobs

NOW = factories.EVENT_START - timedelta(days=7)


@pytest.fixture
def outbox(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    return tmp_path / "outbox"


def messages(outbox: Path) -> list[email.message.EmailMessage]:
    if not outbox.exists():
        return []
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(outbox.glob("*.eml"))
    ]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message) -> str:
    found = re.search(r"/r/[A-Za-z0-9_-]{43}", text_of(message))
    assert found, "the message has no link to the registration"
    return found.group(0)


def register(client, slug: str, **overrides):
    path = f"/events/{slug}/register"
    data = {
        "csrf_token": csrf_token(client, path), "first_name": "José", "last_name": "Núñez",
        "email": "nunez.family@example.com", "phone": "312-555-0142", "zip_code": "60623", "language": "es",
        "q_employment_status": "unemployed", "consent_share_profile": "y", "referral_code": "",
    } | overrides
    return client.post(path, data=data)


@pytest.fixture
def event(db):
    event = factories.make_event(db.session, slug="hh", capacity=None)
    add_default_surveys(db.session, event)
    db.session.commit()
    return event


def test_a_household_on_one_phone_and_email_registers_each_person_with_their_own_badge(
    client, db, event, outbox
):
    jose = register(client, "hh")
    guadalupe = register(client, "hh", first_name="Guadalupe")
    assert jose.status_code == guadalupe.status_code == 302
    assert "/r/" in guadalupe.headers["Location"]  # her own page, not "already registered"

    people = db.session.execute(
        select(Candidate.first_name, Registration.badge_code, Registration.checkin_number)
        .join(Registration.candidate)
        .order_by(Registration.id)
    ).all()
    assert [p.first_name for p in people] == ["José", "Guadalupe"]
    assert len({p.badge_code for p in people}) == 2 and [p.checkin_number for p in people] == [1, 2]
    to_jose, to_guadalupe = messages(outbox)
    assert "Hola, José" in text_of(to_jose) and "Hola, Guadalupe" in text_of(to_guadalupe)
    assert client.get(link_in(to_guadalupe)).get_data(as_text=True).count("Guadalupe Núñez") >= 1

    # José again, typed without accents: he is found, his first link still opens his page, and
    # the page says only where the new link went.
    again = register(client, "hh", first_name="jose", last_name="NUNEZ")
    assert again.headers["Location"] == "/events/hh/register/already"
    said = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "n\u2022\u2022\u2022@example.com" in said and "José" not in said
    third = messages(outbox)[2]
    assert client.get(link_in(to_jose)).status_code == 200
    assert client.get(link_in(third)).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 2


def test_the_person_sees_their_links_and_can_stop_one(client, db, event, outbox):
    register(client, "hh")
    register(client, "hh")  # a repeat attempt: a second link, to the address on file
    first, second = (link_in(m) for m in messages(outbox))
    page = client.get(first + "?lang=en").get_data(as_text=True)
    assert page.count("Stop this link") == 2 and "the link you are using now" in page

    registration = db.session.scalar(select(Registration))
    other = registrations.find_manage_link(db.session, second.removeprefix("/r/"))
    stop = client.post(f"{first}/links/{other.id}/revoke",
                       data={"csrf_token": csrf_token(client, first)})
    assert stop.status_code == 302
    assert client.get(second).status_code == 404
    assert client.get(first).status_code == 200
    assert [link.reason.value for link in registrations.live_links(registration)] == ["registered"]
    # Another registration's link cannot be revoked from this page.
    assert (
        client.post(
            f"{first}/links/999999/revoke", data={"csrf_token": csrf_token(client, first)}
        ).status_code
        == 404
    )


def test_cancelling_ends_the_links_and_the_email_points_to_the_event(client, db, event, outbox):
    register(client, "hh")
    link = link_in(messages(outbox)[0])
    cancelled = client.post(f"{link}/cancel", data={"csrf_token": csrf_token(client, link), "confirmed": "1"})
    assert cancelled.headers["Location"] == "/events/hh/"
    assert client.get(link).status_code == 404
    notice = messages(outbox)[-1]
    assert "/r/" not in text_of(notice) and "/events/hh/" in text_of(notice)


def _edit(client, event, **changes):
    details = event_setup.event_details_of(event)
    path = f"/staff/events/{event.slug}/edit"
    data = {
        "csrf_token": csrf_token(client, path),
        "name": details.name,
        "slug": details.slug,
        "venue": details.venue,
        "address": details.address,
        "day": details.day.isoformat(),
        "start": details.start.strftime("%H:%M"),
        "end": details.end.strftime("%H:%M"),
        "timezone": details.timezone,
        "capacity": "" if details.capacity is None else str(details.capacity),
        "description": details.description,
        "max_bookings_per_candidate": str(details.max_bookings_per_candidate),
    } | changes
    return client.post(path, data=data, follow_redirects=True)


def _door_scan(client, slug: str, code: str, nonce: str):
    return client.post(
        f"/door/events/{slug}/scan",
        headers={"Accept": "application/json"},
        data={"csrf_token": csrf_token(client, f"/door/events/{slug}/"), "code": code, "nonce": nonce},
    )


def test_capacity_up_promotes_in_order_with_emails_and_the_door_follows_capacity_down_keeps_everyone(
    client, db, login, outbox
):
    event = factories.make_event(db.session, slug="small", capacity=2)
    people = [
        factories.make_registration(
            db.session,
            event,
            factories.make_candidate(db.session, first_name=name),
            status=status,
            language=Language(language),
            created_at=NOW + timedelta(minutes=i),
        )
        for i, (name, status, language) in enumerate(
            [
                ("Ana", RegistrationStatus.REGISTERED, "en"),
                ("Ben", RegistrationStatus.REGISTERED, "en"),
                ("Carla", RegistrationStatus.WAITLISTED, "es"),
                ("Dmitri", RegistrationStatus.WAITLISTED, "en"),
                ("Eva", RegistrationStatus.WAITLISTED, "en"),
            ]
        )
    ]
    _device, secret = issue_token(db.session, TokenScope.DEVICE, "Door 1", event=event)
    db.session.commit()
    carla, dmitri, eva = people[2:]

    # Waitlisted: the API and the door say so (409 waitlisted), and there is no badge to print.
    api = client.post("/api/v1/events/small/checkins", headers={"Authorization": f"Bearer {secret}"},
                      json={"code": carla.badge_code, "nonce": "api-1", "scanned_at": None})
    assert (api.status_code, api.json["status"]) == (409, "waitlisted")
    staff = factories.make_user(db.session, Role.STAFF)
    db.session.commit()
    login(staff)
    door = _door_scan(client, "small", carla.badge_code, "door-1")
    assert (door.status_code, door.json["status"]) == (409, "waitlisted")
    assert client.get(f"/door/events/small/badges/{carla.id}.pdf").status_code == 409

    # Capacity 2 → 4: Carla then Dmitri get places at once, each e-mailed in their language with the badge.
    page = _edit(client, event, capacity="4").get_data(as_text=True)
    assert "2 people from the waitlist got a place" in page
    assert [p.status for p in (carla, dmitri, eva)] == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITLISTED,
    ]
    to_carla, to_dmitri = messages(outbox)
    assert to_carla["Subject"].startswith("Se abrió un lugar") and "Hola, Carla" in text_of(to_carla)
    assert to_dmitri["Subject"].startswith("A place opened")
    assert "image/png" in {part.get_content_type() for part in to_carla.walk()}  # the badge's QR
    assert client.get(link_in(to_carla) + "/badge.pdf").data.startswith(b"%PDF")
    assert _door_scan(client, "small", carla.badge_code, "door-2").status_code == 201

    # Capacity 4 → 1: nobody loses their place, and staff are told so.
    page = _edit(client, event, capacity="1").get_data(as_text=True)
    assert (
        "4 people are registered, more than the capacity of 1. Everyone registered keeps their place" in page
    )
    assert db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED)) == 4
    assert eva.status == RegistrationStatus.WAITLISTED
    assert len(messages(outbox)) == 2  # and nobody was e-mailed about it


def test_staff_at_the_door_admit_a_waitlisted_person_and_it_is_logged(client, db, login):
    event = factories.make_event(db.session, slug="full", capacity=1)
    factories.make_registration(db.session, event)
    waiting = factories.make_registration(db.session, event, status=RegistrationStatus.WAITLISTED)
    volunteer = factories.make_user(db.session, Role.VOLUNTEER)
    db.session.commit()
    login(volunteer)
    found = client.get("/door/events/full/search?q=" + waiting.candidate.last_name).get_data(as_text=True)
    assert "On the waitlist" in found and "Admit from waitlist" in found
    admitted = client.post(f"/door/events/full/registrations/{waiting.id}/admit",
                           data={"csrf_token": csrf_token(client, "/door/events/full/"), "nonce": "admit-1"})
    assert admitted.status_code == 200 and "Checked in — " in admitted.get_data(as_text=True)
    assert waiting.status == RegistrationStatus.REGISTERED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.admit"))
    assert entry.actor_user_id == volunteer.id and entry.object_id == waiting.id


def test_a_device_without_an_account_cannot_admit(client, db):
    event = factories.make_event(db.session, slug="full2", capacity=1)
    waiting = factories.make_registration(db.session, event, status=RegistrationStatus.WAITLISTED)
    _, secret = issue_token(db.session, TokenScope.DEVICE, "Door 1", event=event)
    db.session.commit()
    client.post("/door/device", data={"csrf_token": csrf_token(client, "/door/device"), "token": secret})
    refused = client.post(f"/door/events/full2/registrations/{waiting.id}/admit",
                          data={"csrf_token": csrf_token(client, "/door/events/full2/"), "nonce": "admit-2"})
    assert refused.status_code == 403 and waiting.status == RegistrationStatus.WAITLISTED


def test_the_check_in_number_finds_the_person_at_the_door_but_is_no_badge_code(client, db, login):
    event = factories.make_event(db.session, slug="numbers")
    people = [factories.make_registration(db.session, event) for _ in range(12)]
    login(factories.make_user(db.session, Role.VOLUNTEER))
    found = client.get("/door/events/numbers/search?q=12").get_data(as_text=True)
    assert people[11].candidate.full_name in found and people[0].candidate.full_name not in found
    assert people[0].candidate.full_name in client.get("/door/events/numbers/search?q=%231").get_data(
        as_text=True
    )
    typed = _door_scan(client, "numbers", "12", "typed-12")
    assert (typed.status_code, typed.json["status"]) == (404, "unknown_code")


def test_moving_the_event_tells_everyone_in_their_language_with_an_updated_calendar_entry(
    client, db, login, outbox
):
    event = factories.make_event(db.session, slug="moving", capacity=1)
    ana = factories.make_registration(
        db.session, event, factories.make_candidate(db.session, first_name="Ana"), language=Language.ES
    )
    ben = factories.make_registration(
        db.session,
        event,
        factories.make_candidate(db.session, first_name="Ben"),
        status=RegistrationStatus.WAITLISTED,
    )
    factories.make_registration(db.session, event, factories.make_candidate(db.session, email=None),
                                status=RegistrationStatus.REGISTERED)
    factories.make_registration(db.session, event, status=RegistrationStatus.CANCELLED, cancelled_at=NOW)
    login(factories.make_user(db.session, Role.STAFF))
    day = event_setup.event_details_of(event).day

    page = _edit(client, event, description="Bring a résumé.").get_data(as_text=True)  # nothing people need
    assert messages(outbox) == [] and event.ics_sequence == 0
    page = _edit(client, event, day=(day + timedelta(days=1)).isoformat()).get_data(as_text=True)
    assert "being e-mailed the change" in page
    to_ana, to_ben = sorted(messages(outbox), key=lambda m: m["To"] != ana.candidate.email)
    assert to_ana["Subject"].startswith("Cambio") and "Hola, Ana" in text_of(to_ana)
    assert "Ben" in text_of(to_ben) and "image/png" not in {p.get_content_type() for p in to_ben.walk()}
    ics = next(p for p in to_ana.walk() if p.get_content_type() == "text/calendar").get_payload(decode=True)
    entry = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert entry["UID"] == f"registration-{ana.id}@hireday" and int(entry["SEQUENCE"]) == 1
    assert entry.decoded("DTSTART") == event.starts_at
    assert client.get(link_in(to_ana)).status_code == 200
    assert ben.status == RegistrationStatus.WAITLISTED

    _edit(client, event, venue="Malcolm X College")
    assert event.ics_sequence == 2 and len(messages(outbox)) == 4


def test_change_notices_go_out_on_the_job_queue_and_a_rerun_tells_nobody_twice(client, db, login, outbox):
    event = factories.make_event(db.session, slug="moved-again")
    people = [factories.make_registration(db.session, event) for _ in range(3)]
    login(factories.make_user(db.session, Role.STAFF))
    day = event_setup.event_details_of(event).day
    with held_jobs():
        page = _edit(client, event, day=(day + timedelta(days=2)).isoformat()).get_data(as_text=True)
        assert "being e-mailed the change" in page and messages(outbox) == []  # the page did not wait
        run_jobs()
        assert sorted(m["To"] for m in messages(outbox)) == sorted(p.candidate.email for p in people)
        send_event_change_notices(event.id)  # a worker restarted halfway runs the job again
        run_jobs()
    assert len(messages(outbox)) == 3


def test_staff_see_a_household_side_by_side_and_merge_two_records_of_one_person(client, db, login):
    first_event, second_event = factories.make_event(db.session), factories.make_event(db.session)
    jose = factories.make_candidate(
        db.session, first_name="José", last_name="Núñez", email="nunez@example.com", phone=None
    )
    guadalupe = factories.make_candidate(db.session, first_name="Guadalupe", last_name="Núñez",
                                         email="nunez@example.com", phone=None)
    twice = factories.make_candidate(db.session, first_name="Jose Luis", last_name="Núñez",
                                     email="nunez@example.com", phone="+13125550142")
    factories.make_registration(db.session, first_event, jose)
    moved = factories.make_registration(db.session, second_event, twice)
    staff = factories.make_user(db.session, Role.STAFF)
    db.session.commit()
    login(staff)
    page = client.get(f"/staff/people/{jose.id}").get_data(as_text=True)
    assert "Guadalupe Núñez" in page and "Jose Luis Núñez" in page and "Same e-mail or phone" in page

    path = f"/staff/people/{jose.id}/merge"
    unconfirmed = client.post(path, data={"csrf_token": csrf_token(client, f"/staff/people/{jose.id}"),
                                          "other_id": twice.id}, follow_redirects=True)
    assert "Tick" in unconfirmed.get_data(as_text=True)
    client.post(
        path,
        data={
            "csrf_token": csrf_token(client, f"/staff/people/{jose.id}"),
            "other_id": twice.id,
            "confirm": "yes",
        },
    )
    assert moved.candidate_id == jose.id and jose.phone == "+13125550142"
    assert db.session.get(Candidate, guadalupe.id) is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.merge"))
    assert entry.actor_user_id == staff.id and entry.object_id == jose.id
