"""Forms at the door, in English and Spanish (the volunteer corps is bilingual)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2
from wtforms.validators import InputRequired, Length, Optional

from app.formatting import current_locale
from app.models import CheckInKind, Language
from app.services.surveys import EMPLOYMENT_STATUS_CHOICES

#: The same two languages as the online form (the door speaks to volunteers in English).
LANGUAGE_CHOICES = [SelectChoice(value, label) for value, label in Language.choices()]

KIND_CHOICES = [SelectChoice(kind.value, kind.label) for kind in (CheckInKind.ENTRY, CheckInKind.EXIT)]


class ScanForm(FlaskForm):
    """One scan: typed by a handheld scanner (code + Enter), read by the camera, or a search result."""

    code = StringField(
        _l("Badge code"), validators=[InputRequired(_l("Scan a badge or type its code.")), Length(max=2000)]
    )
    #: Made by the page for each scan (a fresh one is rendered for the no-JavaScript form).
    nonce = HiddenField(validators=[InputRequired(), Length(max=64)])
    kind = RadioField(_l("Scan"), choices=KIND_CHOICES, default=CheckInKind.ENTRY.value)


class WalkInForm(FlaskForm):
    """Everything the online form asks that reports and partners count, in one screen a volunteer
    finishes in under a minute."""

    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=100)])
    phone = TelField(_l("Mobile phone"), validators=[Optional(), Length(max=30)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    zip_code = StringField(_l("ZIP code"), validators=[InputRequired(), Length(max=10)])
    language = RadioField(
        _l("Language for their e-mails and badge"), choices=LANGUAGE_CHOICES, default=Language.EN.value,
        validators=[InputRequired()],
    )
    employment_status = RadioField(
        _l("Employment status"), choices=[],  # set per request, in the page's language
        validators=[InputRequired(_l("Ask them for their employment status."))],
    )
    referral_code = SelectField(_l("Referred by (optional)"), choices=[], validate_choice=False)
    consent_share_profile = BooleanField(
        _l("They agree that the employers at this event may see their name, contact details and interests"),
        validators=[
            InputRequired(
                _l("They must agree to share their profile: it is how employers can interview them.")
            )
        ],
    )
    consent_email = BooleanField(_l("They want e-mails about future hiring events"))
    nonce = HiddenField(validators=[InputRequired(), Length(max=64)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The survey's own labels, in the door page's language.
        self.employment_status.choices = [
            SelectChoice(c["value"], c[current_locale()]) for c in EMPLOYMENT_STATUS_CHOICES
        ]


class DeviceForm(FlaskForm):
    token = StringField(
        _l("Scanner token"),
        validators=[InputRequired(_l("Paste the scanner token staff gave you.")), Length(max=100)],
    )


class BadgeSheetForm(FlaskForm):
    start_at = SelectField(
        "Start at label", choices=[SelectChoice(str(n), f"Label {n}") for n in range(1, 7)], default="1",
    )
