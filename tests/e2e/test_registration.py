"""A career seeker goes from the home page to a badge, in Spanish, on a 360 px phone."""

import re

from playwright.sync_api import Page, expect

from app.services.surveys import add_default_surveys
from tests import factories
from tests.e2e.conftest import axe_violations


def test_register_in_spanish_on_a_phone_and_download_the_badge(phone: Page, committed, tmp_path):
    session = committed.session
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", capacity=None)
    hotel = factories.make_participation(
        session, event, factories.make_organization(session, name="Lakeshore Grand Hotel")
    )
    factories.make_position(session, hotel, title="Banquet Server")
    add_default_surveys(session, event)
    session.commit()

    phone.goto("/?lang=es")
    assert axe_violations(phone) == []
    phone.get_by_role("link", name="Hospitality Hires Chicago", exact=True).click()
    expect(phone.get_by_role("heading", name="Hospitality Hires Chicago")).to_be_visible()
    assert axe_violations(phone) == []

    phone.get_by_role("link", name="Inscribirse en este evento").click()
    expect(phone.get_by_role("heading", name="Inscribirse")).to_be_visible()
    assert axe_violations(phone) == []

    # Sending it empty shows every problem at once, in Spanish, next to each field.
    phone.get_by_role("button", name="Inscribirse").click()
    expect(phone.get_by_role("alert")).to_contain_text("Corrija lo siguiente")
    expect(phone.locator("#q_employment_status-error")).to_have_text("Responda esta pregunta, por favor.")
    assert axe_violations(phone) == []

    phone.get_by_label("Nombre", exact=False).first.fill("Lucía")
    phone.get_by_label("Apellido").fill("Hernández")
    phone.get_by_label("Correo electrónico").fill("lucia.h@example.com")
    phone.get_by_label("Teléfono celular").fill("773-555-0188")
    phone.get_by_label("Código postal").fill("60623")
    phone.get_by_label("Sin trabajo y buscando empleo").check()
    phone.get_by_text("Elegir puestos (1 empleador)").click()
    phone.get_by_text("Lakeshore Grand Hotel").click()
    phone.get_by_label(re.compile("Banquet Server")).check()
    phone.get_by_label(re.compile("Acepto que los empleadores")).check()
    phone.get_by_role("button", name="Inscribirse").click()

    expect(phone.get_by_text("¡Ya está inscrito!")).to_be_visible()
    expect(phone.get_by_role("heading", name="Lucía Hernández")).to_be_visible()
    expect(phone.get_by_role("img", name="Código QR de su gafete")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(phone) == []

    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Descargar gafete (PDF)").click()
    badge = tmp_path / "badge.pdf"
    download_info.value.save_as(badge)
    assert badge.read_bytes().startswith(b"%PDF")
