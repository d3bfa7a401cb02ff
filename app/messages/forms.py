"""Staff forms about the messages HireDay sends."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TimeField
from wtforms.validators import InputRequired, Length


class ReminderPlanForm(FlaskForm):
    two_days_enabled = BooleanField("Send a reminder two days before")
    two_days_at = TimeField("At (two days before, event's time zone)", validators=[InputRequired()])
    morning_enabled = BooleanField("Send a reminder on the morning of the event")
    morning_at = TimeField("At (on the day, event's time zone)", validators=[InputRequired()])
    sms_enabled = BooleanField("Also by text message, to people who agreed to texts")
    bring_en = StringField("What to bring (English)", validators=[Length(max=300)])
    bring_es = StringField("What to bring (Spanish)", validators=[Length(max=300)])
