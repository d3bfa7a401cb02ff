"""The webhook pages: staff add an endpoint (its secret shown once) on a partner's directory entry;
the partner sees its deliveries, sends a test event and rotates its secret; another partner's
link reaches none of it; every form needs its CSRF token."""

import json
import re

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook

from app.models import OrganizationKind, Role, TokenScope, WebhookEndpoint, WebhookMessage, WebhookStatus
from app.services import webhook_endpoints
from app.services.tokens import issue_token
from app.services.webhook_urls import Policy
from tests import factories
from tests.conftest import csrf_token
from tests.webhook_receiver import receiver

SECRET = re.compile(r'value="(whsec_[A-Za-z0-9+/=]+)"')


@pytest.fixture
def hooks_allowed(app, monkeypatch):
    for key, value in {
        "WEBHOOK_ALLOW_PRIVATE_URLS": True,
        "WEBHOOK_ALLOW_HTTP": True,
        "WEBHOOK_TIMEOUT_S": 1,
    }.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def partners(db):
    center = factories.make_organization(db.session, OrganizationKind.JOB_CENTER, name="Pilsen Job Center")
    church = factories.make_organization(
        db.session, OrganizationKind.COMMUNITY_ORG, name="St. Agnes Outreach"
    )
    _, center_link = issue_token(db.session, TokenScope.PARTNER, "Pilsen", organization=center)
    _, church_link = issue_token(db.session, TokenScope.PARTNER, "St. Agnes", organization=church)
    staff = factories.make_user(db.session, Role.STAFF)
    db.session.commit()
    return {
        "center": center,
        "church": church,
        "center_page": f"/partner/{center_link}",
        "church_page": f"/partner/{church_link}",
        "staff": staff,
    }


def _endpoint(db, partners, url, organization=None):
    endpoint, secret = webhook_endpoints.create_endpoint(
        db.session, organization or partners["center"], url, "", Policy(True, True), actor=partners["staff"]
    )
    db.session.commit()
    return endpoint, secret


def test_staff_add_an_endpoint_and_see_its_secret_once(client, db, login, partners, hooks_allowed):
    login(partners["staff"])
    page = f"/staff/partners/{partners['center'].id}/webhooks"
    assert "Webhooks" in client.get(f"/staff/partners/{partners['center'].id}/edit").get_data(as_text=True)
    answer = client.post(
        page,
        data={
            "url": "https://cases.example.org/hireday",
            "description": "Case system",
            "csrf_token": csrf_token(client, page),
        },
    )
    shown = SECRET.search(answer.get_data(as_text=True)).group(1)
    endpoint = db.session.scalars(select(WebhookEndpoint)).one()
    assert endpoint.secret == shown and endpoint.url == "https://cases.example.org/hireday"
    overview = client.get(page).get_data(as_text=True)
    assert "Case system" in overview and shown not in overview


def test_staff_cannot_point_an_endpoint_at_the_private_network(client, db, login, partners):
    login(partners["staff"])
    page = f"/staff/partners/{partners['center'].id}/webhooks"
    answer = client.post(
        page,
        data={"url": "https://169.254.169.254/latest/meta-data/", "csrf_token": csrf_token(client, page)},
    )
    assert answer.status_code == 422
    assert "private, loopback or link-local" in answer.get_data(as_text=True)
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_staff_switch_an_endpoint_off_and_change_its_url(client, db, login, partners, hooks_allowed):
    endpoint, _ = _endpoint(db, partners, "https://cases.example.org/a")
    login(partners["staff"])
    page = f"/staff/partners/{partners['center'].id}/webhooks"
    client.post(
        f"{page}/{endpoint.id}",
        data={
            "url": "https://cases.example.org/b",
            "description": "New",
            "csrf_token": csrf_token(client, page),
        },
    )
    db.session.refresh(endpoint)
    assert (endpoint.url, endpoint.description, endpoint.enabled) == (
        "https://cases.example.org/b",
        "New",
        False,
    )


def test_the_partner_sends_a_test_event_and_sees_it_delivered(client, db, partners, hooks_allowed):
    with receiver() as partner:
        endpoint, secret = _endpoint(db, partners, partner.url)
        page = f"{partners['center_page']}/webhooks"
        assert "Webhooks" in client.get(partners["center_page"]).get_data(as_text=True)
        answer = client.post(f"{page}/{endpoint.id}/test", data={"csrf_token": csrf_token(client, page)})
        assert answer.status_code == 302
    (request,) = partner.requests
    assert Webhook(secret).verify(request.body, request.headers)["type"] == "webhook.test"
    log = client.get(page).get_data(as_text=True)
    assert "webhook.test" in log and "Delivered" in log and request.headers["webhook-id"] in log


def test_the_partner_rotates_its_secret_and_sees_the_new_one_once(client, db, partners, hooks_allowed):
    endpoint, old = _endpoint(db, partners, "https://cases.example.org/hireday")
    page = f"{partners['center_page']}/webhooks"
    answer = client.post(f"{page}/{endpoint.id}/rotate", data={"csrf_token": csrf_token(client, page)})
    new = SECRET.search(answer.get_data(as_text=True)).group(1)
    db.session.refresh(endpoint)
    assert new != old and endpoint.secret == new and endpoint.previous_secret == old
    assert new not in client.get(page).get_data(as_text=True)


def test_another_partners_link_reaches_none_of_it(client, db, partners, hooks_allowed):
    endpoint, old = _endpoint(db, partners, "https://cases.example.org/hireday")
    page = f"{partners['church_page']}/webhooks"
    assert "cases.example.org" not in client.get(page).get_data(as_text=True)
    token = csrf_token(
        client, f"{partners['center_page']}/webhooks"
    )  # the session's token, from a page with a form
    for action in ("test", "rotate"):
        assert client.post(f"{page}/{endpoint.id}/{action}", data={"csrf_token": token}).status_code == 404
    db.session.refresh(endpoint)
    assert endpoint.secret == old and db.session.scalars(select(WebhookMessage)).all() == []


def test_forms_without_their_csrf_token_change_nothing(client, db, partners, hooks_allowed):
    endpoint, old = _endpoint(db, partners, "https://cases.example.org/hireday")
    assert client.post(f"{partners['center_page']}/webhooks/{endpoint.id}/rotate").status_code == 400
    db.session.refresh(endpoint)
    assert endpoint.secret == old


def test_volunteers_and_strangers_cannot_open_the_staff_page(client, db, login, partners):
    page = f"/staff/partners/{partners['center'].id}/webhooks"
    assert client.get(page).status_code == 302  # to sign in
    login(factories.make_user(db.session, Role.VOLUNTEER))
    assert client.get(page).status_code == 403
    assert client.get("/partner/no-such-link/webhooks").status_code == 404


def test_staff_retry_a_failed_delivery(client, db, login, partners, hooks_allowed):
    with receiver() as partner:
        endpoint, _ = _endpoint(db, partners, partner.url)
        body = json.dumps({"type": "referral.registered", "timestamp": "2026-11-30T12:00:00Z", "data": {}})
        message = WebhookMessage(
            endpoint_id=endpoint.id,
            message_id="msg_failed",
            event_type="referral.registered",
            payload=body,
            status=WebhookStatus.FAILED,
            attempts=8,
            last_error="http_500",
        )
        db.session.add(message)
        db.session.commit()
        login(partners["staff"])
        page = f"/staff/partners/{partners['center'].id}/webhooks"
        shown = client.get(page).get_data(as_text=True)
        assert "Deliveries to this URL are stopped" in shown and "Retry" in shown
        client.post(
            f"{page}/{endpoint.id}/deliveries/{message.id}/retry",
            data={"csrf_token": csrf_token(client, page)},
        )
    assert [r.headers["webhook-id"] for r in partner.requests] == ["msg_failed"]
    db.session.refresh(message)
    assert message.status == WebhookStatus.DELIVERED
