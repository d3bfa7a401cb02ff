"""A staff member signs in through the real page and sees the event list."""

from playwright.sync_api import Page, expect

from app.models import Role
from tests import factories
from tests.e2e.conftest import axe_violations


def test_staff_signs_in_and_sees_the_event_list(page: Page, committed):
    staff = factories.make_user(committed.session, Role.STAFF)
    event = factories.make_event(committed.session, name="Hospitality Hires Chicago")
    factories.make_registration(committed.session, event)
    committed.session.commit()

    page.goto("/staff/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Events")).to_be_visible()
    row = page.get_by_role("row", name="Hospitality Hires Chicago")
    expect(row).to_be_visible()
    expect(row.get_by_role("cell").nth(2)).to_have_text("1")  # registered
    assert axe_violations(page) == []

    page.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("rowheader", name="auth.login").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="People").click()
    page.get_by_label("Name, e-mail or phone").fill("Lopez")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("row")).to_have_count(2)
    assert axe_violations(page) == []


def test_a_wrong_password_is_explained_next_to_the_field(page: Page, committed):
    staff = factories.make_user(committed.session, Role.STAFF)
    committed.session.commit()

    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("That email and password do not match an active account.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(staff.email)  # nothing typed is lost
    assert axe_violations(page) == []


def test_the_home_page_fits_a_360px_phone_in_spanish(phone: Page, committed):
    factories.make_event(committed.session, name="Techapalooza")
    committed.session.commit()

    phone.goto("/?lang=es")
    expect(phone.get_by_role("heading", name="Próximos eventos")).to_be_visible()
    expect(phone.get_by_role("link", name="Techapalooza", exact=True)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(phone) == []
