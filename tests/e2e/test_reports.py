"""Staff open the live dashboard and download the report PDF in a real browser."""

from playwright.sync_api import Page, expect

from app.models import CheckIn, Role
from tests import factories
from tests.e2e.conftest import axe_violations


def test_staff_download_the_report_from_the_dashboard(page: Page, committed, tmp_path):
    session = committed.session
    staff = factories.make_user(session, Role.STAFF)
    event = factories.make_event(session, slug="tech", name="Techapalooza")
    factories.make_participation(session, event, factories.make_organization(session, name="Loop Logic"))
    person = factories.make_registration(session, event)
    session.add(CheckIn(event_id=event.id, registration_id=person.id, scanned_at=factories.EVENT_START, nonce="n1", successful=True))
    session.commit()

    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/staff/events/tech/dashboard")
    expect(page.get_by_role("heading", name="Live dashboard")).to_be_visible()
    expect(page.locator(".stat", has_text="Checked in").locator(".stat__value")).to_have_text("1")
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Report (PDF)").click()
    report = tmp_path / "report.pdf"
    download_info.value.save_as(report)
    assert download_info.value.suggested_filename == "report-tech.pdf"
    assert report.read_bytes().startswith(b"%PDF")
