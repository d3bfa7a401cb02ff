"""Partner webhooks against a real receiver on loopback: each event once, in order, signed so that
``standardwebhooks``' own ``Webhook.verify`` accepts it; retries; a failed message holding the
ones behind it until staff retry; a hanging receiver; shared placements; addresses refused."""

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook

from app.models import (
    HireStatus,
    Outcome,
    RegistrationSource,
    TokenScope,
    WebhookMessage,
    WebhookStatus,
    utcnow,
)
from app.queue import dispatch_committed
from app.services import (
    interviews,
    partner_events,
    registration as registrations,
    webhook_delivery,
    webhook_endpoints,
)
from app.services.errors import DomainError
from app.services.tokens import issue_token
from app.services.webhook_urls import Policy, parse, resolve
from tests import factories
from tests.jobs import held_jobs, pending
from tests.webhook_receiver import receiver

OPEN = Policy(allow_private=True, allow_http=True)


@pytest.fixture
def hooks_allowed(app, monkeypatch):
    """Loopback and http allowed (the receiver is on 127.0.0.1), short timeouts and retries."""
    for key, value in {
        "WEBHOOK_ALLOW_PRIVATE_URLS": True,
        "WEBHOOK_ALLOW_HTTP": True,
        "WEBHOOK_TIMEOUT_S": 1,
        "WEBHOOK_RETRY_SCHEDULE": "10,20,30,40",
    }.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def fair(db):
    now = utcnow()
    event = factories.make_event(
        db.session,
        name="Techapalooza",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=4),
        timezone="UTC",
    )
    booth = factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Loop Logic")
    )
    factories.make_position(db.session, booth, title="Help Desk Analyst")
    center = factories.make_partnership(
        db.session,
        event,
        organization=factories.make_organization(
            db.session, factories.OrganizationKind.JOB_CENTER, name="Pilsen Job Center"
        ),
    )
    staff = factories.make_user(db.session)
    db.session.commit()
    return {"event": event, "booth": booth, "center": center, "staff": staff}


def _endpoint(db, fair, url: str, partnership=None):
    organization = (partnership or fair["center"]).organization
    endpoint, secret = webhook_endpoints.create_endpoint(
        db.session, organization, url, "", OPEN, actor=fair["staff"]
    )
    db.session.commit()
    return endpoint, secret


def _register(db, fair, first_name="Ana", code=None):
    details = registrations.RegistrationDetails(
        first_name=first_name,
        last_name="Ruiz",
        email=f"{first_name.lower()}.ruiz@example.com",
        consent_share_profile=True,
        referral_code=code or fair["center"].referral_code,
    )
    outcome = registrations.register(
        db.session, fair["event"], details, utcnow(), source=RegistrationSource.STAFF
    )
    db.session.commit()
    dispatch_committed(db.session)  # what a view's request does after it commits
    return outcome.registration


def _first_name(body: bytes) -> str:
    return json.loads(body)["data"]["referral"]["name"].split()[0]


def _types(requests) -> list[str]:
    return [json.loads(r.body)["type"] for r in requests]


def test_one_person_from_registration_to_hire_reaches_the_partner_once_each_in_order_signed(
    client, db, fair, hooks_allowed
):
    with receiver() as partner:
        endpoint, secret = _endpoint(db, fair, partner.url)
        registration = _register(db, fair)

        # The door: the check-in API, as a scanner sends it.
        _, device = issue_token(db.session, TokenScope.DEVICE, "Door 1", event=fair["event"])
        db.session.commit()
        answer = client.post(
            f"/api/v1/events/{fair['event'].slug}/checkins",
            headers={"Authorization": f"Bearer {device}"},
            json={"code": registration.badge_code, "nonce": "n-1", "scanned_at": utcnow().isoformat()},
        )
        assert answer.status_code == 201
        client.post(
            f"/api/v1/events/{fair['event'].slug}/checkins",
            headers={"Authorization": f"Bearer {device}"},
            json={"code": registration.badge_code, "nonce": "n-2", "scanned_at": utcnow().isoformat()},
        )

        # The booth: an interview, an offer, then the hire confirmed.
        booth = fair["booth"]
        now = utcnow()
        interview = interviews.start(db.session, booth, registration, now)
        interviews.record_outcome(
            db.session,
            interview,
            interviews.OutcomeDetails(
                Outcome.CONDITIONAL_OFFER,
                position_id=booth.positions[0].id,
                wage_cents=2400,
                wage_unit="hour",
            ),
            now,
        )
        db.session.commit()
        dispatch_committed(db.session)
        interviews.confirm_hire(db.session, interview, HireStatus.HIRED, now, start_date=now.date())
        db.session.commit()
        dispatch_committed(db.session)

    assert _types(partner.requests) == [
        "referral.registered",
        "referral.checked_in",
        "referral.interviewed",
        "referral.offered",
        "referral.hired",
    ]
    ids = [r.headers["webhook-id"] for r in partner.requests]
    assert len(set(ids)) == len(ids)  # once each: the second scan ("already checked in") told nothing
    for request in partner.requests:
        payload = Webhook(secret).verify(request.body, request.headers)
        assert payload["data"]["referral"]["name"] == "Ana Ruiz"
        assert payload["data"]["referral"]["event"]["slug"] == fair["event"].slug
    hired = json.loads(partner.requests[-1].body)["data"]
    assert hired["employer"] == "Loop Logic"
    assert hired["referral"]["stage"] == "hired" and hired["referral"]["hired_at"] is not None
    log = webhook_delivery.deliveries(db.session, endpoint)
    assert [m.status for m in log] == [WebhookStatus.DELIVERED] * 5 and all(m.attempts == 1 for m in log)


def test_a_receiver_that_fails_three_times_then_recovers_gets_every_event_in_order(
    db, fair, hooks_allowed, app
):
    with receiver() as partner:
        partner.fail_next = 3
        endpoint, secret = _endpoint(db, fair, partner.url)
        ana = _register(db, fair, "Ana")
        _register(db, fair, "Ben")  # waits behind Ana's, which is failing
        assert _types(partner.requests) == ["referral.registered"]
        first = db.session.scalars(select(WebhookMessage).order_by(WebhookMessage.id)).first()
        assert (first.attempts, first.last_status_code, first.last_error) == (1, 500, "http_500")

        with app.app_context():
            settings = webhook_delivery.current_settings()
        now = utcnow()
        # Before the retry is due nothing goes; then each retry at its time (10, 20, 30 s apart).
        webhook_delivery.deliver_waiting(db.session, endpoint.id, now + timedelta(seconds=5), settings)
        assert len(partner.requests) == 1
        for elapsed in (11, 32, 63):
            webhook_delivery.deliver_waiting(
                db.session, endpoint.id, now + timedelta(seconds=elapsed), settings
            )

    people = [_first_name(r.body) for r in partner.requests]
    assert people == ["Ana", "Ana", "Ana", "Ana", "Ben"]
    assert len({r.headers["webhook-id"] for r in partner.requests[:4]}) == 1  # one message, four attempts
    for request in partner.requests:
        Webhook(secret).verify(request.body, request.headers)
    assert {m.status for m in webhook_delivery.deliveries(db.session, endpoint)} == {WebhookStatus.DELIVERED}
    assert ana.id in {m.registration_id for m in webhook_delivery.deliveries(db.session, endpoint)}


def test_a_message_that_failed_every_retry_holds_the_rest_until_staff_retry_it(db, fair, hooks_allowed, app):
    with receiver() as partner:
        partner.fail_next = 5
        endpoint, _ = _endpoint(db, fair, partner.url)
        _register(db, fair, "Ana")
        _register(db, fair, "Ben")
        with app.app_context():
            settings = webhook_delivery.current_settings()
        now = utcnow()
        for elapsed in (11, 32, 63, 104, 200):
            webhook_delivery.deliver_waiting(
                db.session, endpoint.id, now + timedelta(seconds=elapsed), settings
            )
        assert len(partner.requests) == 5
        failed = webhook_delivery.stopped_at(db.session, endpoint)
        assert failed is not None and failed.status == WebhookStatus.FAILED and failed.attempts == 5
        assert webhook_delivery.waiting_count(db.session, endpoint) == 1  # Ben's, behind it
        assert webhook_delivery.endpoints_to_deliver(db.session, now + timedelta(hours=1)) == []

        webhook_delivery.retry(db.session, endpoint, failed.id, utcnow())
        db.session.commit()
        dispatch_committed(db.session)

    people = [_first_name(r.body) for r in partner.requests]
    assert people == ["Ana"] * 6 + ["Ben"]
    assert webhook_delivery.stopped_at(db.session, endpoint) is None


def test_a_worker_killed_mid_delivery_sends_that_one_again_with_the_same_id(db, fair, hooks_allowed, app):
    with receiver() as partner:
        endpoint, secret = _endpoint(db, fair, "http://127.0.0.1:9/unreachable")
        with app.app_context():
            settings = webhook_delivery.current_settings()
        _register(db, fair, "Ana")  # refused: port 9 is closed
        message = db.session.scalars(select(WebhookMessage)).one()
        # A worker took it (attempt recorded, lease held) and died before recording the answer.
        message.attempts, message.attempted_at = 2, utcnow()
        endpoint.url, endpoint.lease_token, endpoint.lease_until = (
            partner.url,
            "dead",
            utcnow() + timedelta(seconds=30),
        )
        db.session.commit()
        assert (
            webhook_delivery.deliver_waiting(
                db.session, endpoint.id, utcnow() + timedelta(seconds=20), settings
            )
            is None
        )
        assert partner.requests == []  # the dead worker's lease still holds
        later = utcnow() + timedelta(minutes=5)
        assert webhook_delivery.endpoints_to_deliver(db.session, later) == [endpoint.id]
        webhook_delivery.deliver_waiting(db.session, endpoint.id, later, settings)
    assert [r.headers["webhook-id"] for r in partner.requests] == [message.message_id]
    Webhook(secret).verify(partner.requests[0].body, partner.requests[0].headers)


def test_a_hanging_receiver_is_given_up_on_after_the_timeout(db, fair, hooks_allowed):
    with receiver() as partner:
        partner.hang_s = 3
        endpoint, _ = _endpoint(db, fair, partner.url)
        started = time.monotonic()
        _register(db, fair)
        took = time.monotonic() - started
    message = webhook_delivery.deliveries(db.session, endpoint)[0]
    assert message.last_error == "timeout" and message.status == WebhookStatus.PENDING
    assert took < 2.5


def test_a_redirect_is_not_followed(db, fair, hooks_allowed):
    with receiver() as partner:
        partner.status = 302
        endpoint, _ = _endpoint(db, fair, partner.url)
        _register(db, fair)
    assert len(partner.requests) == 1  # nothing went to the Location
    message = webhook_delivery.deliveries(db.session, endpoint)[0]
    assert (message.last_status_code, message.last_error) == (302, "redirect_not_followed")


def test_each_partner_of_a_shared_placement_hears_of_its_own_referral_only(db, fair, hooks_allowed):
    church = factories.make_partnership(
        db.session,
        fair["event"],
        organization=factories.make_organization(
            db.session, factories.OrganizationKind.COMMUNITY_ORG, name="St. Agnes Outreach"
        ),
    )
    with receiver() as center_hooks, receiver() as church_hooks:
        _endpoint(db, fair, center_hooks.url)
        _endpoint(db, fair, church_hooks.url, church)
        _register(db, fair, "Ana")  # referred by the job center…
        _register(db, fair, "Ana", code=church.referral_code)  # …and by St. Agnes (staff attach it)
    (center_body,), (church_body,) = center_hooks.bodies(), church_hooks.bodies()
    center, church_payload = json.loads(center_body), json.loads(church_body)
    assert center["data"]["referral"]["id"] != church_payload["data"]["referral"]["id"]
    assert b"St. Agnes" not in center_body and b"Pilsen" not in church_body


def test_a_disabled_endpoint_gets_nothing_written(db, fair, hooks_allowed):
    with receiver() as partner:
        endpoint, _ = _endpoint(db, fair, partner.url)
        webhook_endpoints.update_endpoint(
            db.session, endpoint, partner.url, "", False, OPEN, actor=fair["staff"]
        )
        db.session.commit()
        _register(db, fair)
    assert partner.requests == [] and webhook_delivery.deliveries(db.session, endpoint) == []


def test_a_rotated_secret_signs_beside_the_old_one_for_a_day(db, fair, hooks_allowed):
    with receiver() as partner:
        endpoint, old = _endpoint(db, fair, partner.url)
        new = webhook_endpoints.rotate_secret(db.session, endpoint, utcnow(), actor_user=fair["staff"])
        db.session.commit()
        _register(db, fair)
    request = partner.requests[0]
    assert new != old and new.startswith("whsec_")
    Webhook(new).verify(request.body, request.headers)
    Webhook(old).verify(request.body, request.headers)
    assert webhook_endpoints.signing_secrets(endpoint, utcnow() + timedelta(days=2)) == [new]


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.5/hooks",
        "https://192.168.1.1/",
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/",
        "https://127.1/",
        "https://2130706433/",
        "https://localhost/hooks",
        "https://100.64.0.1/",
        "https://[fe80::1]/",
        "https://0.0.0.0/",
        "https://metadata.google.internal/",
        "https://printer/",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url):
    with pytest.raises(DomainError) as refused:
        parse(url, Policy())
    assert refused.value.code == "blocked_address" and refused.value.field == "url"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://partner.example.org/hooks", "url_scheme"),
        ("ftp://partner.example.org/", "url_scheme"),
        ("https://user:pw@partner.example.org/", "url_credentials"),
        ("", "url_required"),
        ("https://", "url_invalid"),
        ("https://partner.example.org:99999/", "url_invalid"),
    ],
)
def test_other_bad_urls_say_what_is_wrong(url, code):
    with pytest.raises(DomainError) as refused:
        parse(url, Policy())
    assert refused.value.code == code


def test_a_name_that_resolves_to_loopback_is_refused_at_delivery():
    with pytest.raises(DomainError) as refused:
        resolve(parse("https://localhost/hooks", OPEN), Policy(allow_http=True))
    assert refused.value.code == "blocked_address"
    settings = webhook_delivery.Settings(timeout_s=1, retry_schedule=(), policy=Policy(allow_http=True))
    assert webhook_delivery.post("http://127.0.0.1:9/", {}, b"{}", settings).error == "blocked_address"


def test_a_public_address_is_allowed():
    assert parse("https://93.184.215.14/hooks?x=1", Policy()).path == "/hooks?x=1"


def test_events_follow_the_waitlist_and_cancellation(db, fair, hooks_allowed):
    fair["event"].capacity = 1
    db.session.commit()
    with receiver() as partner:
        _endpoint(db, fair, partner.url)
        ana = _register(db, fair, "Ana")
        _register(db, fair, "Ben")
        registrations.cancel(db.session, ana, utcnow())
        db.session.commit()
        dispatch_committed(db.session)
    told = [(json.loads(b)["type"], _first_name(b)) for b in partner.bodies()]
    assert told == [
        ("referral.registered", "Ana"),
        ("referral.waitlisted", "Ben"),
        ("referral.cancelled", "Ana"),
        ("referral.registered", "Ben"),
    ]


def test_emit_without_a_listening_partner_writes_nothing(db, fair):
    registration = factories.make_registration(db.session, fair["event"])
    assert (
        partner_events.emit(db.session, registration.id, partner_events.PartnerEvent.CHECKED_IN, utcnow())
        == 0
    )


def test_an_event_behind_a_failing_one_queues_no_job(db, fair, hooks_allowed):
    """The door pays no queue write for a partner whose server is down: the retry already scheduled
    for the oldest message takes the ones behind it."""
    with receiver() as partner:
        partner.fail_next = 10
        _endpoint(db, fair, partner.url)
        _register(db, fair, "Ana")
        with held_jobs():
            _register(db, fair, "Ben")
            assert pending() == 0
        assert len(partner.requests) == 1


def test_an_offline_upload_tells_each_arrival_once_and_the_survey_is_told_too(
    client, db, fair, hooks_allowed
):
    from app.services import surveys

    ben = factories.make_registration(db.session, fair["event"])  # referred by nobody: nobody hears of him
    post = next(
        s
        for s in surveys.add_default_surveys(db.session, fair["event"])
        if s.audience.value == "candidate" and s.phase.value == "post"
    )
    _, device = issue_token(db.session, TokenScope.DEVICE, "Door 2", event=fair["event"])
    db.session.commit()
    with receiver() as partner:
        _endpoint(db, fair, partner.url)
        ana = _register(db, fair, "Ana")
        scans = [
            {
                "code": code,
                "nonce": f"offline-{i}",
                "scanned_at": (utcnow() - timedelta(minutes=30 - i)).isoformat(),
            }
            for i, code in enumerate([ana.badge_code, ben.badge_code, ana.badge_code])
        ]
        answer = client.post(
            f"/api/v1/events/{fair['event'].slug}/checkins/batch",
            headers={"Authorization": f"Bearer {device}"},
            json={"scans": scans},
        )
        assert answer.status_code == 200
        surveys.answer_survey(db.session, post, {"satisfaction": "4"}, utcnow(), registration=ana)
        db.session.commit()
        dispatch_committed(db.session)
        surveys.answer_survey(
            db.session, post, {"satisfaction": "4"}, utcnow(), registration=ana
        )  # a change: not a new answer
        db.session.commit()
        dispatch_committed(db.session)
    assert _types(partner.requests) == [
        "referral.registered",
        "referral.checked_in",
        "referral.survey_completed",
    ]
    checked_in = json.loads(partner.requests[1].body)
    assert checked_in["timestamp"] == scans[0]["scanned_at"].replace("+00:00", "Z")  # when the door saw them


def test_offer_terms_reach_only_the_partner_the_person_consented_to_share_them_with(db, fair, hooks_allowed):
    church = factories.make_partnership(db.session, fair["event"], organization=factories.make_organization(
        db.session, factories.OrganizationKind.COMMUNITY_ORG, name="St. Agnes Outreach"))
    with receiver() as center_hooks, receiver() as church_hooks:
        _endpoint(db, fair, center_hooks.url)
        _endpoint(db, fair, church_hooks.url, church)
        ana = _register(db, fair, "Ana")
        _register(db, fair, "Ana", code=church.referral_code)
        for referral in ana.referrals:  # Ana agreed to share offer details with the job center only
            referral.shares_offers = referral.partnership_id == fair["center"].id
        booth, now = fair["booth"], utcnow()
        interview = interviews.start(db.session, booth, ana, now)
        details = interviews.OutcomeDetails(
            Outcome.CONDITIONAL_OFFER, position_id=booth.positions[0].id, wage_cents=2400, wage_unit="hour"
        )
        interviews.record_outcome(db.session, interview, details, now)
        db.session.commit()
        dispatch_committed(db.session)

    def offer(requests) -> dict:
        bodies = [json.loads(r.body) for r in requests]
        (offered,) = [body for body in bodies if body["type"] == "referral.offered"]
        assert offered["data"]["employer"] == "Loop Logic"
        return offered["data"]["referral"]["offers"][0]

    assert offer(center_hooks.requests)["terms"] == {
        "position": "Help Desk Analyst", "wage": "24.00", "wage_unit": "hour", "start_date": None}
    assert "terms" not in offer(church_hooks.requests)
    assert not any(b"Help Desk" in r.body or b"24.00" in r.body for r in church_hooks.requests)
