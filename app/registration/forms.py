"""The registration form: fixed fields, plus the event's pre-event survey questions added per
event (``app.survey_form`` builds them; the survey service checks the answers)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2
from wtforms.validators import InputRequired, Length, Optional

from app.models import Language, Question
from app.survey_form import CheckboxListField, add_question_fields

LANGUAGE_CHOICES = [SelectChoice(value, label) for value, label in Language.choices()]


class ContactFields(FlaskForm):
    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=100)])
    phone = TelField(_l("Mobile phone"), validators=[Optional(), Length(max=30)])
    zip_code = StringField(_l("ZIP code"), validators=[InputRequired(), Length(max=10)])
    language = RadioField(_l("Preferred language"), choices=LANGUAGE_CHOICES, default=Language.EN.value)
    accessibility_needs = TextAreaField(
        _l("Accommodations you need at the event (optional)"), validators=[Optional(), Length(max=2000)]
    )
    consent_email = BooleanField(_l("Send me e-mails about this and future hiring events"))
    consent_sms = BooleanField(
        _l("Send me text messages about this event (message and data rates may apply)")
    )


class RegistrationForm(ContactFields):
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    position_ids = CheckboxListField(_l("Positions you are interested in"), coerce=int, choices=[])
    referral_code = SelectField(_l("Did an organization refer you?"), choices=[], validate_choice=False)
    #: Unticked by default; the view names the organization in the label when it knows it.
    consent_share_offers = BooleanField(
        _l(
            "May we tell the organization that referred you about job offers you receive: position, wage, "
            "start date?"
        )
    )
    consent_share_profile = BooleanField(
        _l("I agree that the employers at this event may see my name, contact details and interests"),
        validators=[
            InputRequired(
                _l(
                    "Please agree to share your profile with the event's employers; it is how they can "
                    "interview you."
                )
            )
        ],
    )
    #: A trap for bots: hidden from people (and screen readers); a person never fills it in.
    website = StringField(_l("Leave this field empty"))


class DetailsForm(ContactFields):
    """What a registered person may change on their own page."""


def registration_form(questions: list[Question], spanish: bool, **kwargs) -> RegistrationForm:
    """A registration form with one extra field per survey question, named ``q_<key>``."""

    class EventRegistrationForm(RegistrationForm):
        pass

    add_question_fields(EventRegistrationForm, questions, spanish)
    return EventRegistrationForm(**kwargs)


class ImportUploadForm(FlaskForm):
    """Staff: a partner's CSV of pre-screened candidates (checked first, imported on confirm)."""

    partnership_id = SelectField("Referring partner", coerce=int, validators=[InputRequired()])
    file = FileField(
        "CSV file",
        validators=[FileRequired("Choose a CSV file."), FileAllowed(["csv", "txt"], "Upload a .csv file.")],
    )


class ImportConfirmForm(FlaskForm):
    partnership_id = HiddenField()
    #: The checked file travels back with the confirmation and is checked again before importing.
    csv_text = HiddenField()
    send_email = BooleanField("E-mail each new person their registration link and badge", default=True)
