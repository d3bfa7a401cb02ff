"""A career seeker books an interview from their own page on a 360 px phone, in Spanish; staff see
and block slots; a partner reads its referrals. axe finds nothing serious on any of these pages."""

from datetime import timedelta

from playwright.sync_api import Page, expect

from app.models import ManageLinkReason, Referral, Role, TokenScope, utcnow
from app.services import bookings
from app.services.registration import issue_manage_link
from app.services.tokens import issue_token
from tests import factories
from tests.e2e.conftest import axe_violations


def test_book_an_interview_on_a_phone_in_spanish(phone: Page, committed):
    session = committed.session
    starts = utcnow() + timedelta(days=3)
    event = factories.make_event(session, name="Hospitality Hires Chicago", starts_at=starts,
                                 ends_at=starts + timedelta(hours=4), timezone="UTC")
    hotel = factories.make_participation(
        session,
        event,
        factories.make_organization(session, name="Lakeshore Grand Hotel"),
        interview_minutes=15,
        interview_starts_at=starts,
        interview_ends_at=starts + timedelta(hours=1),
        table_number="4",
    )
    bookings.generate_slots(session, hotel)
    maria = factories.make_registration(session, event)
    token = issue_manage_link(session, maria, ManageLinkReason.REGISTERED, utcnow())
    session.commit()

    phone.goto(f"/r/{token}?lang=es")
    expect(phone.get_by_role("heading", name="Sus entrevistas")).to_be_visible()
    phone.get_by_role("link", name="Reservar una entrevista").click()
    expect(phone.get_by_role("heading", name="Reservar entrevistas")).to_be_visible()
    assert axe_violations(phone) == []
    phone.get_by_label("Empleador", exact=True).select_option(
        label="Lakeshore Grand Hotel (4 horarios libres)"
    )
    phone.get_by_role("button", name="Ver horarios").click()
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Lakeshore Grand Hotel").nth(1).click()

    expect(phone.get_by_text("Reservado: Lakeshore Grand Hotel")).to_be_visible()
    expect(phone.locator("#interviews")).to_contain_text("Lakeshore Grand Hotel · mesa 4")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(phone) == []


def test_staff_slots_and_the_partner_page_pass_axe(page: Page, committed):
    session = committed.session
    staff = factories.make_user(session, Role.STAFF)
    starts = utcnow() + timedelta(days=3)
    event = factories.make_event(session, slug="tp", name="Techapalooza", starts_at=starts,
                                 ends_at=starts + timedelta(hours=3), timezone="UTC")
    booth = factories.make_participation(
        session,
        event,
        factories.make_organization(session, name="Loop Logic"),
        interview_minutes=20,
        interview_starts_at=starts,
        interview_ends_at=starts + timedelta(hours=1),
    )
    partnership = factories.make_partnership(session, event)
    person = factories.make_registration(session, event)
    session.add(Referral(registration=person, partnership_id=partnership.id))
    _, secret = issue_token(
        session, TokenScope.PARTNER, "Partner", event=event, organization=partnership.organization
    )
    session.commit()

    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/staff/events/tp/employers/{booth.id}/slots")
    page.get_by_role("button", name="Make slots").click()
    expect(page.get_by_text("Slots updated: 3 added, 0 removed.")).to_be_visible()
    page.get_by_role("row").nth(1).get_by_role("button", name="Block").click()
    expect(page.get_by_text("Blocked", exact=True)).to_be_visible()
    assert axe_violations(page) == []

    page.goto(f"/partner/{secret}")
    expect(page.get_by_role("heading", name="Techapalooza")).to_be_visible()
    assert axe_violations(page) == []
