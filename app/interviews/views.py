"""Employer booths: the booth tablet (``/booth/<token>``), a career seeker's bookings on their own
page (``/r/<token>/bookings``), and staff slot management."""

import io
import uuid

from flask import (
    abort,
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.access import link_token_required, staff_required
from app.extensions import db
from app.formatting import local_time, wage_range
from app.interviews.forms import (
    HIRE_WORDS,
    BookingForm,
    HireForm,
    NonceForm,
    OutcomeForm,
    PersonForm,
    StaffHireForm,
)
from app.models import (
    Booking,
    Candidate,
    HireStatus,
    Interview,
    InterviewSlot,
    Outcome,
    Participation,
    Registration,
    TokenScope,
    utcnow,
)
from app.services import badges, bookings, events, interviews
from app.services import registration as registrations
from app.services.booking_mail import interviews_ics, send_bookings_update
from app.services.errors import DomainError
from app.services.interviews import OFFER_CONDITIONS, OUTCOME_LABELS
from app.urls import public_url

bp = Blueprint("interviews", __name__)


def _nonce() -> str:
    return uuid.uuid4().hex


# --- The booth tablet ------------------------------------------------------------------------------


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


def _survey_link(phase: str) -> str | None:
    if "surveys.employer_survey" not in current_app.view_functions:
        return None
    return url_for("surveys.employer_survey", token=request.view_args["token"], phase=phase)


@bp.get("/booth/<token>")
@link_token_required(TokenScope.BOOTH)
def booth():
    participation = _booth()
    token = request.view_args["token"]
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
        offers=offers, hire_form=HireForm(), hire_choices=HIRE_WORDS, outcome_labels=OUTCOME_LABELS,
        pre_survey=_survey_link("pre"), post_survey=_survey_link("post"), **context,
    )


@bp.get("/booth/<token>/board")
@link_token_required(TokenScope.BOOTH)
def board_partial():
    """The board alone, for the tablet's periodic refresh."""
    return render_template("interviews/_board.html", token=request.view_args["token"],
                           outcome_labels=OUTCOME_LABELS, **_board_context(_booth()))


def _done(to: str):
    """After a booth write: a redirect, or for the tablet's script (which retries failed sends) the
    address to go to, so the flash message is still there when the page loads."""
    if request.headers.get("X-Requested-With") == "fetch":
        return jsonify(status="saved", redirect=to)
    return redirect(to, code=303)


def _fail(error: DomainError, to: str):
    db.session.rollback()
    flash(str(error.message), "error")
    return _done(to)


@bp.post("/booth/<token>/start")
@link_token_required(TokenScope.BOOTH)
def start():
    token = request.view_args["token"]
    form = PersonForm()
    if not form.validate_on_submit():
        abort(400)
    participation = _booth()
    try:
        registration = interviews.booth_registration(db.session, participation, form.registration_id.data)
        interview = interviews.start(db.session, participation, registration, utcnow(),
                                     nonce=form.nonce.data, token=g.access_token)
    except DomainError as error:
        return _fail(error, url_for("interviews.booth", token=token))
    db.session.commit()
    return _done(url_for("interviews.interview", token=token, interview_id=interview.id))


@bp.post("/booth/<token>/queue")
@link_token_required(TokenScope.BOOTH)
def queue():
    token = request.view_args["token"]
    form = PersonForm()
    if not form.validate_on_submit():
        abort(400)
    participation = _booth()
    try:
        registration = interviews.booth_registration(db.session, participation, form.registration_id.data)
        interviews.queue_walk_up(db.session, participation, registration, utcnow(),
                                 nonce=form.nonce.data, token=g.access_token)
    except DomainError as error:
        return _fail(error, url_for("interviews.booth", token=token))
    db.session.commit()
    flash(f"{registration.candidate.full_name} is in your walk-up queue.", "success")
    return _done(url_for("interviews.booth", token=token, _anchor="queue"))


def _booking_here(participation: Participation, booking_id: int) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.slot.participation_id != participation.id:
        abort(404)
    return booking


@bp.post("/booth/<token>/bookings/<int:booking_id>/<any(start, no_show):action>")
@link_token_required(TokenScope.BOOTH)
def booked(booking_id: int, action: str):
    token = request.view_args["token"]
    form = NonceForm()
    if not form.validate_on_submit():
        abort(400)
    participation = _booth()
    booking = _booking_here(participation, booking_id)
    write = interviews.start_booking if action == "start" else interviews.booking_no_show
    try:
        interview = write(db.session, participation, booking, utcnow(), nonce=form.nonce.data, token=g.access_token)
    except DomainError as error:
        return _fail(error, url_for("interviews.booth", token=token))
    db.session.commit()
    if action == "start":
        return _done(url_for("interviews.interview", token=token, interview_id=interview.id))
    flash(f"{booking.registration.candidate.full_name}: no-show recorded.", "info")
    return _done(url_for("interviews.booth", token=token))


@bp.post("/booth/<token>/interviews/<int:interview_id>/left")
@link_token_required(TokenScope.BOOTH)
def left_queue(interview_id: int):
    """Someone in the walk-up queue gave up waiting: a no-show, and the line moves up."""
    token = request.view_args["token"]
    if not NonceForm().validate_on_submit():
        abort(400)
    participation = _booth()
    try:
        found = interviews.booth_interview(db.session, participation, interview_id)
        if found.outcome is None:
            interviews.record_outcome(db.session, found, interviews.OutcomeDetails(Outcome.NO_SHOW), utcnow(),
                                      token=g.access_token)
    except DomainError as error:
        return _fail(error, url_for("interviews.booth", token=token, _anchor="queue"))
    db.session.commit()
    flash(f"{found.registration.candidate.full_name} left the line (recorded as a no-show).", "info")
    return _done(url_for("interviews.booth", token=token, _anchor="queue"))


@bp.post("/booth/<token>/interviews/<int:interview_id>/start")
@link_token_required(TokenScope.BOOTH)
def start_queued(interview_id: int):
    token = request.view_args["token"]
    if not NonceForm().validate_on_submit():
        abort(400)
    participation = _booth()
    try:
        interview = interviews.booth_interview(db.session, participation, interview_id)
        interviews.start(db.session, participation, interview.registration, utcnow(), token=g.access_token)
    except DomainError as error:
        if error.code == "not_found":
            abort(404)
        return _fail(error, url_for("interviews.booth", token=token, _anchor="queue"))
    db.session.commit()
    return _done(url_for("interviews.interview", token=token, interview_id=interview.id))


def _outcome_form(participation: Participation, interview, formdata=True) -> OutcomeForm:
    if formdata:
        form = OutcomeForm()
    else:
        form = OutcomeForm(formdata=None, data={
            "notes": interview.notes, "position_id": interview.position_id,
            "wage": f"{interview.offer_wage_cents / 100:.2f}" if interview.offer_wage_cents is not None else "",
            "wage_unit": interview.offer_wage_unit.value if interview.offer_wage_unit else None,
            "start_date": interview.offer_start_date, "conditions": list(interview.offer_conditions or []),
            "second_date": interviews.local_date_of(interview.second_interview_at, participation),
            "second_time": interviews.local_time_of(interview.second_interview_at, participation),
            "second_place": interview.second_interview_place or "",
        })
    # Each job order's own wage shows beside its title; choosing one never changes the unit typed.
    form.position_id.choices = [SelectChoice(0, "Choose a position…"), *[
        SelectChoice(p.id, f"{p.title} (job order: {pay})" if (pay := wage_range(p.wage_min_cents, p.wage_max_cents, p.wage_unit)) else p.title)
        for p in participation.positions]]
    form.nonce.data = form.nonce.data or _nonce()
    return form


def _interview_page(participation, interview, form, chosen: str | None, status: int = 200, ask_wage: bool = False):
    return render_template(
        "interviews/interview.html", token=request.view_args["token"], participation=participation,
        event=participation.event, interview=interview,
        person=interviews.booth_candidate(interview.registration, participation), form=form, chosen=chosen,
        outcome_labels=OUTCOME_LABELS, outcomes=[o for o in Outcome if o.kind.booth_choice], conditions=OFFER_CONDITIONS,
        editable=interviews.outcomes_editable(participation, utcnow()),
        ask_wage=ask_wage,
    ), status


@bp.get("/booth/<token>/interviews/<int:interview_id>")
@link_token_required(TokenScope.BOOTH)
def interview(interview_id: int):
    participation = _booth()
    try:
        found = interviews.booth_interview(db.session, participation, interview_id)
    except DomainError:
        abort(404)
    chosen = request.args.get("outcome") or (found.outcome.value if found.outcome else None)
    return _interview_page(participation, found, _outcome_form(participation, found, formdata=False), chosen)


@bp.post("/booth/<token>/interviews/<int:interview_id>")
@link_token_required(TokenScope.BOOTH)
def record_outcome(interview_id: int):
    token = request.view_args["token"]
    participation = _booth()
    try:
        found = interviews.booth_interview(db.session, participation, interview_id)
    except DomainError:
        abort(404)
    form = _outcome_form(participation, found)
    choose = request.form.get("choose")
    if choose:  # picked an outcome that needs details (without JavaScript): show its form
        return _interview_page(participation, found, form, choose)
    outcome = request.form.get("outcome", "")
    if outcome not in OUTCOME_LABELS or not form.validate_on_submit():
        if outcome not in OUTCOME_LABELS:
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
        db.session.rollback()
        field = form._fields.get(error.field or "")
        if field is not None:
            field.errors = [*field.errors, str(error.message)]
        else:
            form.form_errors.append(str(error.message))
        return _interview_page(participation, found, form, outcome, status=422,
                               ask_wage=error.code == "wage_unusual")
    db.session.commit()
    flash(f"Saved: {found.registration.candidate.full_name} — {OUTCOME_LABELS[Outcome(outcome)].lower()}.", "success")
    return _done(url_for("interviews.booth", token=token))


@bp.post("/booth/<token>/interviews/<int:interview_id>/hire")
@link_token_required(TokenScope.BOOTH)
def confirm_hire(interview_id: int):
    token = request.view_args["token"]
    participation = _booth()
    form = HireForm()
    try:
        found = interviews.booth_interview(db.session, participation, interview_id)
    except DomainError:
        abort(404)
    if not form.validate_on_submit():
        flash("Choose hired, declined or still pending.", "error")
        return _done(url_for("interviews.booth", token=token, _anchor="hires"))
    try:
        interviews.confirm_hire(db.session, found, HireStatus(form.status.data), utcnow(),
                                start_date=form.start_date.data, token=g.access_token)
    except DomainError as error:
        return _fail(error, url_for("interviews.booth", token=token, _anchor="hires"))
    db.session.commit()
    flash(f"Saved: {found.registration.candidate.full_name} — {form.status.data}.", "success")
    return _done(url_for("interviews.booth", token=token, _anchor=f"offer-{found.id}"))


@bp.app_template_global()
def link_qr_svg(url: str) -> str:
    """A booth link as a QR code, for staff to show when they issue it (scanned by the tablet at set-up)."""
    return badges.qr_svg(url)


# --- A career seeker's bookings, from their own page ----------------------------------------------


def _registration(token: str) -> Registration:
    registration = registrations.find_by_manage_token(db.session, token)
    if registration is None:
        abort(404)
    return registration


@bp.app_template_global()
def interview_summary(registration: Registration) -> dict:
    """For the person's own page (``/r/<token>``): their booked interviews and queue places."""
    now = utcnow()
    return {
        "bookings": bookings.live_bookings(db.session, registration),
        "queues": interviews.queue_places(db.session, registration, now),
        "can_book": registration.status.value == "registered" and registration.event.ends_at > now,
    }


@bp.get("/r/<token>/interviews")
def candidate_bookings(token: str):
    registration = _registration(token)
    event = registration.event
    now = utcnow()
    mine = bookings.live_bookings(db.session, registration)
    counts = bookings.open_slot_counts(db.session, event, now)
    employers = sorted(event.participations, key=lambda p: p.organization.name.casefold())
    chosen = next((p for p in employers if str(p.id) == request.args.get("employer")), None)
    moving = next((b for b in mine if str(b.id) == request.args.get("move")), None)
    open_slots = bookings.open_slots(db.session, chosen, now) if chosen else []
    busy = [(b.slot.starts_at, b.slot.ends_at) for b in mine if b is not moving]
    return render_template(
        "interviews/candidate/bookings.html", registration=registration, event=event, token=token,
        bookings=mine, employers=employers, counts=counts, chosen=chosen, moving=moving,
        open_slots=[o for o in open_slots if not any(s < o.slot.ends_at and o.slot.starts_at < e for s, e in busy)],
        queues=interviews.queue_places(db.session, registration, now), form=FlaskForm(),
        limit=event.max_bookings_per_candidate,
        # Said before a time is tapped, not after: at the limit only a move is possible.
        at_limit=moving is None and len(mine) >= event.max_bookings_per_candidate,
        can_book=registration.status.value == "registered" and event.ends_at > now,
    )


@bp.post("/r/<token>/interviews")
def book(token: str):
    registration = _registration(token)
    form = BookingForm()
    if not form.validate_on_submit():
        abort(400)
    slot = db.session.get(InterviewSlot, form.slot_id.data)
    replacing = db.session.get(Booking, form.replacing.data) if form.replacing.data else None
    if slot is None or (replacing is not None and replacing.registration_id != registration.id):
        abort(404)
    try:
        booking = bookings.book(db.session, registration, slot, utcnow(), replacing=replacing)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("interviews.candidate_bookings", token=token, employer=slot.participation_id,
                                move=replacing.id if replacing else None))
    send_bookings_update(registration, bookings.live_bookings(db.session, registration), token,
                         cancelled=[replacing] if replacing else [])
    db.session.commit()
    flash(_("Booked: %(employer)s at %(time)s. We e-mailed you a calendar file.",
            employer=slot.participation.organization.name,
            time=local_time(booking.slot.starts_at, registration.event.timezone)), "success")
    # No #interviews anchor: it scrolled the green "Booked" message above off the screen.
    return redirect(url_for("registration.manage", token=token))


@bp.route("/r/<token>/interviews/<int:booking_id>/cancel", methods=["GET", "POST"])
def cancel_booking(token: str, booking_id: int):
    """Asks first: "Cancel" sits next to "Change time", and each change sends an e-mail."""
    registration = _registration(token)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.registration_id != registration.id:
        abort(404)
    if booking.cancelled_at is not None:  # a second tap, or the back button after cancelling
        return redirect(url_for("registration.manage", token=token, _anchor="interviews"))
    if request.method == "GET" or request.form.get("confirmed") != "1":
        employer = booking.slot.participation.organization.name
        return render_template(
            "_layouts/confirm.html",
            heading=_("Cancel this interview?"),
            question=_("Your interview with %(employer)s at %(time)s will be cancelled.", employer=employer,
                       time=local_time(booking.slot.starts_at, registration.event.timezone)),
            note=_("To keep the interview at another time, choose “Change time” instead."),
            action=url_for("interviews.cancel_booking", token=token, booking_id=booking.id),
            confirm_label=_("Yes, cancel the interview"),
            keep_url=url_for("registration.manage", token=token, _anchor="interviews"),
            keep_label=_("No, keep it"),
        )
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        bookings.cancel(db.session, booking, utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("registration.manage", token=token, _anchor="interviews"))
    send_bookings_update(registration, bookings.live_bookings(db.session, registration), token, cancelled=[booking])
    db.session.commit()
    flash(_("Your interview with %(employer)s is cancelled.", employer=booking.slot.participation.organization.name), "info")
    return redirect(url_for("registration.manage", token=token))


@bp.get("/r/<token>/interviews.ics")
def bookings_calendar(token: str):
    registration = _registration(token)
    body = interviews_ics(registration, bookings.live_bookings(db.session, registration), [],
                          public_url(url_for("registration.manage", token=token)), utcnow())
    return send_file(io.BytesIO(body), "text/calendar", as_attachment=True,
                     download_name=f"interviews-{registration.event.slug}.ics")


# --- Staff: a booth's slots -------------------------------------------------------------------------


def _staff_participation(slug: str, participation_id: int) -> Participation:
    participation = db.session.get(Participation, participation_id)
    if participation is None or participation.event.slug != slug:
        abort(404)
    return participation


def _find_person(participation: Participation, typed: str) -> Registration:
    """Staff booking for someone: an e-mail, a badge code (or its URL), or a name matching one person."""
    typed = typed.strip()
    if "@" in typed:
        found = db.session.scalar(
            select(Registration).join(Registration.candidate)
            .where(Registration.event_id == participation.event_id, Candidate.email == typed.lower())
        )
        if found is not None:
            return found
    found = interviews.find_by_badge(db.session, participation, typed)
    if found is not None:
        return found
    matches = interviews.search(db.session, participation, typed, limit=5)
    if len(matches) == 1:
        return db.session.get(Registration, matches[0].registration_id)
    if not matches:
        raise DomainError("person_not_found", "No one registered for this event matches that.", field="person")
    raise DomainError("several_people", f"{len(matches)} or more people match; type their e-mail instead.",
                      field="person")


@bp.get("/staff/events/<slug>/employers/<int:participation_id>/slots")
@staff_required
def staff_slots(slug: str, participation_id: int):
    participation = _staff_participation(slug, participation_id)
    rows = bookings.staff_slot_rows(db.session, participation)
    return render_template(
        "interviews/staff_slots.html", participation=participation, event=participation.event, rows=rows,
        in_step=bookings.slots_match_settings(db.session, participation), planned=len(bookings.planned_times(participation)),
        window=bookings.interview_window(participation), form=FlaskForm(),
        person=request.args.get("person", ""), now=utcnow(),
    )


@bp.post("/staff/events/<slug>/employers/<int:participation_id>/slots/generate")
@staff_required
def generate_slots(slug: str, participation_id: int):
    participation = _staff_participation(slug, participation_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    changes = bookings.generate_slots(db.session, participation, actor=current_user)
    db.session.commit()
    message = f"Slots updated: {changes.created} added, {changes.removed} removed."
    if changes.kept_booked:
        message += f" {changes.kept_booked} booked slot{'s' if changes.kept_booked != 1 else ''} kept as they were."
    flash(message, "success")
    return redirect(url_for("interviews.staff_slots", slug=slug, participation_id=participation_id))


@bp.post("/staff/events/<slug>/employers/<int:participation_id>/slots/<int:slot_id>/<any(block, unblock):action>")
@staff_required
def block_slot(slug: str, participation_id: int, slot_id: int, action: str):
    participation = _staff_participation(slug, participation_id)
    slot = db.session.get(InterviewSlot, slot_id)
    if slot is None or slot.participation_id != participation.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    held = bookings.set_blocked(db.session, slot, action == "block", actor=current_user)
    db.session.commit()
    when = local_time(slot.starts_at, participation.event.timezone)
    if action == "block" and held:
        flash(f"{when} blocked. {held} person{'s' if held != 1 else ''} booked in it keep their booking: "
              "cancel it below if they must move.", "warning")
    else:
        flash(f"{when} {'blocked' if action == 'block' else 'open for booking again'}.", "success")
    return redirect(url_for("interviews.staff_slots", slug=slug, participation_id=participation_id, _anchor=f"slot-{slot.id}"))


@bp.post("/staff/events/<slug>/employers/<int:participation_id>/slots/book")
@staff_required
def staff_book(slug: str, participation_id: int):
    participation = _staff_participation(slug, participation_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    slot = db.session.get(InterviewSlot, request.form.get("slot_id", type=int) or 0)
    typed = request.form.get("person", "")[:200]
    if slot is None or slot.participation_id != participation.id:
        abort(404)
    try:
        registration = _find_person(participation, typed)
        bookings.book(db.session, registration, slot, utcnow(), actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("interviews.staff_slots", slug=slug, participation_id=participation_id,
                                person=typed, _anchor=f"slot-{slot.id}"))
    db.session.commit()
    flash(f"Booked {registration.candidate.full_name} at {local_time(slot.starts_at, participation.event.timezone)}.", "success")
    return redirect(url_for("interviews.staff_slots", slug=slug, participation_id=participation_id, _anchor=f"slot-{slot.id}"))


@bp.post("/staff/events/<slug>/employers/<int:participation_id>/bookings/<int:booking_id>/cancel")
@staff_required
def staff_cancel(slug: str, participation_id: int, booking_id: int):
    participation = _staff_participation(slug, participation_id)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.slot.participation_id != participation.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        bookings.cancel(db.session, booking, utcnow(), actor=current_user)
    except DomainError as error:
        return _fail(error, url_for("interviews.staff_slots", slug=slug, participation_id=participation_id))
    db.session.commit()
    flash(f"Cancelled {booking.registration.candidate.full_name}'s booking.", "success")
    return redirect(url_for("interviews.staff_slots", slug=slug, participation_id=participation_id, _anchor=f"slot-{booking.slot_id}"))


# --- Staff: hires after the event ------------------------------------------------------------------


@bp.get("/staff/events/<slug>/hires")
@staff_required
def staff_pending_offers(slug: str):
    """Offers still waiting for an answer, employer by employer, to follow up in a few clicks."""
    event = events.event_by_slug(db.session, slug)
    return render_template("interviews/staff_hires.html", event=event, participation=None,
                           groups=interviews.offers_pending(db.session, event), form=StaffHireForm(formdata=None),
                           hire_choices=HIRE_WORDS, outcome_labels=OUTCOME_LABELS)


@bp.get("/staff/events/<slug>/employers/<int:participation_id>/hires")
@staff_required
def staff_booth_hires(slug: str, participation_id: int):
    """Every interview of one employer that could lead to a hire, to confirm or correct any of them."""
    participation = _staff_participation(slug, participation_id)
    return render_template("interviews/staff_hires.html", event=participation.event, participation=participation,
                           groups=[(participation, interviews.hire_candidates(db.session, participation))],
                           form=StaffHireForm(formdata=None), hire_choices=HIRE_WORDS,
                           outcome_labels=OUTCOME_LABELS)


@bp.post("/staff/events/<slug>/interviews/<int:interview_id>/hire")
@staff_required
def staff_confirm_hire(slug: str, interview_id: int):
    event = events.event_by_slug(db.session, slug)
    found = db.session.get(Interview, interview_id)
    if found is None or found.participation.event_id != event.id:
        abort(404)
    back = request.form.get("back") == "booth"
    to = (url_for("interviews.staff_booth_hires", slug=slug, participation_id=found.participation_id,
                  _anchor=f"interview-{found.id}") if back else url_for("interviews.staff_pending_offers", slug=slug))
    form = StaffHireForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(to, code=303)
    status = None if form.status.data == "no_offer" else HireStatus(form.status.data)
    try:
        interviews.confirm_hire(db.session, found, status, utcnow(), start_date=form.start_date.data,
                                user=current_user._get_current_object(), reason=form.reason.data)
    except DomainError as error:
        return _fail(error, to)
    db.session.commit()
    said = {"hired": "hired", "declined": "offer declined", "pending": "offer still pending", "no_offer": "no offer"}
    flash(f"Saved: {found.registration.candidate.full_name} at {found.participation.organization.name} — "
          f"{said[form.status.data]}.", "success")
    return redirect(to, code=303)
