"""Staff set an event up in a real browser: from the Techapalooza template to an employer with a
job order, published, on the public home page. Every set-up page passes axe."""

from datetime import timedelta

from playwright.sync_api import Page, expect

from app.models import Role, utcnow
from tests import factories
from tests.e2e.conftest import axe_violations


def test_staff_create_a_techapalooza_add_an_employer_and_a_job_and_publish_it(page: Page, committed):
    staff = factories.make_user(committed.session, Role.STAFF)
    committed.session.commit()
    day = (utcnow() + timedelta(days=30)).date()

    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="New event").click()
    expect(page.get_by_role("heading", name="New event", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Techapalooza").click()

    # The template filled the form in; staff name the season and say where.
    expect(page.get_by_label("Event name")).to_have_value("Techapalooza")
    expect(page.get_by_role("checkbox", name="Information technology")).to_be_checked()
    expect(page.get_by_label("Starts at")).to_have_value("16:00")
    page.get_by_label("Event name").fill(f"Techapalooza Spring {day.year}")
    expect(page.locator("#slug-hint")).to_contain_text(f"techapalooza-spring-{day.year}")  # htmx hint
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_role("button", name="Create draft event").click()

    # Forgot the venue: the form says so next to the field, and keeps the rest.
    expect(page.get_by_text("Say where the event takes place.").last).to_be_visible()
    expect(page.get_by_label("Date")).to_have_value(day.isoformat())
    assert axe_violations(page) == []
    page.get_by_label("Venue").fill("Harold Washington Library Center, Winter Garden")
    page.get_by_label("Street address").fill("400 S. State St., Chicago, IL 60605")
    page.get_by_role("button", name="Create draft event").click()

    expect(page.get_by_role("heading", name=f"Techapalooza Spring {day.year}")).to_be_visible()
    expect(page.get_by_text("is saved as a draft")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Add employer").click()
    page.get_by_label("New employer's name").fill("Midwest Cloud Co.")
    page.get_by_label("New employer's sector").select_option("it")
    page.get_by_label("Table number").fill("4")
    page.get_by_label("Interview length (minutes)").fill("15")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add to the event").click()

    expect(page.get_by_role("row", name="Midwest Cloud Co.")).to_be_visible()
    page.get_by_role("link", name="Add job order for Midwest Cloud Co.").click()
    page.get_by_label("Job title").fill("Help Desk Technician")
    page.get_by_label("Openings").fill("3")
    page.get_by_label("Lowest wage ($)").fill("24")
    page.get_by_label("Highest wage ($)").fill("28.50")
    page.get_by_label("Wage is").select_option("hour")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add job order").click()

    row = page.get_by_role("row", name="Midwest Cloud Co.")
    expect(row).to_contain_text("Help Desk Technician")
    expect(row).to_contain_text("$24.00–$28.50 an hour")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("is now published")).to_be_visible()
    assert axe_violations(page) == []

    page.goto("/")
    page.get_by_role("link", name=f"Techapalooza Spring {day.year}", exact=True).click()
    expect(page.get_by_role("heading", name="Midwest Cloud Co.")).to_be_visible()
    expect(page.get_by_text("Help Desk Technician")).to_be_visible()
