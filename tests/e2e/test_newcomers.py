"""What a newcomer, a career seeker and a Spanish reader notice, in real Chromium: the error summary
takes focus, cancelling asks first, Spanish pages speak Spanish, and a server started on another
port (as `PORT=… make run` starts it) makes QR codes and links for that port."""

import email
import io
import os
import re
import subprocess
import sys
from datetime import timedelta
from email import policy
from pathlib import Path

import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from app.models import ManageLinkReason, utcnow
from app.services import bookings, registration as registrations
from app.services.surveys import add_default_surveys
from tests import factories
from tests.e2e.conftest import axe_violations
from tests.servers import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[2]
BEFORE = factories.EVENT_START - timedelta(days=7)


def _hotel_event(session, **fields):
    event = factories.make_event(
        session, name="Hospitality Hires Chicago", slug="hh", capacity=None, **fields
    )
    hotel = factories.make_participation(
        session, event, factories.make_organization(session, name="Lakeshore Grand Hotel"), table_number="23"
    )
    factories.make_position(session, hotel, title="Room Attendant", title_es="Camarista")
    factories.make_position(session, hotel, title="Night Auditor")
    add_default_surveys(session, event)
    return event, hotel


def test_after_a_failed_submit_focus_moves_to_the_error_summary(phone: Page, committed):
    _hotel_event(committed.session)
    committed.session.commit()
    phone.goto("/events/hh/register")
    phone.get_by_label("Last name").fill("Hernández")
    phone.get_by_label("Email").fill("lucia@")
    phone.get_by_label("ZIP code").fill("606")
    phone.get_by_role("button", name="Register").click()

    summary = phone.locator(".error-summary")
    expect(summary).to_be_focused()
    # Every mistake in this one submit, the service's (e-mail, ZIP) with the form's (name, survey, consent).
    for name in ("First name", "Email", "ZIP code", "employment status", "I agree"):
        expect(summary.get_by_role("link", name=re.compile(name))).to_be_visible()
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < 740  # on screen, not above it
    # A link in the summary takes the person to the field.
    summary.get_by_role("link", name=re.compile("ZIP code")).click()
    assert phone.evaluate("location.hash") == "#zip_code"
    assert axe_violations(phone) == []


def test_cancelling_an_interview_or_the_registration_asks_first(phone: Page, committed):
    session = committed.session
    event, hotel = _hotel_event(session)
    registration = factories.make_registration(session, event)
    token = registrations.issue_manage_link(session, registration, ManageLinkReason.REGISTERED, utcnow())
    bookings.generate_slots(session, hotel)
    session.flush()
    slot = bookings.open_slots(session, hotel, BEFORE)[0].slot
    bookings.book(session, registration, slot, BEFORE)
    session.commit()

    phone.goto(f"/r/{token}")
    phone.get_by_role("link", name="Cancel Lakeshore Grand Hotel").click()
    expect(phone.get_by_role("heading", name="Cancel this interview?")).to_be_visible()
    expect(phone.get_by_text("Your interview with Lakeshore Grand Hotel at")).to_be_visible()
    assert axe_violations(phone) == []
    phone.get_by_role("link", name="No, keep it").click()
    expect(phone.get_by_role("link", name="Change time Lakeshore Grand Hotel")).to_be_visible()

    phone.get_by_role("link", name="Cancel Lakeshore Grand Hotel").click()
    phone.get_by_role("button", name="Yes, cancel the interview").click()
    expect(phone.get_by_text("Your interview with Lakeshore Grand Hotel is cancelled.")).to_be_in_viewport()
    expect(phone.get_by_role("link", name="Change time Lakeshore Grand Hotel")).to_have_count(0)

    phone.get_by_role("link", name="Cancel my registration").click()
    expect(phone.get_by_role("heading", name="Cancel your registration?")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(phone) == []
    phone.get_by_role("link", name="No, keep my place").click()
    expect(phone.get_by_text("You have a place")).to_be_visible()
    phone.get_by_role("link", name="Cancel my registration").click()
    phone.get_by_role("button", name="Yes, cancel my registration").click()
    expect(phone.get_by_text("Your registration is cancelled.")).to_be_visible()


def test_spanish_pages_show_the_spanish_description_and_mark_english_titles(phone: Page, committed):
    _hotel_event(committed.session, description="Walk-ins welcome. Bring your resume.",
                 description_es="Puede llegar sin registro. Traiga su currículum.")
    committed.session.commit()
    phone.goto("/events/hh/?lang=es")
    expect(phone.get_by_text("Puede llegar sin registro. Traiga su currículum.")).to_be_visible()
    expect(phone.get_by_text("Walk-ins welcome.")).to_have_count(0)
    expect(phone.locator("strong", has_text="Camarista")).to_be_visible()
    # No Spanish title: the English one is there, marked so a Spanish screen reader reads it in English.
    expect(phone.locator('[lang="en"]', has_text="Night Auditor")).to_be_visible()
    assert axe_violations(phone) == []

    phone.get_by_role("link", name="Inscribirse en este evento").click()
    phone.get_by_text("Elegir puestos (1 empleador)").click()  # one tab stop until opened
    phone.get_by_text("Lakeshore Grand Hotel").click()
    expect(phone.get_by_label(re.compile("Camarista"))).to_be_visible()
    expect(phone.locator('label [lang="en"]', has_text="Night Auditor")).to_be_visible()
    assert axe_violations(phone) == []


# --- `PORT=… make run` ----------------------------------------------------------------------------


SEED = """
from datetime import timedelta
from app import create_app
from app.extensions import db
from app.models import utcnow
from app.services.surveys import add_default_surveys
from tests import factories

app = create_app()
with app.app_context():
    start = utcnow() + timedelta(days=7)
    event = factories.make_event(db.session, slug="port-check", name="Port Check Fair", capacity=None,
                                 starts_at=start)
    hotel = factories.make_participation(db.session, event, table_number="4")
    factories.make_position(db.session, hotel, title="Line Cook")
    factories.make_partnership(db.session, event, referral_code="PORTCHK1")
    add_default_surveys(db.session, event)
    db.session.commit()
"""


def _decode_qr(png: bytes) -> str:
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    return result.text


def test_a_server_started_on_another_port_makes_qr_codes_and_links_for_it(browser: Browser, tmp_path):
    """What `PORT=… make run` does, without BASE_URL: the Makefile's gunicorn config on that port,
    then `flask links` and the e-mailed badge, which are made with no browser request to copy."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("BASE_URL", "TEST_DATABASE_URL")}
    env.update(
        {
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "SECRET_KEY": "port-check",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'port.sqlite3'}",
            "OUTBOX_PATH": str(tmp_path / "outbox"),
            "MAIL_SERVER": "",
        }
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_config", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_listening(port)
        context = browser.new_context(base_url=base, viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto("/events/port-check/register")
        page.get_by_label("First name").fill("Lucía")
        page.get_by_label("Last name").fill("Hernández")
        page.get_by_label("Email").fill("lucia.h@example.com")
        page.get_by_label("ZIP code").fill("60623")
        page.get_by_label("Not working and looking for work").check()
        page.get_by_label(re.compile("I agree that the employers")).check()
        page.get_by_role("button", name="Register").click()
        qr = page.get_by_role("img", name="QR code of your badge")
        expect(qr).to_be_visible()
        assert _decode_qr(qr.screenshot()).startswith(f"{base}/b/")
        context.close()

        (mail,) = (tmp_path / "outbox").glob("*.eml")
        message = email.message_from_bytes(mail.read_bytes(), policy=policy.default)
        (qr_png,) = [part.get_content() for part in message.walk() if part.get_content_type() == "image/png"]
        assert _decode_qr(qr_png).startswith(f"{base}/b/")

        links = subprocess.run([*flask, "links", "port-check"], cwd=ROOT, env=env, check=True,
                               capture_output=True, text=True).stdout
        assert f"{base}/booth/" in links and f"{base}/partner/" in links
        assert f"{base}/events/port-check/register?ref=PORTCHK1" in links
        assert ":8000" not in links
    finally:
        server.terminate()
        server.wait(timeout=10)
