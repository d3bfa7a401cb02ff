"""Answering surveys: each question type's rules, one response per person, editing until the
survey closes, and the personal links."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.database import writing
from app.models import (
    Audience,
    Language,
    Phase,
    Question,
    QuestionKind,
    Response,
    SurveyLink,
    SurveyLinkPurpose,
)
from app.services import surveys
from app.services.errors import DomainError
from tests import factories

DURING = factories.EVENT_START + timedelta(hours=2)
AFTER = factories.EVENT_START + timedelta(days=1)


@pytest.fixture
def event(db):
    event = factories.make_event(db.session)
    surveys.add_default_surveys(db.session, event)
    return event


def survey_of(db, event, audience=Audience.CANDIDATE, phase=Phase.POST):
    return surveys.event_survey(db.session, event, audience, phase)


@pytest.fixture
def kinds_survey(db, event):
    """The career seeker's post survey with one optional question of every kind."""
    survey = survey_of(db, event)
    choices = [{"value": v, "en": v.title(), "es": v.title()} for v in ("red", "green", "blue")]
    survey.questions = [
        Question(
            key="single",
            position=0,
            kind=QuestionKind.SINGLE_CHOICE,
            prompt_en="1",
            prompt_es="1",
            choices=choices,
        ),
        Question(
            key="multi",
            position=1,
            kind=QuestionKind.MULTIPLE_CHOICE,
            prompt_en="2",
            prompt_es="2",
            choices=choices,
        ),
        Question(key="scale", position=2, kind=QuestionKind.SCALE_5, prompt_en="3", prompt_es="3"),
        Question(key="nps", position=3, kind=QuestionKind.RECOMMEND, prompt_en="4", prompt_es="4"),
        Question(key="short", position=4, kind=QuestionKind.SHORT_TEXT, prompt_en="5", prompt_es="5"),
        Question(key="long", position=5, kind=QuestionKind.LONG_TEXT, prompt_en="6", prompt_es="6"),
        Question(
            key="must", position=6, kind=QuestionKind.SHORT_TEXT, prompt_en="7", prompt_es="7", required=True
        ),
    ]
    db.session.flush()
    return survey


def answer(db, survey, answers, now=AFTER, **respondent):
    return surveys.answer_survey(db.session, survey, answers, now, **respondent)


@pytest.mark.parametrize(
    ("answers", "field", "code"),
    [
        ({"single": "purple"}, "q_single", "invalid_choice"),
        ({"single": ["red", "green"]}, "q_single", "invalid_choice"),
        ({"multi": ["red", "purple"]}, "q_multi", "invalid_choice"),
        ({"scale": "0"}, "q_scale", "invalid_number"),
        ({"scale": "6"}, "q_scale", "invalid_number"),
        ({"scale": "three"}, "q_scale", "invalid_number"),
        ({"nps": "11"}, "q_nps", "invalid_number"),
        ({"nps": "-1"}, "q_nps", "invalid_number"),
        ({"short": "x" * 201}, "q_short", "text_too_long"),
        ({"long": "x" * 2001}, "q_long", "text_too_long"),
        ({"must": ""}, "q_must", "answer_required"),
        ({"must": "   "}, "q_must", "answer_required"),
    ],
)
def test_each_question_kind_refuses_what_it_cannot_hold_and_saves_nothing(
    db, kinds_survey, answers, field, code
):
    registration = factories.make_registration(db.session, kinds_survey.event)
    with pytest.raises(DomainError) as raised:
        answer(db, kinds_survey, {"must": "ok", **answers}, registration=registration)
    assert (raised.value.field, raised.value.code) == (field, code)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_each_question_kind_keeps_a_good_answer_in_its_own_shape(db, kinds_survey):
    registration = factories.make_registration(db.session, kinds_survey.event)
    given = {"single": "green", "multi": ["blue", "red", "blue"], "scale": "5", "nps": "0",
             "short": "  Cook  ", "long": "Line one\nline two", "must": "yes"}
    response = answer(db, kinds_survey, given, registration=registration)
    assert surveys.answers_of(response) == {
        "single": "green", "multi": ["blue", "red"], "scale": 5, "nps": 0,
        "short": "Cook", "long": "Line one\nline two", "must": "yes",
    }
    # Optional questions may be left blank: nothing is stored for them.
    other = answer(db, kinds_survey, {"must": "yes", "multi": [], "scale": ""},
                   registration=factories.make_registration(db.session, kinds_survey.event))
    assert surveys.answers_of(other) == {"must": "yes"}


def test_one_response_per_person_and_answering_again_edits_it(db, event):
    survey = survey_of(db, event)
    registration = factories.make_registration(db.session, event)
    first = answer(db, survey, {"satisfaction": "2", "comments": "Too crowded"}, registration=registration)
    again = answer(db, survey, {"satisfaction": "4", "recommend": "9"}, registration=registration,
                   language=Language.ES)
    assert again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert surveys.answers_of(again) == {"satisfaction": 4, "recommend": 9}  # the comment was cleared
    assert again.language == Language.ES


def test_answers_are_taken_only_while_the_survey_is_open(db, event):
    survey = survey_of(db, event)
    registration = factories.make_registration(db.session, event)
    with pytest.raises(DomainError, match="survey_closed"):
        answer(
            db,
            survey,
            {"satisfaction": "3"},
            now=event.starts_at - timedelta(hours=1),
            registration=registration,
        )
    answer(db, survey, {"satisfaction": "3"}, now=DURING, registration=registration)
    closes = event.ends_at + timedelta(days=surveys.POST_SURVEY_DAYS)
    answer(db, survey, {"satisfaction": "4"}, now=closes - timedelta(minutes=1), registration=registration)
    with pytest.raises(DomainError, match="survey_closed"):
        answer(db, survey, {"satisfaction": "5"}, now=closes, registration=registration)
    # Staff may close it earlier.
    survey.closes_at = AFTER
    assert not surveys.is_open(survey, AFTER)
    assert surveys.answers_of(surveys.response_of(db.session, survey, registration=registration)) == {
        "satisfaction": 4
    }


def test_the_pre_survey_closes_when_the_event_ends(db, event):
    survey = survey_of(db, event, Audience.EMPLOYER, Phase.PRE)
    assert surveys.is_open(survey, event.starts_at - timedelta(days=30))
    assert not surveys.is_open(survey, event.ends_at)


def test_only_the_events_own_people_answer_its_surveys(db, event):
    other_event = factories.make_event(db.session)
    stranger = factories.make_registration(db.session, other_event)
    with pytest.raises(DomainError, match="not_a_respondent"):
        answer(db, survey_of(db, event), {"satisfaction": "3"}, registration=stranger)
    employer = factories.make_participation(db.session, event)
    with pytest.raises(DomainError, match="not_a_respondent"):  # an employer in a career-seeker survey
        answer(db, survey_of(db, event), {"satisfaction": "3"}, participation=employer)
    response = answer(
        db, survey_of(db, event, Audience.EMPLOYER), {"satisfaction": "5"}, participation=employer
    )
    assert response.participation_id == employer.id and response.registration_id is None


def test_personal_links_are_stored_hashed_and_each_e_mail_gets_one_that_keeps_working(db, event):
    survey = survey_of(db, event)
    registration = factories.make_registration(db.session, event)
    first = surveys.issue_link(db.session, survey, registration, SurveyLinkPurpose.INVITATION)
    second = surveys.issue_link(db.session, survey, registration, SurveyLinkPurpose.REMINDER)
    assert len(first) >= 43 and first != second
    stored = db.session.scalars(select(SurveyLink.token_hash)).all()
    assert first not in stored and second not in stored
    assert surveys.find_link(db.session, first).registration == registration
    assert surveys.find_link(db.session, second).purpose == SurveyLinkPurpose.REMINDER
    assert surveys.find_link(db.session, "not-a-link") is None
    # An employers' survey's link belongs to an employer (its participation), not to a person.
    with pytest.raises(ValueError, match="for a respondent of the survey's event"):
        surveys.issue_link(
            db.session, survey_of(db, event, Audience.EMPLOYER), registration, SurveyLinkPurpose.ENTRY
        )


def test_concurrent_first_answers_make_one_response(app, committed):
    """A double tap on bad Wi-Fi, times four: four first submits of one person at once."""
    import threading

    from sqlalchemy.orm import Session

    from app.models import Registration, Survey

    event = factories.make_event(committed.session)
    surveys.add_default_surveys(committed.session, event)
    registration = factories.make_registration(committed.session, event)
    survey_id = survey_of(committed, event).id
    committed.session.commit()
    registration_id = registration.id
    barrier = threading.Barrier(4)
    errors = []

    def submit(score: int) -> None:
        with app.test_request_context(), writing(), Session(committed.engine) as session:
            barrier.wait()
            try:
                surveys.answer_survey(
                    session,
                    session.get_one(Survey, survey_id),
                    {"satisfaction": str(score)},
                    AFTER,
                    registration=session.get(Registration, registration_id),
                )
                session.commit()
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(2, 6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with Session(committed.engine) as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 1
