"""Answering surveys through the web: a career seeker's personal link and registration page, an
employer's booth link."""

import re
from datetime import timedelta

import pytest
import time_machine

from app.models import Audience, ManageLinkReason, Phase, Role, SurveyLinkPurpose, TokenScope, utcnow
from app.services import registration as registrations, surveys
from app.services.tokens import issue_token
from tests import factories
from tests.conftest import csrf_token

AFTER = factories.EVENT_START + timedelta(days=1)


@pytest.fixture
def event(db):
    event = factories.make_event(db.session, slug="hh", name="Hospitality Hires Chicago")
    surveys.add_default_surveys(db.session, event)
    db.session.commit()
    return event


@pytest.fixture
def after_the_event():
    with time_machine.travel(AFTER, tick=True):
        yield


def post_survey(db, event, audience=Audience.CANDIDATE, phase=Phase.POST):
    return surveys.event_survey(db.session, event, audience, phase)


def seeker_link(db, event) -> tuple[str, object]:
    registration = factories.make_registration(db.session, event)
    secret = surveys.issue_link(
        db.session, post_survey(db, event), registration, SurveyLinkPurpose.INVITATION
    )
    db.session.commit()
    return f"/s/{secret}", registration


def test_a_career_seeker_answers_in_spanish_and_can_come_back_to_change_it(
    client, db, event, after_the_event
):
    path, registration = seeker_link(db, event)
    page = client.get(path + "?lang=es").get_data(as_text=True)
    assert "Después del evento: ¿cómo le fue?" in page
    assert "¿Qué tan probable es que recomiende este evento" in page

    data = {"csrf_token": csrf_token(client, path), "q_satisfaction": "4", "q_recommend": "10",
            "q_comments": "Muy bien organizado"}
    response = client.post(path, data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "¡Gracias! Sus respuestas están guardadas." in page
    assert re.search(r'value="4"[^>]*checked|checked[^>]*value="4"', page)  # the saved answer is shown
    assert "Muy bien organizado" in page

    client.post(path, data=data | {"q_satisfaction": "5", "q_comments": ""})
    saved = surveys.response_of(db.session, post_survey(db, event), registration=registration)
    assert surveys.answers_of(saved) == {"satisfaction": 5, "recommend": 10}
    assert saved.language.value == "es"


def test_a_missing_required_answer_is_shown_next_to_the_question(client, db, event, after_the_event):
    path, _ = seeker_link(db, event)
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "q_recommend": "7"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please answer this question." in page and 'id="q_satisfaction-error"' in page


def test_a_closed_survey_says_so_and_takes_no_answers(client, db, event):
    path, registration = seeker_link(db, event)
    with time_machine.travel(AFTER, tick=True):
        token = csrf_token(client, path)
    with time_machine.travel(event.ends_at + timedelta(days=surveys.POST_SURVEY_DAYS + 1), tick=True):
        page = client.get(path).get_data(as_text=True)
        assert "This survey is closed." in page and 'name="q_satisfaction"' not in page
        assert client.post(path, data={"csrf_token": token, "q_satisfaction": "3"}).status_code == 409
    assert surveys.response_of(db.session, post_survey(db, event), registration=registration) is None


def test_an_unknown_link_is_a_plain_404(client, db):
    assert client.get("/s/nothing-here").status_code == 404


def test_the_registration_page_offers_the_post_survey_once_it_is_open(client, db, event):
    registration = factories.make_registration(db.session, event)
    manage_token = registrations.issue_manage_link(
        db.session, registration, ManageLinkReason.REGISTERED, utcnow()
    )
    db.session.commit()
    with time_machine.travel(event.starts_at - timedelta(days=1), tick=True):
        assert "Tell us how it went" not in client.get(f"/r/{manage_token}").get_data(as_text=True)
    with time_machine.travel(AFTER, tick=True):
        page = client.get(f"/r/{manage_token}").get_data(as_text=True)
        assert f'href="/r/{manage_token}/survey"' in page
        path = f"/r/{manage_token}/survey"
        response = client.post(path, data={"csrf_token": csrf_token(client, path), "q_satisfaction": "2"})
        assert response.status_code == 302
    assert surveys.answers_of(
        surveys.response_of(db.session, post_survey(db, event), registration=registration)
    ) == {"satisfaction": 2}


def test_an_employer_answers_from_the_booth_link(client, db, event):
    participation = factories.make_participation(
        db.session, event, factories.make_organization(db.session, name="Lakeshore Grand")
    )
    _, secret = issue_token(db.session, TokenScope.BOOTH, "Lakeshore booth", participation=participation)
    db.session.commit()
    path = f"/booth/{secret}/survey/pre"
    with time_machine.travel(event.starts_at - timedelta(days=3), tick=True):
        page = client.get(path).get_data(as_text=True)
        assert "Before the event: your hiring needs" in page and "Lakeshore Grand" in page
        assert f'href="/booth/{secret}"' in page  # back to the tablet
        response = client.post(path, data={
            "csrf_token": csrf_token(client, path), "q_openings": "6_10",
            "q_pain_points": ["no_shows", "retention"], "q_hard_to_fill": "Line cooks",
        })
        assert response.status_code == 302
        # The post survey is not open before the event.
        assert "This survey opens on Thursday, December 10, 2026 at 10:00 AM." in client.get(
            f"/booth/{secret}/survey/post").get_data(as_text=True)
    saved = surveys.response_of(
        db.session, post_survey(db, event, Audience.EMPLOYER, Phase.PRE), participation=participation
    )
    assert surveys.answers_of(saved) == {"openings": "6_10", "pain_points": ["no_shows", "retention"],
                                         "hard_to_fill": "Line cooks"}
    assert client.get(f"/booth/{secret}/survey/during").status_code == 404
    assert client.get("/booth/not-a-token/survey/pre").status_code == 404


@pytest.fixture
def staff(db, login):
    user = factories.make_user(db.session)
    db.session.commit()
    login(user)
    return user


def test_staff_see_each_surveys_results_and_download_them(client, db, event, staff):
    survey = post_survey(db, event)
    for score, comment in ((10, "Loved it"), (4, "")):
        surveys.answer_survey(
            db.session,
            survey,
            {"satisfaction": "4", "recommend": str(score), "comments": comment},
            AFTER,
            registration=factories.make_registration(db.session, event),
        )
    db.session.commit()

    overview = client.get("/staff/events/hh/surveys").get_data(as_text=True)
    assert "Career seekers, after the event" in overview and "2</strong> responses of 2" in overview
    assert 'href="/staff/events/hh/event' not in overview  # links use the slug only, never ids
    assert 'href="/staff/events/hh/surveys"' in client.get("/staff/events/hh/").get_data(as_text=True)

    page = client.get("/staff/events/hh/surveys/candidate/post/results").get_data(as_text=True)
    assert "Recommend score:" in page and "<strong>+0.0</strong>" in page  # 1 promoter, 1 detractor
    assert "average <strong>4.0</strong>" in page and "Loved it" in page

    employer_page = client.get("/staff/events/hh/surveys/employer/pre/results").get_data(as_text=True)
    assert "hiring pain points" in employer_page

    csv_response = client.get("/staff/events/hh/export/survey-candidate-post.csv")
    assert csv_response.headers["Content-Type"].startswith("text/csv")
    assert csv_response.get_data(as_text=True).count("\n") == 3
    assert client.get("/staff/events/hh/surveys/candidate/during/results").status_code == 404


def test_survey_results_are_for_staff_only(client, db, event, login):
    assert client.get("/staff/events/hh/surveys/candidate/post/results").status_code == 302
    volunteer = factories.make_user(db.session, role=Role.VOLUNTEER)
    db.session.commit()
    login(volunteer)
    assert client.get("/staff/events/hh/export/survey-candidate-post.csv").status_code == 403


def test_staff_build_a_survey_and_preview_it_in_spanish(client, db, event, staff):
    base = "/staff/events/hh/surveys/employer/post"
    assert "Overall, how satisfied" in client.get(base).get_data(as_text=True)
    token = csrf_token(client, base)
    response = client.post(base + "/questions", data={
        "csrf_token": token, "kind": "single_choice", "prompt_en": "Did you find parking?",
        "prompt_es": "¿Encontró estacionamiento?", "choices": "Yes | Sí\nNo | No",
    })
    assert response.status_code == 302
    survey = post_survey(db, event, Audience.EMPLOYER)
    added = survey.questions[-1]
    assert (added.key, [c["value"] for c in added.choices]) == ("did_you_find_parking", ["yes", "no"])

    # A choice question without choices is explained next to the field.
    page = client.post(base + "/questions", data={"csrf_token": token, "kind": "multiple_choice",
                                                  "prompt_en": "Q", "prompt_es": "P", "choices": ""})
    assert page.status_code == 422 and "at least two choices" in page.get_data(as_text=True)

    client.post(f"{base}/questions/{added.id}/move", data={"csrf_token": token, "direction": "up"})
    db.session.expire_all()
    assert [q.key for q in post_survey(db, event, Audience.EMPLOYER).questions][-2] == "did_you_find_parking"

    preview = client.get(base + "/preview?in=es").get_data(as_text=True)
    assert (
        "¿Encontró estacionamiento?" in preview
        and "Sí" in preview
        and 'class="button button--block button--large" disabled' in preview
    )

    client.post(f"{base}/questions/{added.id}/remove", data={"csrf_token": token})
    db.session.expire_all()
    assert "did_you_find_parking" not in [q.key for q in post_survey(db, event, Audience.EMPLOYER).questions]


def test_once_answered_the_editor_only_rewords(client, db, event, staff):
    survey = post_survey(db, event)
    satisfaction = survey.questions[0]
    surveys.answer_survey(db.session, survey, {"satisfaction": "4"}, AFTER,
                          registration=factories.make_registration(db.session, event))
    db.session.commit()
    base = "/staff/events/hh/surveys/candidate/post"
    page = client.get(base).get_data(as_text=True)
    assert "structure is locked" in page and "Add a question" not in page and "Move up" not in page

    token = csrf_token(client, base)
    assert (
        client.post(f"{base}/questions/{satisfaction.id}/remove", data={"csrf_token": token}).status_code
        == 302
    )
    edit = f"{base}/questions/{satisfaction.id}"
    response = client.post(
        edit,
        data={
            "csrf_token": token,
            "kind": "scale_5",
            "required": "y",
            "prompt_en": "How was it overall?",
            "prompt_es": "¿Cómo estuvo en general?",
        },
    )
    assert response.status_code == 302
    refused = client.post(edit, data={"csrf_token": token, "kind": "recommend", "required": "y",
                                      "prompt_en": "How was it?", "prompt_es": "¿Cómo estuvo?"})
    assert refused.status_code == 422 and "can only be reworded" in refused.get_data(as_text=True)
    db.session.expire_all()
    survey = post_survey(db, event)
    assert survey.questions[0].key == "satisfaction"
    assert (survey.questions[0].prompt_en, survey.questions[0].kind.value) == (
        "How was it overall?",
        "scale_5",
    )


def test_staff_set_the_survey_window_in_the_events_time_zone(client, db, event, staff):
    base = "/staff/events/hh/surveys/candidate/post"
    response = client.post(
        base + "/settings",
        data={
            "csrf_token": csrf_token(client, base),
            "title_en": "After the fair",
            "title_es": "Después de la feria",
            "opens_at": "2026-12-10T15:00",
            "closes_at": "2026-12-20T17:00",
        },
    )
    assert response.status_code == 302
    survey = post_survey(db, event)
    db.session.refresh(survey)
    assert survey.closes_at == factories.EVENT_START.replace(day=20, hour=23)  # 17:00 in Chicago
    assert survey.title_es == "Después de la feria"
