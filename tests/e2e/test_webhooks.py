"""Webhooks in the browser: a partner on a phone sends a test event to its receiver and rotates its
secret; staff add an endpoint and see its secret once. Both pages pass axe (WCAG 2.1 AA)."""

import re

import pytest
from playwright.sync_api import Page, expect
from standardwebhooks import Webhook

from app.models import OrganizationKind, Role, TokenScope
from app.services import webhook_endpoints
from app.services.tokens import issue_token
from app.services.webhook_urls import Policy
from tests import factories
from tests.e2e.conftest import axe_violations
from tests.webhook_receiver import receiver

pytestmark = pytest.mark.e2e


@pytest.fixture
def hooks_allowed(app, monkeypatch):
    for key, value in {
        "WEBHOOK_ALLOW_PRIVATE_URLS": True,
        "WEBHOOK_ALLOW_HTTP": True,
        "WEBHOOK_TIMEOUT_S": 2,
    }.items():
        monkeypatch.setitem(app.config, key, value)


def test_a_partner_on_a_phone_tests_its_endpoint_and_rotates_its_secret(
    phone: Page, committed, hooks_allowed
):
    db = committed
    center = factories.make_organization(db.session, OrganizationKind.JOB_CENTER, name="Pilsen Job Center")
    staff = factories.make_user(db.session, Role.STAFF)
    _, link = issue_token(db.session, TokenScope.PARTNER, "Pilsen", organization=center)
    with receiver() as partner:
        _, secret = webhook_endpoints.create_endpoint(
            db.session, center, partner.url, "Case system", Policy(True, True), actor=staff
        )
        db.session.commit()
        phone.goto(f"/partner/{link}")
        phone.get_by_role("link", name="Webhooks").click()
        expect(phone.get_by_role("heading", name="Case system")).to_be_visible()
        assert axe_violations(phone) == []

        phone.get_by_role("button", name="Send a test event").click()
        expect(phone.get_by_text("A test event is on its way")).to_be_visible()
        expect(phone.get_by_role("cell", name=re.compile("Delivered"))).to_be_visible()
        assert (
            Webhook(secret).verify(partner.requests[0].body, partner.requests[0].headers)["type"]
            == "webhook.test"
        )
        assert axe_violations(phone) == []

        phone.get_by_role("button", name="Rotate the secret").click()
        expect(phone.get_by_text("this is the only time it is shown")).to_be_visible()
        new = phone.get_by_label("Signing secret").input_value()
        assert new.startswith("whsec_") and new != secret
        assert axe_violations(phone) == []


def test_staff_add_an_endpoint_and_a_private_address_is_refused_on_its_field(
    page: Page, committed, hooks_allowed, app, monkeypatch
):
    db = committed
    center = factories.make_organization(db.session, OrganizationKind.JOB_CENTER, name="Pilsen Job Center")
    staff = factories.make_user(db.session, Role.STAFF)
    db.session.commit()
    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/staff/partners/{center.id}/edit")
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks for Pilsen Job Center")).to_be_visible()
    assert axe_violations(page) == []

    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_URLS", False)
    page.get_by_label("URL").fill("https://169.254.169.254/latest/meta-data/")
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.locator(".field__error")).to_contain_text("private, loopback or link-local")
    assert axe_violations(page) == []

    page.get_by_label("URL").fill("https://cases.example.org/hireday")
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.get_by_text("this is the only time it is shown")).to_be_visible()
    assert page.get_by_label("Signing secret").input_value().startswith("whsec_")
    page.get_by_role("link", name="I have copied it").click()
    expect(page.get_by_role("heading", name="https://cases.example.org/hireday")).to_be_visible()
    expect(page.get_by_text("Nothing sent to this URL yet.")).to_be_visible()
