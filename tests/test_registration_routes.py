"""Registering through the web form, the person's own page, the badge and the e-mails."""

import email
import re
import subprocess
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from app.models import Registration, RegistrationStatus
from app.services.surveys import add_default_surveys
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def event(db):
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago", capacity=None)
    participation = factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Lakeshore Grand Hotel")
    )
    factories.make_position(db.session, participation, title="Banquet Server")
    factories.make_partnership(db.session, event, referral_code="PILSEN26")
    add_default_surveys(db.session, event)
    db.session.commit()  # it exists before anyone registers (a request's rollback keeps it)
    return event


@pytest.fixture
def outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_PATH", str(tmp_path / "outbox"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    return tmp_path / "outbox"


def messages(outbox: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(outbox.glob("*.eml"))
    ]


def form_data(client, path="/events/hh/register", **overrides):
    data = {
        "csrf_token": csrf_token(client, path),
        "first_name": "Lucía", "last_name": "Hernández", "email": "lucia.h@example.com",
        "phone": "773-555-0188", "zip_code": "60623", "language": "es",
        "q_employment_status": "unemployed", "consent_share_profile": "y", "referral_code": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_registering_leads_to_the_badge_page_and_an_email(client, db, event, outbox):
    response = client.post("/events/hh/register", data=form_data(client))
    assert response.status_code == 302
    manage_path = response.headers["Location"]
    assert re.fullmatch(r"/r/[A-Za-z0-9_-]{43}", manage_path)

    page = client.get(manage_path).get_data(as_text=True)
    assert "Lucía Hernández" in page and "<svg" in page
    (mail,) = messages(outbox)
    assert mail["To"] == "lucia.h@example.com"
    assert mail["Subject"].startswith("Ya está inscrito")  # in the language they chose
    body = mail.get_body(("plain",)).get_content()
    assert manage_path in body
    assert {part.get_filename() for part in mail.iter_attachments()} == {"hh.ics"}
    assert any(part.get_content_type() == "image/png" for part in mail.walk())  # the QR, inline


def test_a_referral_link_preselects_the_partner(client, db, event):
    page = client.get("/events/hh/register?ref=pilsen26").get_data(as_text=True)
    assert re.search(r'<option selected value="PILSEN26">|<option value="PILSEN26" selected>', page)


def test_missing_answers_are_all_shown_at_once_and_typed_values_kept(client, db, event):
    response = client.post(
        "/events/hh/register",
        data=form_data(
            client, first_name="", q_employment_status=None, consent_share_profile=None, zip_code="606"
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('class="field__error"') >= 3
    assert "Please answer this question." in page or "Por favor" in page or "Please" in page
    assert 'value="lucia.h@example.com"' in page and 'value="606"' in page
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_a_bad_zip_is_explained_next_to_the_field(client, db, event):
    page = client.post("/events/hh/register", data=form_data(client, zip_code="6062")).get_data(as_text=True)
    assert re.search(r'id="zip_code-error">[^<]*5', page)


def test_registering_twice_says_so_and_emails_another_link_without_showing_anything(
    client, db, event, outbox
):
    client.post("/events/hh/register", data=form_data(client))
    again = client.post("/events/hh/register", data=form_data(client, email="LUCIA.H@example.com"))
    assert again.status_code == 302 and again.headers["Location"] == "/events/hh/register/already"
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Lucía" not in page and "lucia.h@example.com" not in page and "Hernández" not in page
    assert "l•••@example.com" in page  # where the link went, masked
    first, second = messages(outbox)
    links = [
        re.search(r"/r/[A-Za-z0-9_-]{43}", m.get_body(("plain",)).get_content()).group(0)
        for m in (first, second)
    ]
    assert [client.get(link).status_code for link in links] == [200, 200]  # the first link still works
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_the_honeypot_stops_bots(client, db, event):
    response = client.post("/events/hh/register", data=form_data(client, website="http://spam.example"))
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_the_form_needs_its_csrf_token(client, db, event):
    data = form_data(client)
    data.pop("csrf_token")
    assert client.post("/events/hh/register", data=data).status_code == 400


def test_registration_closed_page(client, db):
    factories.make_event(
        db.session, slug="past", registration_closes_at=factories.EVENT_START - timedelta(days=400)
    )
    assert "closed" in client.get("/events/past/register").get_data(as_text=True).lower()


def test_too_many_registrations_from_one_address_are_slowed_down(client, db, event, app, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", "2/minute")
    from app.extensions import limiter

    limiter.reset()
    codes = [
        client.post(
            "/events/hh/register", data=form_data(client, email=f"p{i}@example.com", phone="")
        ).status_code
        for i in range(3)
    ]
    limiter.reset()
    assert codes == [302, 302, 429]


def test_cancelling_frees_the_place_for_the_waitlist(client, db, outbox):
    event = factories.make_event(db.session, slug="small", capacity=1)
    add_default_surveys(db.session, event)
    db.session.commit()
    first = client.post("/events/small/register", data=form_data(client, "/events/small/register")).headers[
        "Location"
    ]
    second = client.post(
        "/events/small/register",
        data=form_data(
            client, "/events/small/register", email="ana@example.com", phone="3125550177", language="en"
        ),
    ).headers["Location"]
    assert "waitlist" in client.get(second).get_data(as_text=True).lower()

    response = client.post(
        f"{first}/cancel", data={"csrf_token": csrf_token(client, first), "confirmed": "1"}
    )
    assert response.status_code == 302
    statuses = db.session.scalars(select(Registration.status).order_by(Registration.id)).all()
    assert statuses == [RegistrationStatus.CANCELLED, RegistrationStatus.REGISTERED]
    promoted = [m for m in messages(outbox) if m["To"] == "ana@example.com"][-1]
    assert promoted["Subject"].startswith("A place opened")
    new_link = re.search(r"/r/[A-Za-z0-9_-]{43}", promoted.get_body(("plain",)).get_content()).group(0)
    assert "Download badge" in client.get(new_link).get_data(as_text=True)


def test_updating_details_keeps_what_was_typed_on_error(client, db, event):
    manage = client.post("/events/hh/register", data=form_data(client)).headers["Location"]
    data = {"csrf_token": csrf_token(client, manage), "first_name": "Lucía", "last_name": "Hernández Ruiz",
            "phone": "12", "zip_code": "60623", "language": "es"}
    response = client.post(f"{manage}/details", data=data)
    assert response.status_code == 422
    assert 'value="Hernández Ruiz"' in response.get_data(as_text=True)
    data["phone"] = "(773) 555-0199"
    assert client.post(f"{manage}/details", data=data).status_code == 302
    assert db.session.scalar(select(Registration)).candidate.phone == "+17735550199"


def test_an_unknown_manage_link_is_a_plain_404(client, db):
    assert client.get("/r/" + "x" * 43).status_code == 404


def test_the_calendar_file_describes_the_event(client, db, event):
    manage = client.post("/events/hh/register", data=form_data(client)).headers["Location"]
    ics = client.get(f"{manage}/event.ics")
    assert ics.headers["Content-Type"].startswith("text/calendar")
    text = ics.get_data(as_text=True)
    assert "BEGIN:VEVENT" in text and "SUMMARY:Hospitality Hires Chicago" in text
    assert "DTSTART:20261210T160000Z" in text


def test_the_badge_landing_page_shows_only_the_event(client, db, event):
    client.post("/events/hh/register", data=form_data(client))
    code = db.session.scalar(select(Registration.badge_code))
    page = client.get(f"/b/{code}").get_data(as_text=True)
    assert "Hospitality Hires Chicago" in page and "Lucía" not in page
    assert client.get("/b/not-a-badge").status_code == 404


def test_the_badge_pdf_qr_code_decodes_to_the_badge_url(client, db, event, tmp_path):
    manage = client.post("/events/hh/register", data=form_data(client)).headers["Location"]
    response = client.get(f"{manage}/badge.pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(response.data)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "288 x 216 pts" in info  # 4 × 3 inches
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Lucía" in text and "Hospitality Hires Chicago" in text and "diciembre" in text  # in Spanish
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "badge")], check=True
    )
    with Image.open(tmp_path / "badge.png") as image:
        decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    code = db.session.scalar(select(Registration.badge_code))
    assert decoded == [f"https://hireday.test/b/{code}"]


def test_a_40_character_name_wraps_between_words_and_the_check_in_number_is_under_the_qr(
    client, db, event, tmp_path
):
    first, last = "Maximiliano Alejandro", "Villaseñor Quiroga"
    assert len(f"{first} {last}") == 40
    manage = client.post(
        "/events/hh/register", data=form_data(client, first_name=first, last_name=last)
    ).headers["Location"]
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(client.get(f"{manage}/badge.pdf").data)
    assert (
        "Pages:           1"
        in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    )
    lines = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    # Each word whole on its line: nothing like "Maximil / iano".
    for word in (*first.split(), *last.split()):
        assert any(line.strip().split().count(word) for line in lines), (word, lines)
    number = db.session.scalar(select(Registration.checkin_number))
    assert f"N.º de registro {number}" in " ".join(lines).replace("  ", " "), lines[5:]
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "badge")], check=True
    )
    with Image.open(tmp_path / "badge.png") as image:
        assert len(zxingcpp.read_barcodes(image)) == 1  # the name does not run into the code
