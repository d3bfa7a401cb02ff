"""The "I can't come" page on a 360 px phone, in Spanish; and staff setting an event's reminders."""

from datetime import time

from playwright.sync_api import Page, expect

from app.models import Language, RegistrationStatus, Role
from app.services import reminders
from tests import factories
from tests.e2e.conftest import axe_violations


def test_a_phone_cancels_from_the_link_and_the_waitlist_moves_up(
    phone: Page, app, committed, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    session = committed.session
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=1)
    lucia = factories.make_registration(session, event, factories.make_candidate(session, first_name="Lucía"),
                                        language=Language.ES)
    waiting = factories.make_registration(session, event, status=RegistrationStatus.WAITLISTED)
    session.commit()
    with app.app_context():
        link = f"/c/{reminders.cant_come_token(lucia.id)}?lang=es"

    phone.goto(link)
    expect(phone.get_by_role("heading", name="¿No puede venir a Hospitality Hires Chicago?")).to_be_visible()
    assert axe_violations(phone) == []
    button = phone.get_by_role("button", name="Cancelar mi lugar")
    box = button.bounding_box()
    assert box and box["height"] >= 44
    button.click()
    expect(phone.get_by_role("heading", name="Su lugar está cancelado")).to_be_visible()
    assert axe_violations(phone) == []
    session.rollback()  # a fresh read: the server wrote in its own transaction
    assert session.get(type(lucia), lucia.id).status == RegistrationStatus.CANCELLED
    assert session.get(type(waiting), waiting.id).status == RegistrationStatus.REGISTERED


def test_staff_set_an_events_reminders(page: Page, committed):
    session = committed.session
    event = factories.make_event(session, name="Techapalooza", slug="tech")
    staff = factories.make_user(session, Role.STAFF)
    session.commit()
    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/staff/events/tech/")
    page.get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", name="Reminders")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("At (on the day, event's time zone)").fill("07:15")
    page.get_by_label("What to bring (Spanish)").fill("Traiga una identificación con foto.")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Reminders saved.")).to_be_visible()
    session.rollback()  # a fresh read: the server wrote in its own transaction
    plan = reminders.plan_for(session, event)
    assert plan.morning_at == time(7, 15) and plan.bring_es == "Traiga una identificación con foto."
