"""Staff forms about a referring partner's access."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length


class ApiTokenForm(FlaskForm):
    name = StringField("Name staff will recognise (the partner's system, who asked)",
                       validators=[InputRequired("Give the token a name."), Length(max=120)])
