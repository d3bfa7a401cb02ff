"""Forms for the directory's entries."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional

from app.form_choices import OPTIONAL_SECTOR_CHOICES, PARTNER_KIND_CHOICES, choices


class OrganizationForm(FlaskForm):
    """An employer in the directory."""

    name = StringField("Name", validators=[DataRequired("Enter the organization's name."), Length(max=200)])
    sector = SelectField("Sector", choices=choices(OPTIONAL_SECTOR_CHOICES), default="")
    website = StringField("Website", validators=[Optional(), Length(max=300)])
    contact_name = StringField("Contact name", validators=[Optional(), Length(max=200)])
    contact_email = EmailField("Contact email", validators=[Optional(), Length(max=254)])
    contact_phone = TelField("Contact phone", validators=[Optional(), Length(max=40)])


class PartnerForm(OrganizationForm):
    """A referring partner in the directory."""

    kind = SelectField("Kind", choices=choices(PARTNER_KIND_CHOICES))
    sector = None  # type: ignore[assignment]  # WTForms drops an inherited field so: partners refer to every sector
