"""Staff open the live dashboard and download the report PDF in a real browser."""

from playwright.sync_api import Page, expect

from app.models import CheckIn, Interview, InterviewSource, Outcome, Role
from tests import factories
from tests.e2e.conftest import axe_violations


def test_staff_download_the_report_from_the_dashboard(page: Page, committed, tmp_path):
    session = committed.session
    staff = factories.make_user(session, Role.STAFF)
    event = factories.make_event(session, slug="tech", name="Techapalooza")
    factories.make_participation(session, event, factories.make_organization(session, name="Loop Logic"))
    person = factories.make_registration(session, event)
    session.add(
        CheckIn(
            event_id=event.id,
            registration_id=person.id,
            scanned_at=factories.EVENT_START,
            nonce="n1",
            successful=True,
        )
    )
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


def test_staff_record_a_hire_after_a_second_interview_from_the_pending_offers(page: Page, committed):
    session = committed.session
    staff = factories.make_user(session, Role.STAFF)
    event = factories.make_event(session, slug="tech", name="Techapalooza")
    booth = factories.make_participation(
        session, event, factories.make_organization(session, name="Loop Logic")
    )
    ana = factories.make_registration(
        session, event, factories.make_candidate(session, first_name="Ana", last_name="Ruiz")
    )
    session.add(Interview(registration=ana, participation=booth, source=InterviewSource.WALK_UP,
                          started_at=factories.EVENT_START, outcome=Outcome.SECOND_INTERVIEW,
                          recorded_at=factories.EVENT_START))
    session.commit()

    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/staff/events/tech/hires")
    expect(page.get_by_text("No offers are waiting for an answer.")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"/staff/events/tech/employers/{booth.id}/hires")
    row = page.locator(".hire-row", has_text="Ana Ruiz")
    row.get_by_label("Hired").check()
    row.get_by_label("Start date").fill("2027-01-11")
    row.get_by_label("Why").select_option("hired_after_second_interview")
    assert axe_violations(page) == []
    row.get_by_role("button", name="Save for Ana Ruiz").click()
    expect(page.get_by_text("Saved: Ana Ruiz at Loop Logic — hired.")).to_be_visible()
    expect(page.locator(".hire-row", has_text="Ana Ruiz")).to_contain_text("offer recorded after the event")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/staff/events/tech/dashboard")
    expect(page.locator(".stat", has_text="Offered a job").locator(".stat__value")).to_have_text("1")
    expect(page.locator(".stat", has_text="Hired").locator(".stat__value")).to_have_text("1")
