"""A door volunteer on a 360 px phone: a handheld scanner types a badge code and Enter; later the
venue Wi-Fi drops for three scans and they upload when it comes back."""

import email
import email.policy
import re

from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Candidate, CheckIn, OrganizationKind, Referral, Registration, Role
from tests import factories
from tests.e2e.conftest import axe_violations


def _sign_in_and_open_the_scanner(page: Page, user) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="At the door")).to_be_visible()
    page.get_by_role("link", name=re.compile("Open the scanner")).click()
    expect(page.get_by_role("heading", name="Hospitality Hires Chicago")).to_be_visible()
    # The offline list is downloaded as soon as the page opens.
    expect(page.locator("#roster-state")).to_contain_text("Offline list ready")


def _handheld_scan(page: Page, text: str) -> None:
    """What a USB or Bluetooth scanner does: type into the focused field, then Enter."""
    expect(page.get_by_label("Badge code")).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_handheld_scanner_shows_green_then_amber(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER, name="Sam Volunteer")
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    maria = factories.make_registration(session, event, factories.make_candidate(session, first_name="María", last_name="Gómez"))
    factories.make_registration(session, event, factories.make_candidate(session, first_name="Ana", last_name="Núñez"))
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
    expect(phone.locator("#count-checked-in .stat__value")).to_have_text("1", timeout=8000)  # live counts poll
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

    # No badge: search as you type, check in from the result.
    phone.get_by_label(re.compile("^Find by name, e-mail")).fill("nunez")
    phone.get_by_role("button", name="Check in Ana Núñez").click()
    expect(result).to_contain_text("Checked in — Ana Núñez")
    assert axe_violations(phone) == []
    with committed.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CheckIn)) == 4


def test_offline_scans_are_queued_and_uploaded_when_back_online(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    people = [
        factories.make_registration(session, event, factories.make_candidate(session, first_name=first, last_name=last))
        for first, last in (("Ana", "Ruiz"), ("Li", "Wei"), ("José", "Núñez"))
    ]
    session.commit()
    codes = [p.badge_code for p in people]
    ids = sorted(p.id for p in people)
    session.rollback()  # read nothing more here: the live server writes to the same SQLite file

    _sign_in_and_open_the_scanner(phone, volunteer)
    phone.context.set_offline(True)
    expect(phone.locator("#connection-state")).to_have_text("Offline")

    result = phone.locator("#scan-result")
    for n, code in enumerate(codes, start=1):
        _handheld_scan(phone, f"https://hireday.test/b/{code}")
        expect(phone.locator("#queue-state")).to_have_text(f"{n} scan{'s' if n > 1 else ''} waiting to upload")
        expect(result).to_have_class(re.compile("scan-result--ok"))
    expect(result).to_contain_text("Checked in (offline) — José N.")
    # The same badge again, still offline: the device knows it already let them in.
    _handheld_scan(phone, codes[0])
    expect(result).to_have_class(re.compile("scan-result--warn"))
    expect(phone.locator("#queue-state")).to_have_text("4 scans waiting to upload")
    assert axe_violations(phone) == []
    with committed.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CheckIn)) == 0

    phone.context.set_offline(False)
    expect(phone.locator("#queue-state")).to_have_text("0 scans waiting to upload", timeout=10000)
    with committed.engine.connect() as connection:
        rows = connection.execute(select(CheckIn.registration_id, CheckIn.is_offline, CheckIn.is_duplicate)).all()
    assert sorted(r.registration_id for r in rows if not r.is_duplicate) == ids
    assert all(r.is_offline for r in rows)
    assert len([r for r in rows if r.is_duplicate]) == 1
    assert _stored(phone, "queue") == 0
    assert _stored(phone, "roster") == 1

    # Signing out uploads what it can, then forgets the roster and the queue.
    phone.get_by_role("button", name="Sign out").click()
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    assert _stored(phone, "roster") == 0


def _stored(page: Page, store: str) -> int:
    """How many records the scanner keeps in an IndexedDB store on this device."""
    return page.evaluate("""async (store) => new Promise((resolve) => {
        const open = indexedDB.open("hireday-door");
        open.onsuccess = () => {
            const all = open.result.transaction(store).objectStore(store).getAll();
            all.onsuccess = () => resolve(all.result.length);
        };
    })""", store)


def test_walk_in_badge_link_and_device_pages_on_a_phone(phone: Page, committed):
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    maria = factories.make_registration(session, event, factories.make_candidate(session, first_name="María", last_name="Gómez"))
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
    expect(phone.locator("#queue-state")).to_have_text("1 scan waiting to upload")

    phone.get_by_role("link", name="Sign in again").click()
    phone.get_by_label("Email").fill(email)
    phone.get_by_label("Password").fill(factories.PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.locator("#door-scanner")).to_have_attribute("data-ready", "true", timeout=10000)
    expect(phone.locator("#queue-state")).to_have_text("0 scans waiting to upload")
    with committed.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CheckIn)) == 1


def _camera_feed(path, data: str, width: int = 640, height: int = 480) -> None:
    """A Y4M video of a badge's QR code held in front of the camera, for Chromium's fake camera."""
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(border=4, box_size=8)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image().convert("L")
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
    maria = factories.make_registration(session, event, factories.make_candidate(session, first_name="María", last_name="Gómez"))
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
        expect(phone.get_by_role("button", name="Stop the camera")).to_be_visible()
        assert axe_violations(phone) == []
        phone.get_by_role("button", name="Stop the camera").click()
        with committed.engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(CheckIn)) == 1  # read once, not every frame
    finally:
        camera_browser.close()


def test_a_spanish_walk_in_sharing_the_family_phone_gets_a_spanish_confirmation(phone: Page, committed, app, tmp_path, monkeypatch):
    """Guadalupe walks in; her husband José registered online with the family's phone and e-mail."""
    outbox = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(outbox))
    session = committed.session
    volunteer = factories.make_user(session, Role.VOLUNTEER, name="Sam Volunteer")
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=1)  # full
    factories.make_registration(session, event, factories.make_candidate(
        session, first_name="José", last_name="Núñez", email="nunez.familia@example.com", phone="+13125550142"))
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
    expect(phone.get_by_text(re.compile("New walk-in registration, check-in number 2. Their confirmation is e-mailed in Spanish"))).to_be_visible()
    expect(phone.get_by_role("link", name="Print badge")).to_be_visible()
    assert axe_violations(phone) == []

    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in sorted(outbox.glob("*.eml"))]
    assert [m["Subject"] for m in mails] == ["Ya está inscrito: Hospitality Hires Chicago"]
    body = mails[0].get_body(("plain",)).get_content()
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
