"""The employer's booth tablet (``/booth/<token>``): the day's board, starting interviews and the
walk-up queue, recording outcomes and, after the event, confirming hires."""

import uuid
from collections.abc import Callable

from flask import abort, flash, g, render_template, request, url_for
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2

from app.access import link_token_required
from app.database import writes
from app.extensions import db
from app.formatting import wage_range
from app.interviews.forms import HIRE_WORDS, HireForm, NonceForm, OutcomeForm, PersonForm
from app.interviews.views.base import bp, done, fail
from app.models import Booking, HireStatus, Interview, Outcome, Participation, TokenScope, utcnow
from app.services import interviews
from app.services.errors import DomainError
from app.services.interviews import OFFER_CONDITIONS
from app.web import get_or_404, or_404, required, show_error


def _token() -> str:
    """The booth link's secret, from the address this request came by."""
    return (request.view_args or {})["token"]


def _nonce() -> str:
    return uuid.uuid4().hex


def _booth() -> Participation:
    return g.access_token.participation


def _board_context(participation: Participation, now=None) -> dict:
    now = now or utcnow()
    phase = interviews.booth_phase(participation, now)
    if phase == "after" and interviews.close_open_interviews(db.session, participation.event, now):
        db.session.commit()  # the day is over: this read writes once, closing what stayed open
    return {
        "participation": participation,
        "event": participation.event,
        "board": interviews.board(db.session, participation, now),
        "phase": phase,
        "booth_day": interviews.booth_day(participation.event),
        "editable": phase == "open",
        "new_nonce": _nonce,
        "now": now,
    }


def _survey_link(phase: str) -> str:
    return url_for("surveys.employer_survey", token=_token(), phase=phase)


@bp.get("/booth/<token>")
@link_token_required(TokenScope.BOOTH)
def booth():
    participation = _booth()
    token = _token()
    found = request.args.get("find", "").strip()[:200]
    results, by_badge = [], False
    if found:
        registration = interviews.find_by_badge(db.session, participation, found)
        if registration is not None:
            results, by_badge = [interviews.booth_candidate(registration, participation)], True
        else:
            results = interviews.search(db.session, participation, found)
    context = _board_context(participation)
    offers = interviews.offers_to_confirm(db.session, participation) if context["phase"] == "after" else []
    return render_template(
        "interviews/booth.html", token=token, found=found, results=results, by_badge=by_badge,
        offers=offers, hire_form=HireForm(), hire_choices=HIRE_WORDS,
        pre_survey=_survey_link("pre"), post_survey=_survey_link("post"), **context,
    )


@bp.get("/booth/<token>/board")
@link_token_required(TokenScope.BOOTH)
def board_partial():
    """The board alone, for the tablet's periodic refresh."""
    return render_template("interviews/_board.html", token=_token(),
                           **_board_context(_booth()))


@bp.post("/booth/<token>/start")
@writes
@link_token_required(TokenScope.BOOTH)
def start():
    return _take_person(interviews.start, lambda token, interview: url_for(
        "interviews.interview", token=token, interview_id=interview.id))


@bp.post("/booth/<token>/queue")
@writes
@link_token_required(TokenScope.BOOTH)
def queue():
    def queued(token: str, interview: Interview) -> str:
        flash(f"{interview.registration.candidate.full_name} is in your walk-up queue.", "success")
        return url_for("interviews.booth", token=token, _anchor="queue")

    return _take_person(interviews.queue_walk_up, queued)


def _take_person(take: Callable[..., Interview], then: Callable[[str, Interview], str]):
    """The booth starts an interview with the person its form names, or queues them (``take``),
    once per tablet write (the form's nonce); ``then`` says where the tablet goes next."""
    token = _token()
    form = PersonForm()
    if not form.validate_on_submit():
        abort(400)
    participation = _booth()
    try:
        registration = interviews.booth_registration(
            db.session, participation, required(form.registration_id.data)
        )
        interview = take(db.session, participation, registration, utcnow(),
                         nonce=form.nonce.data, token=g.access_token)
    except DomainError as error:
        return fail(error, url_for("interviews.booth", token=token))
    db.session.commit()
    return done(then(token, interview))


def _booking_here(participation: Participation, booking_id: int) -> Booking:
    return get_or_404(Booking, booking_id, lambda b: b.slot.participation_id == participation.id)


@bp.post("/booth/<token>/bookings/<int:booking_id>/<any(start, no_show):action>")
@writes
@link_token_required(TokenScope.BOOTH)
def booked(booking_id: int, action: str):
    token = _token()
    form = NonceForm()
    if not form.validate_on_submit():
        abort(400)
    participation = _booth()
    booking = _booking_here(participation, booking_id)
    write = interviews.start_booking if action == "start" else interviews.booking_no_show
    try:
        interview = write(
            db.session, participation, booking, utcnow(), nonce=form.nonce.data, token=g.access_token
        )
    except DomainError as error:
        return fail(error, url_for("interviews.booth", token=token))
    db.session.commit()
    if action == "start":
        return done(url_for("interviews.interview", token=token, interview_id=interview.id))
    flash(f"{booking.registration.candidate.full_name}: no-show recorded.", "info")
    return done(url_for("interviews.booth", token=token))


@bp.post("/booth/<token>/interviews/<int:interview_id>/left")
@writes
@link_token_required(TokenScope.BOOTH)
def left_queue(interview_id: int):
    """Someone in the walk-up queue gave up waiting: a no-show, and the line moves up."""
    token = _token()
    if not NonceForm().validate_on_submit():
        abort(400)
    participation = _booth()
    try:
        found = interviews.booth_interview(db.session, participation, interview_id)
        if found.outcome is None:
            interviews.record_outcome(db.session, found, interviews.OutcomeDetails(Outcome.NO_SHOW), utcnow(),
                                      token=g.access_token)
    except DomainError as error:
        return fail(error, url_for("interviews.booth", token=token, _anchor="queue"))
    db.session.commit()
    flash(f"{found.registration.candidate.full_name} left the line (recorded as a no-show).", "info")
    return done(url_for("interviews.booth", token=token, _anchor="queue"))


@bp.post("/booth/<token>/interviews/<int:interview_id>/start")
@writes
@link_token_required(TokenScope.BOOTH)
def start_queued(interview_id: int):
    token = _token()
    if not NonceForm().validate_on_submit():
        abort(400)
    participation = _booth()
    try:
        interview = interviews.booth_interview(db.session, participation, interview_id)
        interviews.start(db.session, participation, interview.registration, utcnow(), token=g.access_token)
    except DomainError as error:
        if error.code == "not_found":
            abort(404)
        return fail(error, url_for("interviews.booth", token=token, _anchor="queue"))
    db.session.commit()
    return done(url_for("interviews.interview", token=token, interview_id=interview.id))


def _outcome_form(participation: Participation, interview, formdata=True) -> OutcomeForm:
    if formdata:
        form = OutcomeForm()
    else:
        form = OutcomeForm(
            formdata=None,
            data={
                "notes": interview.notes,
                "position_id": interview.position_id,
                "wage": f"{interview.offer_wage_cents / 100:.2f}"
                if interview.offer_wage_cents is not None
                else "",
                "wage_unit": interview.offer_wage_unit.value if interview.offer_wage_unit else None,
                "start_date": interview.offer_start_date,
                "conditions": list(interview.offer_conditions or []),
                "second_date": interviews.local_date_of(interview.second_interview_at, participation),
                "second_time": interviews.local_time_of(interview.second_interview_at, participation),
                "second_place": interview.second_interview_place or "",
            },
        )
    # Each job order's own wage shows beside its title; choosing one never changes the unit typed.
    form.position_id.choices = [
        SelectChoice(0, "Choose a position…"),
        *[
            SelectChoice(
                p.id,
                f"{p.title} (job order: {pay})"
                if (pay := wage_range(p.wage_min_cents, p.wage_max_cents, p.wage_unit))
                else p.title,
            )
            for p in participation.positions
        ],
    ]
    form.nonce.data = form.nonce.data or _nonce()
    return form


def _interview_page(
    participation, interview, form, chosen: str | None, status: int = 200, ask_wage: bool = False
):
    return render_template(
        "interviews/interview.html", token=_token(), participation=participation,
        event=participation.event, interview=interview,
        person=interviews.booth_candidate(interview.registration, participation), form=form, chosen=chosen,
        outcomes=Outcome.where(booth_choice=True), conditions=OFFER_CONDITIONS,
        editable=interviews.outcomes_editable(participation, utcnow()),
        ask_wage=ask_wage,
    ), status


@bp.get("/booth/<token>/interviews/<int:interview_id>")
@link_token_required(TokenScope.BOOTH)
def interview(interview_id: int):
    participation = _booth()
    found = or_404(interviews.booth_interview, db.session, participation, interview_id)
    chosen = request.args.get("outcome") or (found.outcome.value if found.outcome else None)
    return _interview_page(participation, found, _outcome_form(participation, found, formdata=False), chosen)


@bp.post("/booth/<token>/interviews/<int:interview_id>")
@writes
@link_token_required(TokenScope.BOOTH)
def record_outcome(interview_id: int):
    token = _token()
    participation = _booth()
    found = or_404(interviews.booth_interview, db.session, participation, interview_id)
    form = _outcome_form(participation, found)
    choose = request.form.get("choose")
    if choose:  # picked an outcome that needs details (without JavaScript): show its form
        return _interview_page(participation, found, form, choose)
    outcome = request.form.get("outcome", "")
    known = outcome in {o.value for o in Outcome}
    if not known or not form.validate_on_submit():
        if not known:
            form.form_errors.append("Choose an outcome.")
        return _interview_page(participation, found, form, outcome or None, status=422)
    try:
        details = interviews.OutcomeDetails(
            outcome=Outcome(outcome),
            position_id=form.position_id.data or None,
            wage_cents=interviews.parse_wage(form.wage.data or ""),
            wage_unit=form.wage_unit.data or None,
            start_date=form.start_date.data,
            conditions=form.conditions.data or [],
            wage_confirmed=bool(form.wage_confirmed.data),
            seq=form.seq.data,
            second_interview_on=form.second_date.data,
            second_interview_time=form.second_time.data,
            second_interview_place=form.second_place.data or "",
            notes=form.notes.data or "",
        )
        interviews.record_outcome(db.session, found, details, utcnow(), token=g.access_token)
    except DomainError as error:
        show_error(form, error)
        return _interview_page(participation, found, form, outcome, status=422,
                               ask_wage=error.code == "wage_unusual")
    db.session.commit()
    label = str(Outcome(outcome).label).lower()
    flash(f"Saved: {found.registration.candidate.full_name} — {label}.", "success")
    return done(url_for("interviews.booth", token=token))


@bp.post("/booth/<token>/interviews/<int:interview_id>/hire")
@writes
@link_token_required(TokenScope.BOOTH)
def confirm_hire(interview_id: int):
    token = _token()
    participation = _booth()
    form = HireForm()
    found = or_404(interviews.booth_interview, db.session, participation, interview_id)
    if not form.validate_on_submit():
        flash("Choose hired, declined or still pending.", "error")
        return done(url_for("interviews.booth", token=token, _anchor="hires"))
    try:
        interviews.confirm_hire(db.session, found, HireStatus(form.status.data), utcnow(),
                                start_date=form.start_date.data, token=g.access_token)
    except DomainError as error:
        return fail(error, url_for("interviews.booth", token=token, _anchor="hires"))
    db.session.commit()
    flash(f"Saved: {found.registration.candidate.full_name} — {form.status.data}.", "success")
    return done(url_for("interviews.booth", token=token, _anchor=f"offer-{found.id}"))
