"""Staff editing surveys: questions added, changed, reordered and removed in both languages, and
the structure locked once anyone has answered (only wording may change then)."""

from datetime import timedelta

import pytest

from app.models import Audience, Phase, QuestionKind
from app.services import survey_editor as editor, surveys
from app.services.errors import DomainError
from tests import factories


@pytest.fixture
def survey(db):
    event = factories.make_event(db.session)
    surveys.add_default_surveys(db.session, event)
    return surveys.event_survey(db.session, event, Audience.EMPLOYER, Phase.POST)


def keys(survey):
    return [q.key for q in sorted(survey.questions, key=lambda q: q.position)]


def draft(**overrides):
    fields = {"kind": QuestionKind.SINGLE_CHOICE, "prompt_en": "Did you find parking?",
              "prompt_es": "¿Encontró estacionamiento?", "required": False,
              "choices": editor.parse_choices("Yes | Sí\nNo | No\nnot_needed | I did not drive | No manejé")}
    fields.update(overrides)
    return editor.QuestionDraft(**fields)


def answer_once(db, survey):
    participation = factories.make_participation(db.session, survey.event)
    surveys.answer_survey(
        db.session, survey, {"satisfaction": "4"}, survey.event.ends_at, participation=participation
    )


def test_staff_add_a_question_in_both_languages_with_its_choices(db, survey):
    question = editor.add_question(db.session, survey, draft())
    assert question.key == "did_you_find_parking" and question.position == 7
    assert question.choices == [
        {"value": "yes", "en": "Yes", "es": "Sí"}, {"value": "no", "en": "No", "es": "No"},
        {"value": "not_needed", "en": "I did not drive", "es": "No manejé"}]
    again = editor.add_question(db.session, survey, draft(kind=QuestionKind.SHORT_TEXT, choices=[]))
    assert again.key == "did_you_find_parking_2" and again.choices == []
    # Respondents can answer it at once.
    surveys.check_answers(survey, {"satisfaction": "3", "did_you_find_parking": "not_needed"})


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"prompt_en": "  "}, "prompt_required"),
        ({"prompt_es": ""}, "prompt_required"),
        ({"choices": editor.parse_choices("Yes | Sí")}, "choices_required"),
        ({"choices": editor.parse_choices("Yes | Sí\nyes | YES | SÍ")}, "duplicate_choice"),
        (
            {"choices": [{"value": "", "en": "Yes", "es": ""}, {"value": "", "en": "No", "es": "No"}]},
            "bad_choice",
        ),
    ],
)
def test_a_question_needs_both_languages_and_real_choices(db, survey, overrides, code):
    with pytest.raises(DomainError) as raised:
        editor.add_question(db.session, survey, draft(**overrides))
    assert raised.value.code == code
    assert len(survey.questions) == 7


def test_a_choice_line_must_have_both_labels():
    with pytest.raises(DomainError, match="bad_choice_line"):
        editor.parse_choices("Yes | Sí\nOnly English")
    assert editor.parse_choices(editor.choices_text([{"value": "a", "en": "A", "es": "A es"}])) == [
        {"value": "a", "en": "A", "es": "A es"}]


def test_reorder_edit_and_remove_before_anyone_answers(db, survey):
    first, second = keys(survey)[:2]
    editor.move_question(db.session, survey.questions[1], -1)
    assert keys(survey)[:2] == [second, first]
    top = next(q for q in survey.questions if q.position == 0)
    editor.move_question(db.session, top, -1)  # already at the top: nothing moves
    assert keys(survey)[:2] == [second, first]

    comments = next(q for q in survey.questions if q.key == "comments")
    editor.update_question(
        db.session,
        comments,
        draft(
            kind=QuestionKind.SHORT_TEXT,
            choices=[],
            required=True,
            prompt_en="One thing to change?",
            prompt_es="¿Algo que cambiar?",
        ),
    )
    assert (comments.kind, comments.required, comments.key) == (QuestionKind.SHORT_TEXT, True, "comments")

    editor.remove_question(db.session, next(q for q in survey.questions if q.key == "would_return"))
    assert "would_return" not in keys(survey)
    assert sorted(q.position for q in survey.questions) == list(range(6))


def test_once_answered_only_wording_may_change(db, survey):
    answer_once(db, survey)
    pain = next(q for q in survey.questions if q.key == "pain_points")
    locked = [
        lambda: editor.add_question(db.session, survey, draft()),
        lambda: editor.remove_question(db.session, pain),
        lambda: editor.move_question(db.session, pain, -1),
        lambda: editor.update_question(
            db.session, pain, draft(kind=QuestionKind.SINGLE_CHOICE, choices=pain.choices)
        ),
        lambda: editor.update_question(
            db.session, pain, draft(kind=QuestionKind.MULTIPLE_CHOICE, required=True, choices=pain.choices)
        ),
        lambda: editor.update_question(
            db.session, pain, draft(kind=QuestionKind.MULTIPLE_CHOICE, choices=pain.choices[:-1])
        ),
        lambda: editor.update_question(
            db.session, pain, draft(kind=QuestionKind.MULTIPLE_CHOICE, choices=list(reversed(pain.choices)))
        ),
    ]
    before = (keys(survey), [dict(c) for c in pain.choices], pain.kind)
    for change in locked:
        with pytest.raises(DomainError, match="structure_locked"):
            change()
    assert (keys(survey), pain.choices, pain.kind) == before

    # Rewording the prompt and the choice labels is fine, and the choice codes stay.
    relabelled = [{"value": "", "en": c["en"].upper(), "es": c["es"]} for c in pain.choices]
    editor.update_question(
        db.session,
        pain,
        draft(
            kind=QuestionKind.MULTIPLE_CHOICE,
            choices=relabelled,
            prompt_en="What is hard about hiring?",
            prompt_es="¿Qué es difícil?",
        ),
    )
    assert pain.prompt_en == "What is hard about hiring?"
    assert [c["value"] for c in pain.choices] == [c["value"] for c in before[1]]
    assert pain.choices[0]["en"] == before[1][0]["en"].upper()


def test_titles_and_the_window_may_change_any_time(db, survey):
    answer_once(db, survey)
    closes = survey.event.ends_at + timedelta(days=3)
    editor.update_survey(db.session, survey, title_en="After the fair", title_es="Después de la feria",
                         opens_at=None, closes_at=closes)
    assert surveys.survey_window(survey) == (survey.event.starts_at, closes)
    with pytest.raises(DomainError, match="window_order"):
        editor.update_survey(
            db.session, survey, title_en="x", title_es="y", opens_at=closes, closes_at=closes
        )
