"""Badge sheets for a whole event: Avery 5392-style pages, sorted by last name, starting at any
label, QR codes that decode from the printed page, made in the background with progress."""

import subprocess

import pytest
import zxingcpp
from PIL import Image

from app.models import FileJob, RegistrationStatus, Role, utcnow
from app.services import badge_sheets
from app.services.errors import DomainError
from tests import factories
from tests.conftest import csrf_token

HEADING = badge_sheets.SheetHeading(
    "Hospitality Hires Chicago", "December 10, 2026", "Chicago Cook Workforce Partnership"
)


def _pages(tmp_path, pdf: bytes, resolution: int = 150) -> list[Image.Image]:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts" in info  # US Letter
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(path), str(tmp_path / "page")], check=True)
    return [Image.open(p) for p in sorted(tmp_path.glob("page-*.png"))]


def _decoded_by_position(image: Image.Image) -> list[tuple[int, int, str]]:
    """(row, column, text) of each QR code on a page: which of the six labels it is on."""
    found = []
    for result in zxingcpp.read_barcodes(image):
        x, y = result.position.top_left.x / image.width * 8.5, result.position.top_left.y / image.height * 11
        found.append((int((y - 1) // 3), int((x - 0.25) // 4), result.text))
    return sorted(found)


def test_badges_are_sorted_by_last_name_and_hold_a_place(db):
    event = factories.make_event(db.session)
    for first, last in (("Zoe", "Adams"), ("ana", "zapata"), ("Luis", "García"), ("Bea", "adams")):
        factories.make_registration(
            db.session, event, factories.make_candidate(db.session, first_name=first, last_name=last)
        )
    factories.make_registration(db.session, event, status=RegistrationStatus.CANCELLED, cancelled_at=utcnow())
    factories.make_registration(db.session, event, status=RegistrationStatus.WAITLISTED)
    people = badge_sheets.badges_for(db.session, event, lambda code: f"https://hireday.test/b/{code}")
    assert [(b.first_name, b.last_name) for b in people] == [
        ("Bea", "adams"), ("Zoe", "Adams"), ("Luis", "García"), ("ana", "zapata")
    ]


def test_start_at_label_five_leaves_four_blank_and_every_qr_decodes(app, tmp_path):
    people = [
        badge_sheets.SheetBadge(
            f"Person{n}", f"Last{n:02d}", f"https://hireday.test/b/code{n:02d}xxxxxxxxxxxxxxxx", n + 1
        )
        for n in range(8)
    ]
    with app.test_request_context():
        pdf = badge_sheets.badge_sheet_pdf(people, HEADING, start_at=5)
    first, second = _pages(tmp_path, pdf)
    # Labels 1–4 of the first sheet stay blank; 5 and 6 (the bottom row) get the first two people.
    assert _decoded_by_position(first) == [(2, 0, people[0].url), (2, 1, people[1].url)]
    assert [text for *_, text in _decoded_by_position(second)] == [p.url for p in people[2:]]
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "sheet.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Person0" in text and "Last07" in text and text.count("Hospitality Hires Chicago") == 8


def test_long_sheets_render_in_parallel_pieces_merged_in_order(app, tmp_path, monkeypatch):
    monkeypatch.setattr(badge_sheets, "CHUNK", 6)
    people = [
        badge_sheets.SheetBadge(
            "Ana", f"Ruiz{n:02d}", f"https://hireday.test/b/parallel{n:02d}xxxxxxxxxxxx", n + 1
        )
        for n in range(20)
    ]
    seen = []
    with app.test_request_context():
        pdf = badge_sheets.badge_sheet_pdf(people, HEADING, workers=2, on_progress=seen.append)
    pages = _pages(tmp_path, pdf, resolution=100)
    assert len(pages) == 4
    assert [text for page in pages for *_, text in _decoded_by_position(page)] == [p.url for p in people]
    assert sorted(seen) == seen and seen[-1] == 20


def test_start_label_and_empty_events_are_refused(app):
    with pytest.raises(DomainError) as error:
        badge_sheets.badge_sheet_pdf([badge_sheets.SheetBadge("A", "B", "u", 1)], HEADING, start_at=7)
    assert error.value.code == "invalid_start"
    with pytest.raises(DomainError) as error:
        badge_sheets.badge_sheet_pdf([], HEADING)
    assert error.value.code == "no_badges"


def test_staff_make_a_sheet_on_the_job_queue_and_download_it(app, client, db, login):
    """The job runs at once here (the queue's immediate mode); tests/test_worker.py runs it on a real
    worker process and downloads it from another web process."""
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago")
    for n in range(3):
        factories.make_registration(
            db.session, event, factories.make_candidate(db.session, last_name=f"Zed{n}")
        )
    staff = factories.make_user(db.session, Role.STAFF)
    db.session.commit()
    login(staff)

    assert client.get("/staff/events/hh/badges.pdf").headers["Location"] == "/staff/events/hh/badges"
    page = client.get("/staff/events/hh/badges").get_data(as_text=True)
    assert "Every one of the 3 people holding a place" in page

    started = client.post(
        "/staff/events/hh/badges",
        data={"csrf_token": csrf_token(client, "/staff/events/hh/badges"), "start_at": "2"},
    )
    job_id = started.headers["Location"].split("job=")[1]
    assert db.session.get(FileJob, job_id).content.startswith(b"%PDF")  # kept in the database
    done = client.get(f"/staff/events/hh/badges/jobs/{job_id}").get_data(as_text=True)
    assert "3 badges are ready, starting at label 2" in done
    download = client.get(f"/staff/events/hh/badges/jobs/{job_id}.pdf")
    assert download.data.startswith(b"%PDF")
    download.close()
    latest = client.get("/staff/events/hh/badges.pdf")
    assert latest.status_code == 200 and latest.headers["Content-Disposition"].startswith("attachment")
    latest.close()
    assert client.get(f"/staff/events/other/badges/jobs/{job_id}").status_code == 404


def test_badge_sheets_are_for_staff_only(client, db, login):
    factories.make_event(db.session, slug="hh")
    volunteer = factories.make_user(db.session, Role.VOLUNTEER)
    db.session.commit()
    login(volunteer)
    assert client.get("/staff/events/hh/badges").status_code == 403
    assert client.get("/staff/events/hh/badges.pdf").status_code == 403
