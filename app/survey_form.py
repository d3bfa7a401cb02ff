"""Survey questions as form fields, shared by every form that asks them: the registration form
(the career seeker's pre-event survey), the survey pages and the staff preview.

Only "answered at all?" is checked here, so every missing answer shows at once; what counts as a
valid answer is the survey service's to say (``services.surveys.check_answers``)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.models import Question, QuestionKind
from app.services.surveys import SCALES, question_field


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes. Choices are checked by the service, not here."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        pass


def question_form_field(question: Question, spanish: bool) -> Field:
    """The field for one question, labelled in the respondent's language."""
    label = question.prompt_es if spanish else question.prompt_en
    validators = [InputRequired(_l("Please answer this question."))] if question.required else [Optional()]
    choices = [SelectChoice(c["value"], c["es"] if spanish else c["en"]) for c in question.choices]
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return RadioField(label, choices=choices, validate_choice=False, validators=validators)
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return CheckboxListField(label, choices=choices, validators=validators)
    if question.kind in SCALES:
        scale = [SelectChoice(str(n), str(n)) for n in SCALES[question.kind]]
        return RadioField(label, choices=scale, validate_choice=False, validators=validators)
    if question.kind == QuestionKind.SHORT_TEXT:
        return StringField(label, validators=validators)
    return TextAreaField(label, validators=validators)


def add_question_fields(form_class: type[FlaskForm], questions: list[Question], spanish: bool) -> None:
    """Give ``form_class`` (a fresh subclass made per request) one field per question, ``q_<key>``."""
    for question in questions:
        setattr(form_class, question_field(question), question_form_field(question, spanish))


def form_answers(form: FlaskForm, questions: list[Question]) -> dict[str, object]:
    """The answers a submitted form holds, keyed by question key."""
    return {q.key: form[question_field(q)].data for q in questions}


def form_data(answers: dict[str, object], questions: list[Question]) -> dict[str, object]:
    """Saved answers (``surveys.answers_of``) as the form's initial data."""
    data: dict[str, object] = {}
    for question in questions:
        value = answers.get(question.key)
        if value is None:
            continue
        data[question_field(question)] = str(value) if isinstance(value, int) else value
    return data
