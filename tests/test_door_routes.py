"""The door pages: who may scan, scanning without JavaScript and as the page's script does, search,
walk-ins, counts, the offline roster, scanner devices without an account, and /b/<code>."""

import json
import re

import pytest
from sqlalchemy import func, select

from app.models import (
    CheckIn,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Role,
    TokenScope,
    utcnow,
)
from app.services import checkin
from app.services.tokens import issue_token, revoke_token
from tests import factories
from tests.conftest import csrf_token

SCANNER = "/door/events/hh/"


@pytest.fixture
def event(db):
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago", capacity=None)
    db.session.commit()
    return event


@pytest.fixture
def volunteer(db, login):
    user = factories.make_user(db.session, Role.VOLUNTEER, name="Sam Volunteer")
    db.session.commit()
    login(user)
    return user


def person(db, event, **fields):
    candidate = factories.make_candidate(
        db.session, first_name=fields.pop("first_name", "María"), last_name=fields.pop("last_name", "Gómez"),
        email=fields.pop("email", None), phone=fields.pop("phone", "+13125550142"),
    )
    registration = factories.make_registration(db.session, event, candidate, **fields)
    db.session.commit()
    return registration


def scan(client, code, *, json_answer=True, nonce=None, kind="entry"):
    data = {
        "csrf_token": csrf_token(client, SCANNER),
        "code": code,
        "nonce": nonce or f"n-{code[:6]}-{kind}",
        "kind": kind,
    }
    headers = {"Accept": "application/json"} if json_answer else {}
    return client.post(SCANNER + "scan", data=data, headers=headers)


def test_only_volunteers_staff_and_scanner_devices_may_scan(client, db, event):
    assert client.get(SCANNER).status_code == 302
    assert "/login" in client.get(SCANNER).headers["Location"]
    assert client.get("/door/events/nope/").status_code == 302  # reveals nothing to strangers


def test_scanner_page_works_without_javascript(client, db, event, volunteer):
    maria = person(db, event)
    page = client.get(SCANNER).get_data(as_text=True)
    assert "Ready to scan" in page and 'rel="manifest"' in page

    first = scan(client, f"https://hireday.test/b/{maria.badge_code}", json_answer=False, nonce="a")
    assert first.status_code == 200
    assert "Checked in — María Gómez" in first.get_data(as_text=True)
    again = scan(client, maria.badge_code, json_answer=False, nonce="b").get_data(as_text=True)
    assert re.search(r"Already checked in at \d+:\d\d [AP]M \(Sam Volunteer\)", again)
    assert "Unknown badge" in scan(client, "nothing-like-a-badge", json_answer=False).get_data(as_text=True)
    assert scan(client, "", json_answer=False).status_code == 422


def test_the_page_script_gets_the_api_answers(client, db, event, volunteer):
    maria = person(db, event)
    first = scan(client, maria.badge_code, nonce="x1")
    assert (first.status_code, first.json["status"]) == (201, "checked_in")
    replayed = scan(client, maria.badge_code, nonce="x1").json
    assert replayed["replayed"] is True
    assert "undo_url" not in replayed  # the page offers an undo only right after a scan it made
    out = scan(client, maria.badge_code, nonce="x2", kind="exit")
    assert (out.status_code, out.json["status"]) == (201, "checked_out")
    assert out.json["undo_url"] == f"{SCANNER}checkins/{out.json['checkin_id']}/undo"
    undo = client.post(
        out.json["undo_url"],
        data={"csrf_token": csrf_token(client, SCANNER), "nonce": "u1"},
        headers={"Accept": "application/json"},
    )
    assert undo.json["status"] == "undone"
    assert checkin.presence(db.session, maria.id).inside
    rows = db.session.scalars(select(CheckIn).order_by(CheckIn.id)).all()
    assert [r.user_id for r in rows] == [volunteer.id] * 3


def test_offline_batch_upload_flags_duplicates(client, db, event, volunteer):
    maria = person(db, event)
    scan(client, maria.badge_code, nonce="online-1")
    body = {"scans": [
        {"code": maria.badge_code, "nonce": "off-1", "scanned_at": utcnow().isoformat()},
        {"code": "NoSuchBadgeCode1234567", "nonce": "off-2", "scanned_at": utcnow().isoformat()},
    ]}
    token = csrf_token(client, SCANNER)
    response = client.post(SCANNER + "checkins/batch", data=json.dumps(body),
                           headers={"Content-Type": "application/json", "X-CSRFToken": token})
    assert [(r["status"], r["duplicate"]) for r in response.json["results"]] == [
        ("already_checked_in", True), ("unknown_code", False)
    ]
    # Without the CSRF header a cookie-authenticated upload is refused.
    refused = client.post(SCANNER + "checkins/batch", json=body)
    assert refused.status_code == 400


def test_search_as_you_type_and_check_in_from_the_result(client, db, event, volunteer):
    maria = person(db, event, email="maria.g@example.com")
    person(
        db,
        event,
        first_name="Ana",
        last_name="Ruiz",
        phone="+13125550199",
        status=RegistrationStatus.CANCELLED,
        cancelled_at=utcnow(),
    )
    found = client.get(SCANNER + "search?q=gom", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "María Gómez" in found and "Not checked in yet" in found and maria.badge_code in found
    by_phone = client.get(SCANNER + "search?q=0199").get_data(as_text=True)
    assert "Ana Ruiz" in by_phone and "Cancelled" in by_phone and "Check in" not in by_phone
    assert "Nobody found" in client.get(SCANNER + "search?q=zzz").get_data(as_text=True)
    # Without JavaScript the search is a plain GET of the page.
    assert "María Gómez" in client.get(SCANNER + "?q=maria.g@").get_data(as_text=True)


def test_live_counts_partial(client, db, event, volunteer):
    maria = person(db, event)
    scan(client, maria.badge_code)
    counts = client.get(SCANNER + "counts").get_data(as_text=True)
    assert 'hx-trigger="every 5s"' in counts
    assert re.search(r'id="count-checked-in">\s*<span class="stat__value">1</span>', counts)


def test_walk_in_registers_checks_in_and_offers_the_badge(client, db, event, volunteer):
    person(db, event, email="li@example.com", first_name="Li", last_name="Wei", phone=None)
    page = client.get(SCANNER + "walk-in").get_data(as_text=True)
    nonce = re.search(r'name="nonce" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_token(client, SCANNER + "walk-in"), "nonce": nonce, "first_name": "Ana",
            "last_name": "Ruiz", "phone": "312-555-0199", "zip_code": "60608", "consent_share_profile": "y",
            "language": "en", "employment_status": "unemployed"}
    done = client.post(SCANNER + "walk-in", data=data)
    assert done.status_code == 200
    text = done.get_data(as_text=True)
    assert "Checked in — Ana Ruiz" in text and "New walk-in registration" in text
    registration = db.session.scalar(
        select(Registration).where(Registration.source == RegistrationSource.WALK_IN)
    )
    badge = client.get(f"{SCANNER}badges/{registration.id}.pdf")
    assert badge.status_code == 200 and badge.data.startswith(b"%PDF")

    # Submitting the same form again (a double tap) neither doubles the person nor the check-in.
    again = client.post(SCANNER + "walk-in", data=data).get_data(as_text=True)
    assert "Checked in — Ana Ruiz" in again
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1

    # Someone who had pre-registered is matched by e-mail.
    data |= {"nonce": "w-2", "first_name": "Li", "last_name": "Wei", "phone": "", "email": "LI@example.com"}
    matched = client.post(SCANNER + "walk-in", data=data).get_data(as_text=True)
    assert "They had registered before" in matched
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 2

    missing = client.post(SCANNER + "walk-in", data=data | {"consent_share_profile": "", "nonce": "w-3"})
    assert missing.status_code == 422 and "They must agree" in missing.get_data(as_text=True)


def test_roster_has_hashes_and_first_name_last_initial_only(client, db, event, volunteer):
    maria = person(db, event, email="maria.g@example.com")
    response = client.get(SCANNER + "roster.json")
    assert response.json["people"] == [[checkin.code_hash(maria.badge_code), "María G."]]
    assert response.json["hash_digits"] == checkin.ROSTER_HASH_DIGITS
    body = json.dumps(response.json, ensure_ascii=False)
    for secret in (maria.badge_code, "Gómez", "maria.g@example.com", "5550142"):
        assert secret not in body


def test_a_scanner_device_opens_with_its_token_and_only_for_its_event(client, db, event):
    token, secret = issue_token(db.session, TokenScope.DEVICE, "Door 2", event=event)
    other = factories.make_event(db.session, slug="other")
    db.session.commit()
    assert "Scanner token" in client.get("/door/device").get_data(as_text=True)
    wrong = client.post(
        "/door/device", data={"csrf_token": csrf_token(client, "/door/device"), "token": "nope"}
    )
    assert wrong.status_code == 422 and "not valid" in wrong.get_data(as_text=True)
    opened = client.post(
        "/door/device", data={"csrf_token": csrf_token(client, "/door/device"), "token": secret}
    )
    assert opened.headers["Location"] == SCANNER
    page = client.get(SCANNER).get_data(as_text=True)
    assert "as “Door 2”" in page

    maria = person(db, event)
    answer = scan(client, maria.badge_code)
    assert answer.json["status"] == "checked_in"
    assert db.session.scalar(select(CheckIn.device_token_id)) == token.id
    assert client.get(f"/door/events/{other.slug}/").status_code == 404

    revoke_token(db.session, token, utcnow())
    db.session.commit()
    assert client.get(SCANNER).status_code == 302  # a revoked device is out at once

    client.post("/door/device", data={"csrf_token": csrf_token(client, "/door/device"), "token": secret})
    assert client.get(SCANNER).status_code == 302


def test_forgetting_a_device(client, db, event):
    _, secret = issue_token(db.session, TokenScope.DEVICE, "Door 2", event=event)
    db.session.commit()
    client.post("/door/device", data={"csrf_token": csrf_token(client, "/door/device"), "token": secret})
    assert client.get(SCANNER).status_code == 200
    client.post("/door/device/forget", data={"csrf_token": csrf_token(client, SCANNER)})
    assert client.get(SCANNER).status_code == 302


def test_installable_page_service_worker_and_manifest(client, db, event, volunteer):
    worker = client.get("/door/sw.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/door/"
    assert b"hireday-door" in worker.data
    worker.close()
    manifest = client.get(SCANNER + "manifest.webmanifest")
    assert manifest.json["start_url"] == SCANNER and manifest.json["display"] == "standalone"


def test_badge_link_offers_check_in_to_a_volunteer_only(client, db, event, login):
    maria = person(db, event)
    public = client.get(f"/b/{maria.badge_code}").get_data(as_text=True)
    assert "Show this badge at the door" in public and "María" not in public

    login(factories.make_user(db.session, Role.VOLUNTEER))
    page = client.get(f"/b/{maria.badge_code}").get_data(as_text=True)
    assert "María Gómez" in page and "Check in María" in page
    nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)
    done = client.post(
        SCANNER + "scan",
        data={"csrf_token": csrf_token(client, SCANNER), "code": maria.badge_code, "nonce": nonce},
    )
    assert "Checked in — María Gómez" in done.get_data(as_text=True)
    assert "Already checked in at" in client.get(f"/b/{maria.badge_code}").get_data(as_text=True)


def test_door_list_links_to_each_scanner(client, db, event, volunteer, monkeypatch):
    page = client.get("/door/").get_data(as_text=True)
    assert 'href="/door/events/hh/"' in page or "No events are open" in page


def test_staff_get_a_scanner_link_with_the_token_in_its_fragment(client, db, event, login):
    login(factories.make_user(db.session, Role.STAFF))
    page = client.get("/staff/events/hh/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    issued = client.post("/staff/events/hh/devices", data={"csrf_token": token, "name": "Door 2"}).get_data(
        as_text=True
    )
    link = re.search(
        r'id="issued-scanner-link"[^>]*value="https://hireday.test/door/device#([A-Za-z0-9_-]+)"', issued
    )
    assert link
    client.post("/logout", data={"csrf_token": token})
    opened = client.post(
        "/door/device", data={"csrf_token": csrf_token(client, "/door/device"), "token": link.group(1)}
    )
    assert opened.headers["Location"] == SCANNER
