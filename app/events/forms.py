"""Staff forms for setting events up. They check types and presence; the services check the rules
(a free slug, a wage range, a table nobody else has) and the views put those messages on the field."""

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.form_choices import OPTIONAL_SECTOR_CHOICES, PARTNER_KIND_CHOICES, SECTOR_CHOICES, choices
from app.models import EmploymentType, EventStatus, WageUnit

#: Zones a US workforce board holds events in; an event in another zone keeps its own in the list.
TIMEZONE_CHOICES = [
    ("America/Chicago", "Central time (Chicago)"),
    ("America/New_York", "Eastern time (New York)"),
    ("America/Denver", "Mountain time (Denver)"),
    ("America/Phoenix", "Arizona time (Phoenix, no daylight saving)"),
    ("America/Los_Angeles", "Pacific time (Los Angeles)"),
    ("America/Anchorage", "Alaska time (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii time (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic time (Puerto Rico)"),
]
EMPLOYMENT_TYPE_CHOICES = EmploymentType.choices()
WAGE_UNIT_CHOICES = [("", "No wage given"), *WageUnit.choices()]
#: The browser sends ``HH:MM``, or ``HH:MM:SS`` when seconds are shown.
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


class CheckboxListField(SelectMultipleField):
    """A multi-select shown as a list of checkboxes: easier on a phone than a ``<select multiple>``."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DollarField(DecimalField):
    """An amount in dollars; ``$18.50`` and ``48,000`` are read as 18.50 and 48000."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            cleaned = valuelist[0].replace("$", "").replace(",", "").strip()
            try:
                self.data = Decimal(cleaned)
            except InvalidOperation:
                self.data = None
                raise ValueError("Enter an amount in dollars, e.g. 18.50.") from None
            if not self.data.is_finite():
                self.data = None
                raise ValueError("Enter an amount in dollars, e.g. 18.50.")
        else:
            self.data = None


class ButtonForm(FlaskForm):
    """Only the CSRF token: the form behind a single button (remove, issue a link, deactivate)."""

class EventForm(FlaskForm):
    name = StringField("Event name", validators=[DataRequired("Give the event a name."), Length(max=200)])
    slug = StringField("Web address (slug)", validators=[Optional(), Length(max=80)])
    sectors = CheckboxListField("Sectors", choices=choices(SECTOR_CHOICES), validators=[Optional()])
    venue = StringField(
        "Venue", validators=[DataRequired("Say where the event takes place."), Length(max=200)]
    )
    address = StringField("Street address", validators=[DataRequired("Give the venue's street address."),
                                                        Length(max=300)])
    day = DateField("Date", validators=[DataRequired("Enter the event's date.")])
    start = TimeField("Starts at", format=TIME_FORMATS, validators=[InputRequired("Enter the start time.")])
    end = TimeField("Ends at", format=TIME_FORMATS, validators=[InputRequired("Enter the end time.")])
    timezone = SelectField("Time zone", choices=choices(TIMEZONE_CHOICES))
    registration_opens = DateTimeLocalField(
        "Registration opens", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[Optional()]
    )
    registration_closes = DateTimeLocalField(
        "Registration closes", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[Optional()]
    )
    booth_opens = DateTimeLocalField(
        "Booths open early", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[Optional()]
    )
    booth_closes = DateTimeLocalField(
        "Booths close late", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[Optional()]
    )
    capacity = IntegerField("Capacity (registrations)", validators=[Optional(), NumberRange(min=1)])
    description = TextAreaField("Description", validators=[Length(max=5000)], render_kw={"rows": 7})
    description_es = TextAreaField(
        "Description in Spanish (optional)",
        validators=[Length(max=5000)],
        render_kw={"rows": 7, "lang": "es"},
    )
    max_bookings_per_candidate = IntegerField(
        "Interview bookings per career seeker", default=3,
        validators=[InputRequired("Enter a number (0 for no booking ahead)."), NumberRange(min=0, max=20)],
    )


class CopyEventForm(FlaskForm):
    name = StringField(
        "Name of the new event", validators=[DataRequired("Give the event a name."), Length(max=200)]
    )
    slug = StringField("Web address (slug)", validators=[Optional(), Length(max=80)])
    day = DateField("Date of the new event", validators=[DataRequired("Enter the new date.")])


class StatusForm(FlaskForm):
    status = HiddenField(validators=[AnyOf([s.value for s in EventStatus])])


class BoothForm(FlaskForm):
    """An employer's table and interview settings at one event."""

    table_number = StringField("Table number", validators=[Optional(), Length(max=20)])
    interview_minutes = IntegerField(
        "Interview length (minutes)", default=10,
        validators=[InputRequired("Enter the interview length."), NumberRange(min=1, max=240)],
    )
    interview_start = TimeField("Interviews start", format=TIME_FORMATS, validators=[Optional()])
    interview_end = TimeField("Interviews end", format=TIME_FORMATS, validators=[Optional()])
    interviewers = IntegerField(
        "Parallel interviewers", default=1,
        validators=[InputRequired("Enter how many interview at once."), NumberRange(min=1, max=50)],
    )


class AddEmployerForm(BoothForm):
    #: 0 means "a new employer", named in the fields below.
    organization = SelectField("Employer", coerce=int)
    new_name = StringField("New employer's name", validators=[Length(max=200)])
    new_sector = SelectField("New employer's sector", choices=choices(OPTIONAL_SECTOR_CHOICES), default="")

    def validate_new_name(self, field) -> None:
        if self.organization.data == 0 and not (field.data or "").strip():
            raise ValidationError("Pick an employer from the directory, or type the new employer's name.")


class PositionForm(FlaskForm):
    title = StringField("Job title", validators=[DataRequired("Give the job a title."), Length(max=200)])
    title_es = StringField(
        "Title in Spanish (optional)", validators=[Length(max=200)], render_kw={"lang": "es"}
    )
    openings = IntegerField(
        "Openings",
        default=1,
        validators=[InputRequired("Enter how many openings."), NumberRange(min=1, max=10000)],
    )
    wage_min = DollarField("Lowest wage ($)", places=2, validators=[Optional()])
    wage_max = DollarField("Highest wage ($)", places=2, validators=[Optional()])
    wage_unit = SelectField("Wage is", choices=choices(WAGE_UNIT_CHOICES), default="")
    wage_confirmed = BooleanField("Yes, this wage and its unit are right")
    employment_type = SelectField("Employment type", choices=choices(EMPLOYMENT_TYPE_CHOICES))
    sector = SelectField("Sector", choices=choices(OPTIONAL_SECTOR_CHOICES), default="")
    requirements = TextAreaField("Requirements", validators=[Length(max=5000)])


class AddPartnerForm(FlaskForm):
    #: 0 means "a new partner", named in the fields below.
    organization = SelectField("Partner", coerce=int)
    new_name = StringField("New partner's name", validators=[Length(max=200)])
    new_kind = SelectField("New partner's kind", choices=choices(PARTNER_KIND_CHOICES))

    def validate_new_name(self, field) -> None:
        if self.organization.data == 0 and not (field.data or "").strip():
            raise ValidationError("Pick a partner from the directory, or type the new partner's name.")


class DeviceTokenForm(FlaskForm):
    name = StringField(
        "Device name", validators=[DataRequired("Name the device, e.g. Door 2."), Length(max=120)]
    )
