"""Survey pages: career seekers answer by their personal link, employers from the booth link;
staff edit the questions and see the results."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.access import link_token_required
from app.extensions import db
from app.formatting import current_locale
from app.models import Audience, Language, Participation, Phase, Registration, Survey, TokenScope, utcnow
from app.services import registration as registrations
from app.services import surveys
from app.services.errors import DomainError
from app.survey_form import add_question_fields, form_answers, form_data

bp = Blueprint("surveys", __name__)


def _show_error(form: FlaskForm, error: DomainError) -> None:
    field = form._fields.get(error.field or "")
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def survey_form(survey: Survey, spanish: bool, **kwargs) -> FlaskForm:
    """The respondent's form for ``survey``: one field per question, named ``q_<key>``."""

    class SurveyForm(FlaskForm):
        pass

    add_question_fields(SurveyForm, list(survey.questions), spanish)
    return SurveyForm(**kwargs)


def _answer(survey: Survey, *, registration: Registration | None = None, participation: Participation | None = None):
    """Show the survey with the respondent's saved answers, and save what they send while it is open."""
    now = utcnow()
    questions = list(survey.questions)
    spanish = current_locale() == "es"
    response = surveys.response_of(db.session, survey, registration=registration, participation=participation)
    open_now = surveys.is_open(survey, now)
    form = survey_form(survey, spanish, data=form_data(surveys.answers_of(response), questions))
    status = 200
    if request.method == "POST":
        if not open_now:
            status = 409
        elif form.validate_on_submit():
            try:
                surveys.answer_survey(
                    db.session, survey, form_answers(form, questions), now,
                    registration=registration, participation=participation,
                    language=Language.ES if spanish else Language.EN,
                )
            except DomainError as error:
                db.session.rollback()
                _show_error(form, error)
            else:
                db.session.commit()
                flash(_("Thank you! Your answers are saved."), "success")
                return redirect(request.full_path if request.query_string else request.path)
        status = 422 if status == 200 else status
    opens, closes = surveys.survey_window(survey)
    return render_template(
        "surveys/answer.html",
        survey=survey, event=survey.event, form=form, questions=questions, spanish=spanish,
        is_open=open_now, not_yet=opens is not None and now < opens, closes_at=closes,
        answered=response is not None, participation=participation, preview=False,
    ), status


@bp.route("/s/<token>", methods=["GET", "POST"])
def answer_by_link(token: str):
    """A career seeker's personal survey link (e-mailed, or given at the exit poster's page)."""
    link = surveys.find_link(db.session, token)
    if link is None:
        abort(404)
    return _answer(link.survey, registration=link.registration)


@bp.route("/r/<token>/survey", methods=["GET", "POST"])
def answer_from_registration(token: str):
    """The post-event survey from the person's own registration page."""
    registration = registrations.find_by_manage_token(db.session, token)
    if registration is None:
        abort(404)
    survey = surveys.event_survey(db.session, registration.event, Audience.CANDIDATE, Phase.POST)
    if survey is None:
        abort(404)
    return _answer(survey, registration=registration)


@bp.route("/booth/<token>/survey/<phase>", methods=["GET", "POST"])
@link_token_required(TokenScope.BOOTH)
def employer_survey(phase: str):
    """The employer's pre- or post-event survey, on the booth tablet; the booth is the respondent."""
    if phase not in (Phase.PRE.value, Phase.POST.value):
        abort(404)
    participation = g.access_token.participation
    survey = surveys.event_survey(db.session, participation.event, Audience.EMPLOYER, Phase(phase))
    if survey is None:
        abort(404)
    return _answer(survey, participation=participation)


@bp.app_template_global()
def post_survey_open(event) -> bool:
    """For the career seeker's own page: offer the post-event survey?"""
    survey = surveys.event_survey(db.session, event, Audience.CANDIDATE, Phase.POST)
    return survey is not None and surveys.is_open(survey, utcnow())
