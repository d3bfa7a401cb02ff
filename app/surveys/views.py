"""Survey pages: career seekers answer by their personal link, employers from the booth link;
staff edit the questions and see the results."""

import io
from datetime import UTC
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale, gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.access import link_token_required, staff_required
from app.database import writes, writing_from_here
from app.extensions import db, limiter
from app.formatting import current_locale
from app.models import (
    Audience,
    BatchJob,
    Event,
    Language,
    Participation,
    Phase,
    Question,
    QuestionKind,
    Registration,
    Survey,
    TokenScope,
    utcnow,
)
from app.services import (
    batch_jobs,
    employer_surveys,
    events as event_service,
    registration as registrations,
    survey_distribution,
    survey_editor,
    survey_results,
    surveys,
)
from app.services.errors import DomainError
from app.survey_form import add_question_fields, form_answers, form_data
from app.surveys.forms import (
    BadgeEntryForm,
    EmailEntryForm,
    MoveForm,
    QuestionForm,
    SurveySettingsForm,
)
from app.template_globals import survey_url
from app.web import flash_error, or_404, show_error

bp = Blueprint("surveys", __name__)


def survey_form(survey: Survey, spanish: bool, **kwargs) -> FlaskForm:
    """The respondent's form for ``survey``: one field per question, named ``q_<key>``."""

    class SurveyForm(FlaskForm):
        pass

    add_question_fields(SurveyForm, list(survey.questions), spanish)
    return SurveyForm(**kwargs)


def _answer(
    survey: Survey, *, registration: Registration | None = None, participation: Participation | None = None
):
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
            with writing_from_here(db.session):
                try:
                    surveys.answer_survey(
                        db.session, survey, form_answers(form, questions), now,
                        registration=registration, participation=participation,
                        language=Language.ES if spanish else Language.EN,
                    )
                except DomainError as error:
                    show_error(form, error)
                else:
                    db.session.commit()
                    flash(_("Thank you! Your answers are saved."), "success")
                    return redirect(request.full_path if request.query_string else request.path)
        status = 422 if status == 200 else status
    opens, closes = surveys.survey_window(survey)
    return render_template(
        "surveys/answer.html",
        survey=survey, event=survey.event, form=form, questions=questions, spanish=spanish,
        is_open=open_now, not_yet=opens is not None and now < opens, opens_at=opens, closes_at=closes,
        answered=response is not None, participation=participation, preview=False,
    ), status


@bp.route("/s/<token>", methods=["GET", "POST"])
def answer_by_link(token: str):
    """A personal survey link: a career seeker's (e-mailed, or given at the exit poster's page) or an
    employer's (e-mailed to its contact)."""
    link = or_404(surveys.find_link, db.session, token)
    return _answer(link.survey, registration=link.registration, participation=link.participation)


@bp.route("/r/<token>/survey", methods=["GET", "POST"])
def answer_from_registration(token: str):
    """The post-event survey from the person's own registration page."""
    registration = or_404(registrations.find_by_manage_token, db.session, token)
    survey = or_404(surveys.event_survey, db.session, registration.event, Audience.CANDIDATE, Phase.POST)
    return _answer(survey, registration=registration)


@bp.route("/booth/<token>/survey/<phase>", methods=["GET", "POST"])
@link_token_required(TokenScope.BOOTH)
def employer_survey(phase: str):
    """The employer's pre- or post-event survey, on the booth tablet; the booth is the respondent."""
    if phase not in (Phase.PRE.value, Phase.POST.value):
        abort(404)
    participation = g.access_token.participation
    survey = or_404(surveys.event_survey, db.session, participation.event, Audience.EMPLOYER, Phase(phase))
    return _answer(survey, participation=participation)


# --- Staff: the event's surveys and their results -------------------------------------------------

def _staff_survey(slug: str, audience: str, phase: str) -> Survey:
    event = event_service.event_by_slug(db.session, slug)
    try:
        key = (Audience(audience), Phase(phase))
    except ValueError:
        abort(404)
    return or_404(surveys.event_survey, db.session, event, *key)


@bp.get("/staff/events/<slug>/surveys")
@staff_required
def event_surveys(slug: str):
    event = event_service.event_by_slug(db.session, slug)
    found = {
        (s.audience, s.phase): s
        for s in db.session.scalars(select(Survey).where(Survey.event_id == event.id))
    }
    ordered = [found[key] for key in surveys.SURVEY_ORDER if key in found]
    now = utcnow()
    rows = [
        (
            survey,
            survey_results.survey_results(db.session, survey),
            surveys.survey_window(survey),
            surveys.is_open(survey, now),
        )
        for survey in ordered
    ]
    return render_template(
        "surveys/staff/event_surveys.html",
        event=event,
        rows=rows,
        mailing=survey_distribution.mailing_counts(db.session, event),
        employers_sent={
            s.id: employer_surveys.sent_count(db.session, s)
            for s in ordered
            if s.audience == Audience.EMPLOYER
        },
        **_mailing_job(slug, batch_jobs.latest(db.session, event, MAILING_JOBS)),
        entry_url=survey_distribution.entry_url(event),
    )


@bp.get("/staff/events/<slug>/surveys/<audience>/<phase>/results")
@staff_required
def results(slug: str, audience: str, phase: str):
    survey = _staff_survey(slug, audience, phase)
    result = survey_results.survey_results(db.session, survey)
    pain_points = None
    if survey.audience == Audience.EMPLOYER:
        pain_points = survey_results.employer_pain_points(db.session, survey.event)
    return render_template(
        "surveys/staff/results.html",
        survey=survey,
        event=survey.event,
        result=result,
        pain_points=pain_points,
    )


@bp.get("/staff/events/<slug>/export/survey-<audience>-<phase>.csv")
@staff_required
def results_csv(slug: str, audience: str, phase: str):
    survey = _staff_survey(slug, audience, phase)
    body = survey_results.results_csv(db.session, survey)
    return send_file(io.BytesIO(body), "text/csv; charset=utf-8", as_attachment=True,
                     download_name=f"{slug}-survey-{audience}-{phase}.csv")


# --- Staff: the editor ----------------------------------------------------------------------------


def _local(value, timezone: str):
    return value.astimezone(ZoneInfo(timezone)).replace(tzinfo=None) if value else None


def _utc(value, timezone: str):
    return value.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC) if value else None


def _draft(form: QuestionForm) -> survey_editor.QuestionDraft:
    kind = QuestionKind(form.kind.data)
    choices = survey_editor.parse_choices(form.choices.data or "") if kind in surveys.CHOICE_KINDS else []
    return survey_editor.QuestionDraft(kind, form.prompt_en.data or "", form.prompt_es.data or "",
                                       form.required.data, choices)


def _editor_page(survey: Survey, question_form: QuestionForm | None = None,
                 settings_form: SurveySettingsForm | None = None, status: int = 200):
    timezone = survey.event.timezone
    if settings_form is None:
        settings_form = SurveySettingsForm(formdata=None, data={
            "title_en": survey.title_en, "title_es": survey.title_es,
            "opens_at": _local(survey.opens_at, timezone), "closes_at": _local(survey.closes_at, timezone),
        })
    opens, closes = surveys.survey_window(survey)
    return render_template(
        "surveys/staff/editor.html", survey=survey, event=survey.event,
        locked=survey_editor.has_answers(db.session, survey),
        question_form=question_form or QuestionForm(formdata=None), settings_form=settings_form,
        window=(opens, closes), move_form=MoveForm(formdata=None),
    ), status


@bp.get("/staff/events/<slug>/surveys/<audience>/<phase>")
@staff_required
def editor(slug: str, audience: str, phase: str):
    return _editor_page(_staff_survey(slug, audience, phase))


@bp.post("/staff/events/<slug>/surveys/<audience>/<phase>/questions")
@writes
@staff_required
def add_question(slug: str, audience: str, phase: str):
    survey = _staff_survey(slug, audience, phase)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            question = survey_editor.add_question(db.session, survey, _draft(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"Question added: {question.prompt_en}", "success")
            return redirect(survey_url("surveys.editor", survey) + "#questions")
    return _editor_page(survey, question_form=form, status=422)


def _question(survey: Survey, question_id: int) -> Question:
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


@bp.route(
    "/staff/events/<slug>/surveys/<audience>/<phase>/questions/<int:question_id>", methods=["GET", "POST"]
)
@staff_required
def edit_question(slug: str, audience: str, phase: str, question_id: int):
    survey = _staff_survey(slug, audience, phase)
    question = _question(survey, question_id)
    locked = survey_editor.has_answers(db.session, survey)
    form = QuestionForm(data={
        "kind": question.kind.value, "prompt_en": question.prompt_en, "prompt_es": question.prompt_es,
        "required": question.required, "choices": survey_editor.choices_text(question.choices),
    })
    status = 200
    if form.validate_on_submit():
        with writing_from_here(db.session):
            try:
                survey_editor.update_question(db.session, question, _draft(form), actor=current_user)
            except DomainError as error:
                show_error(form, error)
            else:
                db.session.commit()
                flash("Question saved.", "success")
                return redirect(survey_url("surveys.editor", survey) + "#questions")
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("surveys/staff/question_form.html", survey=survey, event=survey.event, form=form,
                           question=question, locked=locked), status


@bp.post("/staff/events/<slug>/surveys/<audience>/<phase>/questions/<int:question_id>/move")
@writes
@staff_required
def move_question(slug: str, audience: str, phase: str, question_id: int):
    survey = _staff_survey(slug, audience, phase)
    question = _question(survey, question_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        survey_editor.move_question(
            db.session, question, -1 if form.direction.data == "up" else 1, actor=current_user
        )
    except DomainError as error:
        flash_error(error)
    else:
        db.session.commit()
    return redirect(survey_url("surveys.editor", survey) + f"#question-{question.key}")


@bp.post("/staff/events/<slug>/surveys/<audience>/<phase>/questions/<int:question_id>/remove")
@writes
@staff_required
def remove_question(slug: str, audience: str, phase: str, question_id: int):
    survey = _staff_survey(slug, audience, phase)
    question = _question(survey, question_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    prompt = question.prompt_en
    try:
        survey_editor.remove_question(db.session, question, actor=current_user)
    except DomainError as error:
        flash_error(error)
    else:
        db.session.commit()
        flash(f"Question removed: {prompt}", "success")
    return redirect(survey_url("surveys.editor", survey) + "#questions")


@bp.post("/staff/events/<slug>/surveys/<audience>/<phase>/settings")
@writes
@staff_required
def survey_settings(slug: str, audience: str, phase: str):
    survey = _staff_survey(slug, audience, phase)
    form = SurveySettingsForm()
    if form.validate_on_submit():
        timezone = survey.event.timezone
        try:
            survey_editor.update_survey(
                db.session, survey, title_en=form.title_en.data or "", title_es=form.title_es.data or "",
                opens_at=_utc(form.opens_at.data, timezone), closes_at=_utc(form.closes_at.data, timezone),
                actor=current_user,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash("Survey settings saved.", "success")
            if (warning := surveys.window_warning(survey)) is not None:
                flash(warning, "warning")
            return redirect(survey_url("surveys.editor", survey))
    return _editor_page(survey, settings_form=form, status=422)


@bp.get("/staff/events/<slug>/surveys/<audience>/<phase>/preview")
@staff_required
def preview(slug: str, audience: str, phase: str):
    """The survey as its respondents see it (``?in=es`` for Spanish, without switching the staff
    member's own pages to Spanish); nothing can be sent."""
    survey = _staff_survey(slug, audience, phase)
    language = "es" if request.args.get("in") == "es" else "en"
    spanish = language == "es"
    with force_locale(language):
        return render_template(
            "surveys/answer.html",
            survey=survey,
            event=survey.event,
            form=survey_form(survey, spanish, formdata=None),
            questions=list(survey.questions),
            spanish=spanish,
            is_open=True,
            not_yet=False,
            closes_at=None,
            answered=False,
            participation=None,
            preview=True,
        )


# --- Getting the post-event survey out: e-mails, the exit poster and its page ---------------------


@bp.post("/staff/events/<slug>/surveys/send")
@writes
@staff_required
def send_survey(slug: str):
    event = event_service.event_by_slug(db.session, slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    flash(survey_distribution.invite_attendees(db.session, event, utcnow(), actor=current_user), "info")
    db.session.commit()
    return redirect(url_for("surveys.event_surveys", slug=slug))


@bp.post("/staff/events/<slug>/surveys/remind")
@writes
@staff_required
def remind_survey(slug: str):
    event = event_service.event_by_slug(db.session, slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        survey_distribution.remind_attendees(db.session, event, utcnow(), actor=current_user)
    except DomainError as error:
        flash_error(error, "No reminder sent: ")
    else:
        db.session.commit()
        flash("Sending the reminder to attendees who have not answered.", "info")
    return redirect(url_for("surveys.event_surveys", slug=slug))


@bp.post("/staff/events/<slug>/surveys/employer/<phase>/send")
@writes
@staff_required
def send_employer_survey(slug: str, phase: str):
    survey = _staff_survey(slug, Audience.EMPLOYER.value, phase)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        employer_surveys.invite_employers(
            db.session, survey.event, survey.phase, utcnow(), actor=current_user
        )
    except DomainError as error:
        flash_error(error, "Employer survey not sent: ")
    else:
        db.session.commit()
        flash("Sending the employer survey to each employer's contact.", "info")
    return redirect(url_for("surveys.event_surveys", slug=slug))


#: The jobs the surveys page follows.
MAILING_JOBS = (survey_distribution.INVITATIONS, survey_distribution.REMINDERS, employer_surveys.INVITATIONS)


@bp.get("/staff/events/<slug>/surveys/jobs/<job_id>")
@staff_required
def mailing_job(slug: str, job_id: str):
    """How far a survey mailing has got (the surveys page polls it)."""
    event = event_service.event_by_slug(db.session, slug)
    job = batch_jobs.find(db.session, event, job_id)
    if job is None or job.kind not in MAILING_JOBS:
        abort(404)
    return render_template("_layouts/_batch_job.html", **_mailing_job(slug, job))


def _mailing_job(slug: str, job: BatchJob | None) -> dict:
    """What the progress fragment of a survey mailing needs."""
    if job is None:
        return {"job": None}
    return {"job": job, "label": batch_jobs.label(job), "summary": batch_jobs.summary(job),
            "poll_url": url_for("surveys.mailing_job", slug=slug, job_id=job.id),
            "carry_on_url": url_for("surveys.carry_on_mailing", slug=slug, job_id=job.id)}


@bp.post("/staff/events/<slug>/surveys/jobs/<job_id>/carry-on")
@writes
@staff_required
def carry_on_mailing(slug: str, job_id: str):
    event = event_service.event_by_slug(db.session, slug)
    job = batch_jobs.find(db.session, event, job_id)
    if job is None or job.kind not in MAILING_JOBS or not FlaskForm().validate_on_submit():
        abort(404)
    try:
        batch_jobs.carry_on(db.session, job)
    except DomainError as error:
        flash_error(error)
    else:
        db.session.commit()
    return redirect(url_for("surveys.event_surveys", slug=slug))


@bp.get("/staff/events/<slug>/surveys/poster.pdf")
@staff_required
def poster(slug: str):
    event = event_service.event_by_slug(db.session, slug)
    return send_file(io.BytesIO(survey_distribution.poster_pdf(event)), "application/pdf",
                     download_name=f"{slug}-survey-poster.pdf")


def _public_event(slug: str) -> Event:
    return or_404(event_service.public_event, db.session, slug)


def _entry_page(event: Event, badge_form: BadgeEntryForm, email_form: EmailEntryForm, status: int = 200):
    survey = surveys.event_survey(db.session, event, Audience.CANDIDATE, Phase.POST)
    now = utcnow()
    opens, _closes = surveys.survey_window(survey) if survey else (None, None)
    return render_template(
        "surveys/entry.html",
        event=event,
        badge_form=badge_form,
        email_form=email_form,
        is_open=survey is not None and surveys.is_open(survey, now),
        not_yet=opens is not None and now < opens,
    ), status


@bp.get("/events/<slug>/survey")
def entry(slug: str):
    """Where the exit poster's QR code leads: a person identifies themselves by their badge code or
    the e-mail they registered with, and gets their personal survey link."""
    return _entry_page(_public_event(slug), BadgeEntryForm(formdata=None), EmailEntryForm(formdata=None))


@bp.post("/events/<slug>/survey")
@writes
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"])
def entry_by_badge(slug: str):
    event = _public_event(slug)
    form = BadgeEntryForm()
    if form.validate_on_submit():
        try:
            secret = survey_distribution.entry_by_badge(
                db.session, event, form.badge_code.data or "", utcnow()
            )
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("surveys.answer_by_link", token=secret))
    return _entry_page(event, form, EmailEntryForm(formdata=None), status=422)


@bp.post("/events/<slug>/survey/email")
@writes
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"])
def entry_by_email(slug: str):
    event = _public_event(slug)
    form = EmailEntryForm()
    if form.validate_on_submit():
        try:
            letter = survey_distribution.entry_by_email(db.session, event, form.email.data or "", utcnow())
        except DomainError as error:
            show_error(form, error)
        else:
            if letter is not None:
                survey_distribution.send_letters(db.session, [letter])
            db.session.commit()
            # The same answer whether or not the address is registered: the page reveals nobody.
            flash(
                _(
                    "If you registered for this event with that address, we have e-mailed you your survey "
                    "link."
                ),
                "info",
            )
            return redirect(url_for("surveys.entry", slug=slug))
    return _entry_page(event, BadgeEntryForm(formdata=None), form, status=422)
