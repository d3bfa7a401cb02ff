"""Booth tablet forms (recruiters; English) and the career seeker's booking form."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.models import HireStatus, WageUnit
from app.services.interviews import HIRE_REASONS, OFFER_CONDITIONS


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes; the service checks the values."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        pass

WAGE_UNITS = [SelectChoice(value, label) for value, label in WageUnit.choices()]
#: What became of an offer, in the order the booth and staff choose it.
HIRE_WORDS = [
    (status.value, status.label) for status in (HireStatus.HIRED, HireStatus.DECLINED, HireStatus.PENDING)
]
HIRE_CHOICES = [SelectChoice(value, label) for value, label in HIRE_WORDS]


class NonceForm(FlaskForm):
    """A booth write: the nonce is made when the page is drawn, so a retry sends the same one."""

    nonce = HiddenField(validators=[Optional(), Length(max=64)])


class PersonForm(NonceForm):
    registration_id = IntegerField(validators=[InputRequired()])


class OutcomeForm(NonceForm):
    notes = TextAreaField("Notes (only your booth sees them)", validators=[Optional(), Length(max=4000)])
    position_id = SelectField(
        "Position", coerce=int, choices=[], validate_choice=False, validators=[Optional()]
    )
    wage = StringField("Wage offered ($)", validators=[Optional(), Length(max=20)])
    wage_unit = RadioField("Paid", choices=WAGE_UNITS, validators=[Optional()], validate_choice=True)
    wage_confirmed = BooleanField("Yes, this wage and its unit are right")
    #: The booth script's sequence number for this save (the tablet's clock in ms at the tap).
    seq = IntegerField(validators=[Optional(), NumberRange(min=0, max=2**62)])
    start_date = DateField("Start date", validators=[Optional()])
    conditions = CheckboxListField(
        "Conditions", choices=[SelectChoice(k, v) for k, v in OFFER_CONDITIONS.items()]
    )
    second_date = DateField("Date", validators=[Optional()])
    second_time = TimeField("Time", validators=[Optional()])
    second_place = StringField("Place", validators=[Optional(), Length(max=200)])


class HireForm(FlaskForm):
    status = RadioField("Hired?", choices=HIRE_CHOICES, validators=[InputRequired()])
    start_date = DateField("Start date", validators=[Optional()])


class StaffHireForm(FlaskForm):
    """Staff confirm or correct how an interview ended after the event, with a reason."""

    status = RadioField(
        "Hired?",
        choices=[*HIRE_CHOICES, SelectChoice("no_offer", "No offer")],
        validators=[InputRequired("Choose hired, declined, still pending or no offer.")],
    )
    start_date = DateField("Start date", validators=[Optional()])
    reason = SelectField(
        "Why",
        choices=[
            SelectChoice("", "Choose a reason…"),
            *[SelectChoice(k, v) for k, v in HIRE_REASONS.items()],
        ],
        validators=[InputRequired("Choose why you are changing this.")],
    )


class BookingForm(FlaskForm):
    """A career seeker books (or moves a booking to) a slot."""

    slot_id = IntegerField(validators=[InputRequired()])
    replacing = IntegerField(validators=[Optional()])
