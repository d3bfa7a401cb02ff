"""A door volunteer on a 360 px phone: a handheld scanner types a badge code and Enter; the venue
Wi-Fi drops, or the server's database stops, and the scanner keeps going from its offline copy
after one visit; scans upload when an answer works again."""

import email
import email.policy
import json
import re
import secrets
import urllib.request

from playwright.sync_api import Page, expect
from sqlalchemy import event as sa_event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.models import (
    Candidate,
    CheckIn,
    OrganizationKind,
    Referral,
    Registration,
    RegistrationStatus,
    Role,
    TokenScope,
)
from app.services.tokens import issue_token
from tests import factories
from tests.e2e.conftest import axe_violations
from tests.test_badge_scan import SAMPLES as BADGE_SAMPLES


def _sign_in_and_open_the_scanner(page: Page, user) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="At the door")).to_be_visible()
    page.get_by_role("link", name=re.compile("Open the scanner")).click()
    expect(page.get_by_role("heading", name="Hospitality Hires Chicago")).to_be_visible()
    # The offline list is downloaded as soon as the page opens, and the page is kept for offline use.
    expect(page.locator("#roster-state")).to_contain_text(
        re.compile(r"Offline list: \d+ (person|people), from .* \(just now\)")
    )
    expect(page.locator("#door-scanner")).to_have_attribute("data-offline-ready", "true", timeout=15000)


def _handheld_scan(page: Page, text: str) -> None:
    """What a USB or Bluetooth scanner does: type into the focused field, then Enter."""
    expect(page.get_by_label("Badge code")).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_handheld_scanner_shows_green_then_amber(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER, name="Sam Volunteer")
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    maria = factories.make_registration(
        session, event, factories.make_candidate(session, first_name="María", last_name="Gómez")
    )
    factories.make_registration(
        session, event, factories.make_candidate(session, first_name="Ana", last_name="Núñez")
    )
    session.commit()
    code = maria.badge_code
    session.rollback()  # read nothing more here: the live server writes to the same SQLite file

    _sign_in_and_open_the_scanner(phone, volunteer)
    assert axe_violations(phone) == []

    _handheld_scan(phone, f"https://hireday.test/b/{code}")
    result = phone.locator("#scan-result")
    expect(result).to_have_class(re.compile("scan-result--ok"))
    expect(result).to_contain_text("Checked in — María Gómez")
    expect(result).to_contain_text("No interviews booked")
    expect(phone.locator("#count-checked-in .stat__value")).to_have_text(
        "1", timeout=8000
    )  # live counts poll
    assert axe_violations(phone) == []

    _handheld_scan(phone, code)
    expect(result).to_have_class(re.compile("scan-result--warn"))
    expect(result).to_contain_text(re.compile(r"Already checked in at \d+:\d\d [AP]M \(Sam Volunteer\)"))
    assert axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    _handheld_scan(phone, "not-a-badge-at-all")
    expect(result).to_have_class(re.compile("scan-result--bad"))
    expect(result).to_contain_text("Unknown badge")
    assert axe_violations(phone) == []

    # A handheld scanner with Caps Lock on types the whole badge link in capitals: the same badge.
    _handheld_scan(phone, f"HTTPS://HIREDAY.TEST/B/{code.upper()}")
    expect(result).to_have_class(re.compile("scan-result--warn"))
    expect(result).to_contain_text("Already checked in at")

    # No badge: search as you type (the count is announced), check in from the result, and the
    # answer shows on that row and in the live region, not off-screen at the top.
    phone.get_by_label(re.compile("^Find by name, e-mail")).fill("nunez")
    expect(phone.locator("#search-status")).to_have_text("1 person found")
    row = phone.locator(".search-result", has_text="Ana Núñez")
    expect(row).to_contain_text("Not checked in yet")
    phone.get_by_role("button", name="Check in Ana Núñez").click()
    expect(row).to_contain_text("Checked in — Ana Núñez")
    expect(row.get_by_role("button")).to_be_hidden()
    expect(phone.locator("#search-status")).to_contain_text("Checked in — Ana Núñez")
    box = row.bounding_box()
    assert box and box["y"] >= 0  # the answer is where the volunteer tapped
    assert axe_violations(phone) == []
    with committed.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CheckIn)) == 5


def _other_door_checks_in(live_server: str, slug: str, device_token: str, code: str) -> None:
    """Door 2, a scanner app on the check-in API, checks a badge in (while this phone is offline)."""
    request = urllib.request.Request(
        f"{live_server}/api/v1/events/{slug}/checkins", method="POST",
        data=json.dumps({"code": code, "nonce": secrets.token_hex(8)}).encode(),
        headers={"Authorization": f"Bearer {device_token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201


def test_one_visit_is_enough_to_reopen_the_scanner_offline(phone: Page, committed, live_server):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    people = [
        factories.make_registration(
            session, event, factories.make_candidate(session, first_name=first, last_name=last)
        )
        for first, last in (("Ana", "Ruiz"), ("Li", "Wei"), ("José", "Núñez"))
    ]
    _token, door2 = issue_token(session, TokenScope.DEVICE, "Door 2", event=event)
    session.commit()
    codes = [p.badge_code for p in people]
    ids = sorted(p.id for p in people)
    session.rollback()  # read nothing more here: the live server writes to the same SQLite file

    _sign_in_and_open_the_scanner(phone, volunteer)  # one visit, online
    phone.context.set_offline(True)
    phone.reload()  # the tab was dropped on bad Wi-Fi: the kept copy opens
    expect(phone.get_by_role("heading", name="Hospitality Hires Chicago")).to_be_visible()
    expect(phone.locator("#door-scanner")).to_have_attribute("data-ready", "true", timeout=10000)
    expect(phone.locator("#connection-state")).to_have_text("Offline")
    expect(phone.locator("#roster-state")).to_contain_text("Offline list: 3 people")

    result = phone.locator("#scan-result")
    for n, code in enumerate(codes, start=1):
        _handheld_scan(phone, f"https://hireday.test/b/{code}")
        expect(phone.locator("#queue-state")).to_have_text(f"Saving on this device: {n} waiting")
        expect(result).to_have_class(re.compile("scan-result--ok"))
    expect(result).to_contain_text("Checked in (offline) — José N.")
    expect(phone.locator("#door-status")).to_have_class(re.compile("door-status--saving"))
    # The same badge again, still offline: the device knows it already let them in.
    _handheld_scan(phone, codes[0].upper())
    expect(result).to_have_class(re.compile("scan-result--warn"))
    expect(phone.locator("#queue-state")).to_have_text("Saving on this device: 4 waiting")
    assert axe_violations(phone) == []
    phone.screenshot(path="/tmp/door-offline-360.png")

    # Meanwhile another door, online, let Li Wei in.
    _other_door_checks_in(live_server, "hh", door2, codes[1])
    with committed.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CheckIn)) == 1

    phone.context.set_offline(False)
    expect(phone.locator("#queue-state")).to_have_text("Nothing waiting to upload", timeout=15000)
    expect(phone.locator("#connection-state")).to_have_text("Online")
    # What the server decided differently is shown to this volunteer: Li was let in by Door 2.
    report = phone.locator("#sync-report")
    expect(report).to_contain_text("1 person was already checked in by another door")
    expect(report).to_contain_text(re.compile(r"Li Wei: Already checked in at \d+:\d\d [AP]M \(Door 2\)"))
    expect(report).not_to_contain_text("Ana Ruiz")  # the repeat scan of Ana was shown amber already
    # The "saved on this device" answer is gone now that everything has uploaded.
    expect(result).not_to_contain_text("Saved on this device")
    expect(result).to_contain_text("4 scans saved on this device have uploaded")
    assert axe_violations(phone) == []
    phone.screenshot(path="/tmp/door-synced-360.png")
    phone.get_by_role("button", name="OK, seen").click()
    expect(report).to_be_hidden()

    with committed.engine.connect() as connection:
        rows = connection.execute(
            select(CheckIn.registration_id, CheckIn.is_offline, CheckIn.is_duplicate)
        ).all()
    offline = [r for r in rows if r.is_offline]
    assert len(offline) == 4
    assert sorted(r.registration_id for r in rows if not r.is_duplicate) == ids
    assert len([r for r in rows if r.is_duplicate]) == 2  # Li after Door 2, and Ana's repeat
    assert _stored(phone, "queue") == 0
    assert _stored(phone, "roster") == 1

    # Signing out uploads what it can, then forgets the roster, the queue and the kept page.
    phone.get_by_role("button", name="Sign out").click()
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    assert _stored(phone, "roster") == 0
    assert phone.evaluate("async () => (await caches.keys()).length") == 0


def test_a_waitlisted_badge_is_refused_in_red_online_and_offline(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=1)
    factories.make_registration(session, event)
    waiting = factories.make_registration(
        session,
        event,
        factories.make_candidate(session, first_name="Rosa", last_name="Díaz"),
        status=RegistrationStatus.WAITLISTED,
    )
    session.commit()
    code = waiting.badge_code
    session.rollback()  # read nothing more here: the live server writes to the same SQLite file

    _sign_in_and_open_the_scanner(phone, volunteer)
    result = phone.locator("#scan-result")
    _handheld_scan(phone, code)
    expect(result).to_have_class(re.compile("scan-result--bad"))
    expect(result).to_contain_text("On the waitlist — Rosa Díaz")
    expect(result).to_contain_text("Rosa Díaz has no place yet. Staff can admit them")  # the server's words
    assert axe_violations(phone) == []

    phone.context.set_offline(True)
    _handheld_scan(phone, code)
    expect(result).to_have_class(re.compile("scan-result--bad"))
    expect(result).to_contain_text("They are on the waitlist: ask staff before letting them in.")
    phone.context.set_offline(False)
    expect(phone.locator("#queue-state")).to_have_text("Nothing waiting to upload", timeout=15000)
    expect(phone.locator("#sync-report")).to_be_hidden()  # the server said what the device had said
    with committed.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.successful)) == 0


def test_the_scanner_keeps_going_while_the_database_is_down(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    people = [
        factories.make_registration(
            session, event, factories.make_candidate(session, first_name=first, last_name=last)
        )
        for first, last in (("Ana", "Ruiz"), ("Li", "Wei"))
    ]
    session.commit()
    codes = [p.badge_code for p in people]
    session.rollback()
    _sign_in_and_open_the_scanner(phone, volunteer)

    def database_down(*args, **kwargs):
        raise OperationalError("statement", {}, ConnectionError("the database server is not answering"))

    engine = committed.engine
    sa_event.listen(engine, "before_cursor_execute", database_down)
    try:
        # Reloading during the outage: the server answers 500, the kept scanner opens.
        phone.reload()
        expect(phone.get_by_role("heading", name="Hospitality Hires Chicago")).to_be_visible()
        expect(phone.locator("#door-scanner")).to_have_attribute("data-ready", "true", timeout=10000)
        expect(phone.locator("#roster-state")).to_contain_text("Offline list: 2 people")
        for n, code in enumerate(codes, start=1):
            _handheld_scan(phone, code)
            expect(phone.locator("#queue-state")).to_have_text(f"Saving on this device: {n} waiting")
        expect(phone.locator("#connection-state")).to_have_text("The server is not answering")
        expect(phone.locator("#scan-result")).to_contain_text("Checked in (offline) — Li W.")
        phone.screenshot(path="/tmp/door-db-down-360.png")
    finally:
        sa_event.remove(engine, "before_cursor_execute", database_down)

    # The database is back: the queue uploads at the first answer that works, without a reload.
    expect(phone.locator("#queue-state")).to_have_text("Nothing waiting to upload", timeout=15000)
    expect(phone.locator("#connection-state")).to_have_text("Online")
    with committed.engine.connect() as connection:
        rows = connection.execute(
            select(CheckIn.registration_id, CheckIn.is_offline, CheckIn.successful)
        ).all()
    assert sorted(r.registration_id for r in rows) == sorted(p.id for p in people)
    assert all(r.is_offline and r.successful for r in rows)


def test_check_out_is_one_deliberate_scan_in_its_own_colour(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    maria = factories.make_registration(
        session, event, factories.make_candidate(session, first_name="María", last_name="Gómez")
    )
    ana = factories.make_registration(
        session, event, factories.make_candidate(session, first_name="Ana", last_name="Ruiz")
    )
    session.commit()
    codes = (maria.badge_code, ana.badge_code)
    session.rollback()

    phone.clock.install()
    _sign_in_and_open_the_scanner(phone, volunteer)
    result = phone.locator("#scan-result")
    _handheld_scan(phone, codes[0])
    expect(result).to_contain_text("Checked in — María Gómez")

    phone.get_by_role("button", name="Check someone out").click()
    expect(phone.locator("#exit-banner")).to_contain_text("the next scan checks a person OUT")
    expect(phone.locator("#scan-form button[type=submit]")).to_have_text("Check OUT")
    phone.screenshot(path="/tmp/door-exit-mode-360.png")
    phone.get_by_label("Badge code").focus()
    _handheld_scan(phone, codes[0])
    expect(result).to_have_class(re.compile("scan-result--out"))
    expect(result).to_contain_text("Checked OUT — María Gómez")
    assert axe_violations(phone) == []
    phone.screenshot(path="/tmp/door-checked-out-360.png")
    # Back to entry by itself: the next arrival is checked in, not out.
    expect(phone.locator("#exit-banner")).to_be_hidden()
    expect(phone.locator("#scan-form button[type=submit]")).to_have_text("Check in")
    _handheld_scan(phone, codes[1])
    expect(result).to_contain_text("Checked in — Ana Ruiz")

    # Check-out mode left on without a scan ends by itself.
    phone.get_by_role("button", name="Check someone out").click()
    expect(phone.locator("#exit-banner")).to_be_visible()
    phone.clock.fast_forward("00:31")
    expect(phone.locator("#exit-banner")).to_be_hidden()
    expect(phone.locator("#door-scanner")).to_have_attribute("data-mode", "entry")
    with committed.engine.connect() as connection:
        kinds = connection.execute(select(CheckIn.kind).order_by(CheckIn.id)).scalars().all()
    assert [k.value for k in kinds] == ["entry", "exit", "entry"]


def _stored(page: Page, store: str) -> int:
    """How many records the scanner keeps in an IndexedDB store on this device."""
    return page.evaluate("""async (store) => new Promise((resolve) => {
        const open = indexedDB.open("hireday-door");
        open.onsuccess = () => {
            const all = open.result.transaction(store).objectStore(store).getAll();
            all.onsuccess = () => resolve(all.result.length);
        };
    })""", store)


def test_staff_keep_check_out_mode_on_at_an_exit_door(phone: Page, committed):
    session = committed.session
    staff = factories.make_user(session, Role.STAFF)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    people = [factories.make_registration(session, event) for _ in range(2)]
    session.commit()
    codes = [p.badge_code for p in people]
    session.rollback()

    phone.goto("/login?next=/door/events/hh/")
    phone.get_by_label("Email").fill(staff.email)
    phone.get_by_label("Password").fill(factories.PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.locator("#door-scanner")).to_have_attribute("data-ready", "true", timeout=10000)
    for code in codes:
        _handheld_scan(phone, code)
        expect(phone.locator("#scan-result")).to_have_class(re.compile("scan-result--ok"))
    phone.get_by_role("button", name="Check someone out").click()
    phone.get_by_label("Keep check-out mode on (an exit door)").check()
    for code in codes:
        phone.get_by_label("Badge code").focus()
        _handheld_scan(phone, code)
        expect(phone.locator("#scan-result")).to_have_class(re.compile("scan-result--out"))
        expect(phone.locator("#exit-banner")).to_be_visible()  # still checking people out
    assert axe_violations(phone) == []
    with committed.engine.connect() as connection:
        kinds = connection.execute(select(CheckIn.kind).order_by(CheckIn.id)).scalars().all()
    assert [k.value for k in kinds] == ["entry", "entry", "exit", "exit"]


def test_walk_in_badge_link_and_device_pages_on_a_phone(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    maria = factories.make_registration(
        session, event, factories.make_candidate(session, first_name="María", last_name="Gómez")
    )
    session.commit()
    code = maria.badge_code
    session.rollback()

    phone.goto("/door/device")
    expect(phone.get_by_role("heading", name="Use this device as a scanner")).to_be_visible()
    assert axe_violations(phone) == []

    _sign_in_and_open_the_scanner(phone, volunteer)
    phone.get_by_role("link", name="Register a walk-in").click()
    phone.get_by_role("button", name="Register, check in and print badge").click()
    expect(phone.get_by_role("alert")).to_contain_text("Please fix the following")
    assert axe_violations(phone) == []
    phone.get_by_label("First name").fill("Keisha")
    phone.get_by_label("Last name").fill("Washington")
    phone.get_by_label("Mobile phone").fill("773-555-0111")
    phone.get_by_label("ZIP code").fill("60615")
    phone.get_by_label("Working part time").check()
    phone.get_by_label(re.compile("They agree that the employers")).check()
    phone.get_by_role("button", name="Register, check in and print badge").click()
    expect(phone.locator("#scan-result")).to_contain_text("Checked in — Keisha Washington")
    expect(phone.get_by_role("link", name="Print badge")).to_be_visible()
    assert axe_violations(phone) == []

    phone.goto(f"/b/{code}")
    phone.get_by_role("button", name="Check in María").click()
    expect(phone.locator("#scan-result")).to_contain_text("Checked in — María Gómez")
    phone.goto(f"/b/{code}")
    expect(phone.get_by_text(re.compile("Already checked in at"))).to_be_visible()
    assert axe_violations(phone) == []


def test_the_door_walk_in_and_device_pages_in_spanish(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    maria = factories.make_registration(
        session, event, factories.make_candidate(session, first_name="María", last_name="Gómez")
    )
    session.commit()
    code, email = maria.badge_code, volunteer.email
    session.rollback()

    phone.goto("/door/device?lang=es")
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    expect(phone.get_by_role("heading", name="Usar este dispositivo como escáner")).to_be_visible()
    expect(phone.get_by_role("button", name="Abrir el escáner")).to_be_visible()
    assert axe_violations(phone) == []

    phone.goto("/login")
    phone.locator("[name=email]").fill(email)
    phone.locator("[name=password]").fill(factories.PASSWORD)
    phone.locator("form button[type=submit]").click()
    phone.get_by_role("link", name=re.compile("Abrir el escáner")).click()
    expect(phone.locator("#connection-state")).to_have_text("En línea")
    expect(phone.locator("#roster-state")).to_contain_text("Lista sin conexión: 1 persona")
    phone.get_by_label("Código del gafete").focus()
    phone.keyboard.type(code)
    phone.keyboard.press("Enter")
    expect(phone.locator("#scan-result")).to_contain_text("Registrado — María Gómez")
    expect(phone.locator("#scan-result")).to_contain_text("Sin entrevistas reservadas")
    assert axe_violations(phone) == []
    phone.screenshot(path="/tmp/door-es-360.png")
    phone.get_by_role("link", name="Inscribir sin cita previa").click()
    expect(phone.get_by_role("heading", name="Inscribir sin cita previa")).to_be_visible()
    expect(phone.get_by_label("Teléfono celular")).to_be_visible()
    assert axe_violations(phone) == []


def test_staff_make_the_badge_sheet_with_progress(app, page: Page, committed, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "BADGE_SHEETS_PATH", str(tmp_path))
    session = committed.session
    staff = factories.make_user(session, Role.STAFF)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    for last in ("Zapata", "Adams", "García"):
        factories.make_registration(session, event, factories.make_candidate(session, last_name=last))
    session.commit()

    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/door/")
    page.get_by_role("link", name="Badge sheets for Hospitality Hires Chicago").click()
    expect(page.get_by_role("heading", name="Badge sheets")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Start at label").select_option("4")
    page.get_by_role("button", name="Make the badge sheet (PDF)").click()
    expect(page.get_by_text("3 badges are ready, starting at label 4")).to_be_visible(timeout=30000)
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the badge sheet (PDF)").click()
    assert download.value.suggested_filename == "badges-hh.pdf"


def test_a_scan_after_the_session_ended_is_kept_until_signing_in_again(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    maria = factories.make_registration(session, event)
    session.commit()
    code, email = maria.badge_code, volunteer.email
    session.rollback()

    _sign_in_and_open_the_scanner(phone, volunteer)
    phone.context.clear_cookies()  # the session ends (idle limit, or signed out elsewhere)
    _handheld_scan(phone, code)
    expect(phone.locator("#scan-result")).to_contain_text("Signed out — sign in again")
    expect(phone.locator("#queue-state")).to_have_text("Saving on this device: 1 waiting")

    phone.get_by_role("link", name="Sign in again").click()
    phone.get_by_label("Email").fill(email)
    phone.get_by_label("Password").fill(factories.PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.locator("#door-scanner")).to_have_attribute("data-ready", "true", timeout=10000)
    expect(phone.locator("#queue-state")).to_have_text("Nothing waiting to upload")
    with committed.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CheckIn)) == 1


def _camera_feed(path, data: str, width: int = 640, height: int = 480) -> None:
    """A Y4M video of a badge's QR code held in front of the camera, for Chromium's fake camera."""
    import qrcode
    from PIL import Image
    from qrcode.image.pil import PilImage

    code = qrcode.QRCode(border=4, box_size=8)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(image_factory=PilImage).convert("L")
    frame = Image.new("L", (width, height), 255)
    frame.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
    chroma = bytes([128]) * (width // 2 * height // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def test_camera_scanning_reads_a_badge(browser, live_server, committed, tmp_path):
    """The vendored qr-scanner, its same-origin decoder worker (this Chromium has no
    BarcodeDetector) and our CSP, with a fake camera showing the badge's QR code."""
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    maria = factories.make_registration(
        session, event, factories.make_candidate(session, first_name="María", last_name="Gómez")
    )
    session.commit()
    feed = tmp_path / "badge.y4m"
    _camera_feed(feed, f"https://hireday.test/b/{maria.badge_code}")
    session.rollback()

    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={feed}"],
    )
    try:
        context = camera_browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
        context.grant_permissions(["camera"], origin=live_server)
        phone = context.new_page()
        _sign_in_and_open_the_scanner(phone, volunteer)
        phone.get_by_role("button", name="Scan with the camera").click()
        expect(phone.locator("#scan-result")).to_contain_text("Checked in — María Gómez", timeout=15000)
        # The preview is at the top of the screen with the answer over it: aim and read in one place.
        video, answer = (
            phone.locator("#camera-view").bounding_box(),
            phone.locator("#scan-result").bounding_box(),
        )
        assert video["y"] >= 0 and video["y"] + video["height"] <= 740
        assert video["y"] < answer["y"] and answer["y"] + answer["height"] <= video["y"] + video["height"] + 1
        phone.screenshot(path=str(tmp_path / "door-camera-360.png"))
        phone.screenshot(path="/tmp/door-camera-360.png")
        # The badge stays in front of the camera: it counts once, not again every few seconds.
        phone.wait_for_timeout(6000)
        expect(phone.locator("#scan-result")).to_contain_text("Checked in — María Gómez")
        expect(phone.get_by_role("button", name="Stop the camera")).to_be_visible()
        assert axe_violations(phone) == []
        phone.get_by_role("button", name="Stop the camera").click()
        expect(phone.locator("#camera-view")).to_be_hidden()
        with committed.engine.connect() as connection:
            assert (
                connection.scalar(select(func.count()).select_from(CheckIn)) == 1
            )  # read once, not every frame
    finally:
        camera_browser.close()


def test_a_spanish_walk_in_sharing_the_family_phone_gets_a_spanish_confirmation(
    phone: Page, committed, app, tmp_path, monkeypatch
):
    """Guadalupe walks in; her husband José registered online with the family's phone and e-mail."""
    outbox = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(outbox))
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER, name="Sam Volunteer")
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=1)  # full
    factories.make_registration(
        session,
        event,
        factories.make_candidate(
            session,
            first_name="José",
            last_name="Núñez",
            email="nunez.familia@example.com",
            phone="+13125550142",
        ),
    )
    factories.make_partnership(session, event, organization=factories.make_organization(
        session, OrganizationKind.JOB_CENTER, name="Instituto del Progreso Latino"))
    session.commit()
    session.rollback()

    _sign_in_and_open_the_scanner(phone, volunteer)
    phone.get_by_role("link", name="Register a walk-in").click()
    expect(phone.get_by_role("heading", name="Register a walk-in")).to_be_visible()
    phone.get_by_label("First name").fill("Guadalupe")
    phone.get_by_label("Last name").fill("Núñez")
    phone.get_by_label("Mobile phone").fill("312-555-0142")
    phone.get_by_label("Email").fill("nunez.familia@example.com")
    phone.get_by_label("ZIP code").fill("60623")
    phone.get_by_label("Español").check()
    phone.get_by_label("Not working and looking for work").check()
    phone.get_by_label("Referred by (optional)").select_option(label="Instituto del Progreso Latino")
    phone.get_by_label(re.compile("They agree that the employers")).check()
    assert axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(tmp_path / "walk-in-form.png"), full_page=True)
    phone.get_by_role("button", name="Register, check in and print badge").click()

    expect(phone.get_by_role("heading", name="Guadalupe Núñez")).to_be_visible()
    expect(phone.locator("#scan-result")).to_contain_text("Checked in — Guadalupe Núñez")
    expect(
        phone.get_by_text(
            re.compile(
                "New walk-in registration, check-in number 2. Their confirmation is e-mailed in Spanish"
            )
        )
    ).to_be_visible()
    expect(phone.get_by_role("link", name="Print badge")).to_be_visible()
    assert axe_violations(phone) == []

    mails = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(outbox.glob("*.eml"))
    ]
    assert [m["Subject"] for m in mails] == ["Ya está inscrito: Hospitality Hires Chicago"]
    plain = mails[0].get_body(("plain",))
    assert plain is not None
    body = plain.get_content()
    assert "Hola, Guadalupe" in body and "Número de registro (si el código no se puede leer): 2" in body
    with Session(committed.engine) as check:
        rows = check.execute(select(Candidate.first_name, Registration.status, Registration.source,
                                    Registration.language, Registration.employment_status)
                             .join(Registration.candidate).order_by(Registration.id)).all()
        assert [tuple(str(v) for v in row) for row in rows] == [
            ("José", "registered", "online", "en", "None"),
            ("Guadalupe", "registered", "walk_in", "es", "unemployed"),
        ]
        assert check.scalar(select(func.count()).select_from(Referral)) == 1


def test_a_scan_the_device_cannot_keep_is_said_logged_and_the_next_scan_works(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    ana = factories.make_registration(
        session, event, factories.make_candidate(session, first_name="Ana", last_name="Ruiz")
    )
    session.commit()
    code = ana.badge_code
    session.rollback()
    logged: list[str] = []
    phone.on("console", lambda message: logged.append(message.text) if message.type == "error" else None)
    _sign_in_and_open_the_scanner(phone, volunteer)

    # The page reads badge codes by the server's own rule, carried on the page.
    page_reads = phone.evaluate(
        """(samples) => {
          const rule = new RegExp(document.getElementById("door-scanner").dataset.badgeInUrl, "is");
          return samples.map((s) => {
            const text = s.trim();
            const m = rule.exec(text);
            return m ? m[1] : text;
          });
        }""",
        [scanned for scanned, _ in BADGE_SAMPLES],
    )
    assert page_reads == [code for _, code in BADGE_SAMPLES]

    # Offline, and the device's storage refuses to keep the scan (a full disk, private mode).
    phone.context.set_offline(True)
    phone.evaluate("""() => {
      window.keepPut = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = () => {
        throw new DOMException("The disk is full", "QuotaExceededError");
      };
    }""")
    _handheld_scan(phone, code)
    result = phone.locator("#scan-result")
    expect(result).to_contain_text("Scan NOT saved")
    expect(result).to_contain_text("Scan the badge again")
    expect(result).to_have_class(re.compile("scan-result--bad"))
    expect(phone.locator("#door-scanner")).to_have_attribute("data-busy", "false")
    expect(phone.locator("#queue-state")).to_have_text("Nothing waiting to upload")
    assert any("could not be saved on this device" in line for line in logged), logged
    assert axe_violations(phone) == []

    # The storage works again: the very next scan is kept and uploads once the network is back.
    phone.evaluate("() => { IDBObjectStore.prototype.put = window.keepPut; }")
    _handheld_scan(phone, code)
    expect(result).to_contain_text("Checked in (offline) — Ana R.")
    expect(phone.locator("#queue-state")).to_have_text("Saving on this device: 1 waiting")
    phone.context.set_offline(False)
    expect(phone.locator("#queue-state")).to_have_text("Nothing waiting to upload", timeout=15000)
    with committed.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.successful)) == 1
