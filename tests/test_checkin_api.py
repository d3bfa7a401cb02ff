"""The check-in API as a scanner device uses it (the DESIGN.md contract)."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import SweepingMemoryStorage
from app.models import AccessToken, CheckIn, RegistrationStatus, TokenScope, utcnow
from app.services.tokens import issue_token, revoke_token
from tests import factories


@pytest.fixture
def event(db):
    return factories.make_event(db.session, slug="hh", capacity=None)


@pytest.fixture
def device(db, event):
    _, secret = issue_token(db.session, TokenScope.DEVICE, "Door 2", event=event)
    db.session.commit()  # a refused request rolls back; what the test set up must stay
    return {"Authorization": f"Bearer {secret}"}


def post(client, device, body, path="/api/v1/events/hh/checkins"):
    return client.post(path, json=body, headers=device)


def logged(db) -> int:
    return db.session.scalar(select(func.count()).select_from(CheckIn))


def test_first_scan_201_then_200_with_when_and_same_nonce_replays(client, db, event, device):
    registration = factories.make_registration(db.session, event)
    url = f"https://hireday.test/b/{registration.badge_code}"
    first = post(client, device, {"code": url, "nonce": "a1", "scanned_at": "2026-12-10T15:55:00Z"})
    assert first.status_code == 201
    assert first.json["status"] == "checked_in"
    assert first.json["registration"]["name"] == registration.candidate.full_name

    second = post(
        client, device, {"code": registration.badge_code, "nonce": "a2", "scanned_at": "2026-12-10T15:56:00Z"}
    )
    assert second.status_code == 200
    assert second.json["status"] == "already_checked_in"
    assert (second.json["first_checked_in_at"], second.json["first_checked_in_by"]) == (
        "2026-12-10T15:55:00Z",
        "Door 2",
    )

    again = post(client, device, {"code": url, "nonce": "a1", "scanned_at": "2026-12-10T15:55:00Z"})
    assert (again.status_code, again.json["status"], again.json["replayed"]) == (201, "checked_in", True)
    assert again.json["checkin_id"] == first.json["checkin_id"]
    assert logged(db) == 2


def test_unknown_404_cancelled_and_wrong_event_409_all_logged(client, db, event, device):
    response = post(client, device, {"code": "NoSuchBadgeCode1234567", "nonce": "u"})
    assert (response.status_code, response.json["status"]) == (404, "unknown_code")
    assert "registration" not in response.json
    cancelled = factories.make_registration(
        db.session, event, status=RegistrationStatus.CANCELLED, cancelled_at=utcnow()
    )
    response = post(client, device, {"code": cancelled.badge_code, "nonce": "c"})
    assert (response.status_code, response.json["status"]) == (409, "cancelled")
    other = factories.make_registration(db.session, factories.make_event(db.session))
    response = post(client, device, {"code": other.badge_code, "nonce": "w"})
    assert (response.status_code, response.json["status"]) == (409, "wrong_event")
    assert logged(db) == 3


def test_bad_input_gets_a_json_error_and_logs_nothing(client, db, event, device):
    response = post(client, device, {"code": "x", "scanned_at": "now"})
    assert (response.status_code, response.json["error"]) == (400, "invalid_nonce")
    response = client.post("/api/v1/events/hh/checkins", data="not json", headers=device)
    assert (response.status_code, response.json["error"]) == (400, "invalid_body")
    assert logged(db) == 0


def test_token_must_be_live_and_for_this_event(client, db, event, device):
    assert post(client, {}, {"code": "x", "nonce": "n"}).status_code == 401
    other_event = factories.make_event(db.session, slug="other")
    token, secret = issue_token(db.session, TokenScope.DEVICE, "Door 9", event=other_event)
    response = post(client, {"Authorization": f"Bearer {secret}"}, {"code": "x", "nonce": "n"})
    assert (response.status_code, response.json["error"]) == (404, "unknown_event")
    revoke_token(db.session, token, utcnow())
    assert (
        post(
            client,
            {"Authorization": f"Bearer {secret}"},
            {"code": "x", "nonce": "n"},
            "/api/v1/events/other/checkins",
        ).status_code
        == 401
    )
    _, booth_secret = issue_token(db.session, TokenScope.PARTNER, "Partner", event=event,
                                      organization=factories.make_organization(db.session))
    assert (
        post(client, {"Authorization": f"Bearer {booth_secret}"}, {"code": "x", "nonce": "n"}).status_code
        == 401
    )
    assert logged(db) == 0


def test_a_device_revoked_in_another_worker_stops_at_its_next_scan(client, db, event, device):
    unknown = "NoSuchBadgeCode1234567"
    assert post(client, device, {"code": unknown, "nonce": "t1"}).status_code == 404
    # Revoked by another worker process or host (as staff would, in the database): nothing in this
    # process remembers the device, so its next scan is refused.
    db.session.execute(update(AccessToken).where(AccessToken.name == "Door 2").values(revoked_at=utcnow()))
    db.session.commit()
    assert post(client, device, {"code": unknown, "nonce": "t2"}).status_code == 401
    assert logged(db) == 1


def test_batch_answers_each_scan(client, db, event, device):
    maria = factories.make_registration(db.session, event)
    earlier = (utcnow() - timedelta(minutes=5)).isoformat()
    response = post(client, device, {"scans": [
        {"code": maria.badge_code, "nonce": "b1", "scanned_at": earlier},
        {"code": maria.badge_code, "nonce": "b2", "scanned_at": earlier},
        {"code": "NoSuchBadgeCode1234567", "nonce": "b3", "scanned_at": earlier},
        {"code": maria.badge_code, "scanned_at": earlier},
    ]}, "/api/v1/events/hh/checkins/batch")
    assert response.status_code == 200
    assert [(r["status"], r["http_status"]) for r in response.json["results"]] == [
        ("checked_in", 201), ("already_checked_in", 200), ("unknown_code", 404), ("error", 400)
    ]
    assert response.json["results"][1]["duplicate"] is True
    assert logged(db) == 3
    assert (
        db.session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.is_offline.is_(True))) == 3
    )

    assert (
        post(client, device, {"scans": []}, "/api/v1/events/hh/checkins/batch").json["error"]
        == "scans_required"
    )
    assert post(client, device, {"nope": 1}, "/api/v1/events/hh/checkins/batch").status_code == 400


def test_each_device_has_its_own_rate_limit(app, client, db, event, device, monkeypatch):
    _, other = issue_token(db.session, TokenScope.DEVICE, "Door 3", event=event)
    monkeypatch.setitem(app.config, "CHECKIN_RATE_LIMIT", "3/minute")
    answers = [
        post(client, device, {"code": "NoSuchBadgeCode1234567", "nonce": f"r{n}"}).status_code
        for n in range(4)
    ]
    assert answers == [404, 404, 404, 429]
    assert post(client, device, {"code": "x", "nonce": "r9"}).json["error"] == "too_many_requests"
    # Another device at the same venue (same address) is not slowed down.
    assert (
        post(
            client, {"Authorization": f"Bearer {other}"}, {"code": "NoSuchBadgeCode1234567", "nonce": "o1"}
        ).status_code
        == 404
    )


def test_rate_limit_counters_expire_and_start_no_thread_per_request(monkeypatch):
    storage = SweepingMemoryStorage()
    storage.SWEEP_EVERY_S = 0.1
    started = []
    start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda thread: (started.append(thread), start(thread)))
    for _ in range(5):  # scans a little apart, as at a door (limits' memory:// starts a thread for each)
        storage.incr("device:door-1", expiry=0.3)
        time.sleep(0.02)
    assert (storage.get("device:door-1"), started) == (5, [])
    time.sleep(0.3)
    assert storage.get("device:door-1") == 0
    storage.incr("device:door-2", expiry=60)
    storage.incr("device:door-3", expiry=0.01)
    time.sleep(0.15)
    storage.incr("device:door-2", expiry=60)  # sweeps: door-3's expired counter is gone
    assert set(storage.storage) == {"device:door-2"}
