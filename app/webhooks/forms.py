"""Forms for webhook endpoints. They check presence and length; ``services.webhook_urls`` checks
the URL itself and the views put its message on the field."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, URLField
from wtforms.validators import DataRequired, Length


class EndpointForm(FlaskForm):
    url = URLField(
        "URL", validators=[DataRequired("Enter the URL the partner's system listens on."), Length(max=500)]
    )
    description = StringField("Description", validators=[Length(max=120)])
    enabled = BooleanField("Send events to this URL", default=True)


class ButtonForm(FlaskForm):
    """Only the CSRF token: the form behind a single button (send a test event, rotate, retry)."""
