"""Surveys in the browser: a career seeker answers the post-event survey in Spanish on a 360 px
phone and changes an answer later; staff edit, preview and read the results."""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.models import Audience, Language, Phase, Response, SurveyLinkPurpose, utcnow
from app.services import surveys
from app.services.surveys import add_default_surveys
from tests import factories
from tests.e2e.conftest import axe_violations


def _event_that_just_ended(session):
    """An event that ended an hour ago: its post-event survey is open for two weeks."""
    starts = utcnow().replace(microsecond=0) - timedelta(hours=6)
    event = factories.make_event(session, name="Hospitality Hires Chicago", slug="hh", starts_at=starts,
                                 ends_at=starts + timedelta(hours=5))
    add_default_surveys(session, event)
    return event


def test_answer_the_post_survey_in_spanish_on_a_phone(phone: Page, committed):
    session = committed.session
    event = _event_that_just_ended(session)
    registration = factories.make_registration(session, event, language=Language.ES)
    survey = surveys.event_survey(session, event, Audience.CANDIDATE, Phase.POST)
    assert survey is not None
    secret = surveys.issue_link(session, survey, registration, SurveyLinkPurpose.INVITATION)
    session.commit()

    phone.goto(f"/s/{secret}?lang=es")
    expect(phone.get_by_role("heading", name="Después del evento: ¿cómo le fue?")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(phone) == []

    # Sending without the one required answer says so, in Spanish, next to the question.
    phone.get_by_role("button", name="Enviar mis respuestas").click()
    expect(phone.get_by_role("alert")).to_contain_text("Corrija lo siguiente")
    expect(phone.locator("#q_satisfaction-error")).to_have_text("Responda esta pregunta, por favor.")
    assert axe_violations(phone) == []

    satisfaction = phone.get_by_role("group", name=re.compile("qué tan satisfecho"))
    satisfaction.get_by_label("4", exact=True).check()
    phone.get_by_role("group", name=re.compile("Cuántas entrevistas")).get_by_label("2", exact=True).check()
    phone.get_by_role("group", name=re.compile("recomiende este evento")).get_by_label(
        "9", exact=True
    ).check()
    phone.get_by_label("¿Hay algo más que quiera decirnos?").fill("Muy bien organizado, gracias.")
    phone.get_by_role("button", name="Enviar mis respuestas").click()

    expect(phone.get_by_text("¡Gracias! Sus respuestas están guardadas.")).to_be_visible()
    expect(phone.get_by_text("Puede cambiarlas hasta el")).to_be_visible()
    expect(satisfaction.get_by_label("4", exact=True)).to_be_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(phone) == []

    # Coming back by the same link, the person changes their mind; still one response.
    phone.goto(f"/s/{secret}")
    phone.get_by_role("group", name=re.compile("qué tan satisfecho")).get_by_label("5", exact=True).check()
    phone.get_by_role("button", name="Guardar mis cambios").click()
    expect(phone.get_by_text("¡Gracias! Sus respuestas están guardadas.")).to_be_visible()

    session.expire_all()
    responses = session.scalars(select(Response).where(Response.survey_id == survey.id)).all()
    assert len(responses) == 1 and responses[0].language == Language.ES
    assert surveys.answers_of(responses[0]) == {
        "satisfaction": 5, "interviews": "2", "recommend": 9, "comments": "Muy bien organizado, gracias."}


def test_the_exit_poster_page_on_a_phone(phone: Page, committed):
    session = committed.session
    event = _event_that_just_ended(session)
    registration = factories.make_registration(session, event)
    session.commit()

    phone.goto("/events/hh/survey?lang=es")
    expect(phone.get_by_role("heading", name="¿Cómo le fue?")).to_be_visible()
    assert axe_violations(phone) == []
    phone.get_by_label("El código de su gafete").fill("not-my-code")
    phone.get_by_role("button", name="Empezar la encuesta").click()
    expect(phone.locator("#badge_code-error")).to_contain_text("No encontramos ese código")
    assert axe_violations(phone) == []
    phone.get_by_label("El código de su gafete").fill(f"https://hireday.test/b/{registration.badge_code}")
    phone.get_by_role("button", name="Empezar la encuesta").click()
    expect(phone.get_by_role("heading", name="Después del evento: ¿cómo le fue?")).to_be_visible()
    assert re.search(r"/s/[A-Za-z0-9_-]{43}$", phone.url)


def test_staff_edit_preview_and_read_the_results(page: Page, committed):
    session = committed.session
    event = _event_that_just_ended(session)
    survey = surveys.event_survey(session, event, Audience.CANDIDATE, Phase.POST)
    assert survey is not None
    for score in (10, 9, 4):
        surveys.answer_survey(
            session,
            survey,
            {"satisfaction": "4", "recommend": str(score), "comments": f"Score {score}"},
            utcnow(),
            registration=factories.make_registration(session, event),
        )
    employer_survey = surveys.event_survey(session, event, Audience.EMPLOYER, Phase.POST)
    assert employer_survey is not None
    staff = factories.make_user(session)
    session.commit()

    page.goto("/login")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto("/staff/events/hh/surveys")
    expect(page.get_by_role("heading", name="Surveys", exact=True)).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile(r"^Results\W+Career seekers, after the event")).click()
    expect(page.get_by_text("Recommend score:")).to_contain_text("+33.3")  # 2 promoters, 1 detractor of 3
    assert axe_violations(page) == []

    page.goto(f"/staff/events/hh/surveys/{employer_survey.audience.value}/{employer_survey.phase.value}")
    page.get_by_label("Type").select_option("single_choice")
    page.get_by_label("Question in English").fill("Did you find parking?")
    page.get_by_label("Question in Spanish").fill("¿Encontró estacionamiento?")
    page.get_by_label("Choices (choice questions only)").fill("Yes | Sí\nNo | No")
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("Question added: Did you find parking?")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Preview in Spanish").click()
    expect(page.get_by_role("group", name="¿Encontró estacionamiento?")).to_be_visible()
    assert axe_violations(page) == []

    # The career seekers' survey has answers: it can only be reworded.
    page.goto("/staff/events/hh/surveys/candidate/post")
    expect(page.get_by_text("structure is locked")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Move"))).to_have_count(0)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Reword question 1").click()
    page.get_by_label("Question in English").fill(
        "All in all, how satisfied are you? (1 = not at all, 5 = very)"
    )
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("Question saved.")).to_be_visible()
    expect(page.get_by_text("All in all, how satisfied are you?")).to_be_visible()

    page.goto("/staff/events/hh/surveys/employer/pre/results")
    expect(page.get_by_role("heading", name=re.compile("hiring pain points"))).to_be_visible()
    assert axe_violations(page) == []
