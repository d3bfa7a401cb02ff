"""Forms for editing a survey (staff pages: English only) and for asking for one's survey link at
the exit poster's page (public: English and Spanish)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from app.models import QuestionKind

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class QuestionForm(FlaskForm):
    kind = SelectField("Type", choices=[SelectChoice(v, label) for v, label in QuestionKind.choices()])
    prompt_en = TextAreaField(
        "Question in English",
        validators=[InputRequired("Write the question in English."), Length(max=500)],
        render_kw={"rows": 2},
    )
    prompt_es = TextAreaField(
        "Question in Spanish",
        validators=[InputRequired("Write the question in Spanish."), Length(max=500)],
        render_kw={"rows": 2},
    )
    required = BooleanField("An answer is required")
    choices = TextAreaField("Choices (choice questions only)", validators=[Optional(), Length(max=10000)],
                            render_kw={"rows": 8})


class SurveySettingsForm(FlaskForm):
    title_en = StringField("Title in English", validators=[InputRequired(), Length(max=200)])
    title_es = StringField("Title in Spanish", validators=[InputRequired(), Length(max=200)])
    opens_at = DateTimeLocalField("Opens", format=LOCAL_FORMATS, validators=[Optional()])
    closes_at = DateTimeLocalField("Closes", format=LOCAL_FORMATS, validators=[Optional()])


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class BadgeEntryForm(FlaskForm):
    """At the exit poster's page: "this is my badge"."""

    badge_code = StringField(
        _l("The code on your badge"),
        validators=[InputRequired(_l("Enter the code on your badge.")), Length(max=200)],
    )


class EmailEntryForm(FlaskForm):
    """At the exit poster's page: "e-mail me my link"."""

    email = EmailField(
        _l("The e-mail you registered with"),
        validators=[InputRequired(_l("Enter your e-mail address.")), Length(max=254)],
    )
