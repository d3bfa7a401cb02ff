"""The form that opens a staff or door-volunteer account."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.form_choices import choices
from app.models import Role


class AccountForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the person's name."), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired("Enter an email address."), Length(max=254)])
    role = SelectField(
        "Role", choices=choices([(role.value, role.label) for role in (Role.VOLUNTEER, Role.STAFF)]),
        default=Role.VOLUNTEER.value,
    )
    password = PasswordField("Password", validators=[DataRequired("Choose a password."), Length(max=200)])
