"""Staff pages for interviews: a booth's slots and bookings, and confirming hires after the event."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.access import staff_required
from app.database import writes
from app.extensions import db
from app.formatting import local_time
from app.interviews.forms import HIRE_WORDS, StaffHireForm
from app.interviews.views.base import bp, fail
from app.models import (
    Booking,
    Candidate,
    HireStatus,
    Interview,
    InterviewSlot,
    Participation,
    Registration,
    utcnow,
)
from app.services import bookings, events, interviews
from app.services.errors import DomainError
from app.web import flash_error, get_or_404


def _staff_participation(slug: str, participation_id: int) -> Participation:
    return get_or_404(Participation, participation_id, lambda p: p.event.slug == slug)


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
        return db.session.get_one(Registration, matches[0].registration_id)
    if not matches:
        raise DomainError(
            "person_not_found", "No one registered for this event matches that.", field="person"
        )
    raise DomainError("several_people", f"{len(matches)} or more people match; type their e-mail instead.",
                      field="person")


@bp.get("/staff/events/<slug>/employers/<int:participation_id>/slots")
@staff_required
def staff_slots(slug: str, participation_id: int):
    participation = _staff_participation(slug, participation_id)
    rows = bookings.staff_slot_rows(db.session, participation)
    return render_template(
        "interviews/staff_slots.html",
        participation=participation,
        event=participation.event,
        rows=rows,
        in_step=bookings.slots_match_settings(db.session, participation),
        planned=len(bookings.planned_times(participation)),
        window=bookings.interview_window(participation),
        form=FlaskForm(),
        person=request.args.get("person", ""),
        now=utcnow(),
    )


@bp.post("/staff/events/<slug>/employers/<int:participation_id>/slots/generate")
@writes
@staff_required
def generate_slots(slug: str, participation_id: int):
    participation = _staff_participation(slug, participation_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    changes = bookings.generate_slots(db.session, participation, actor=current_user)
    db.session.commit()
    message = f"Slots updated: {changes.created} added, {changes.removed} removed."
    if changes.kept_booked:
        message += (
            f" {changes.kept_booked} booked slot{'s' if changes.kept_booked != 1 else ''} kept as they were."
        )
    flash(message, "success")
    return redirect(url_for("interviews.staff_slots", slug=slug, participation_id=participation_id))


@bp.post(
    "/staff/events/<slug>/employers/<int:participation_id>/slots/<int:slot_id>/<any(block, unblock):action>"
)
@writes
@staff_required
def block_slot(slug: str, participation_id: int, slot_id: int, action: str):
    participation = _staff_participation(slug, participation_id)
    slot = get_or_404(InterviewSlot, slot_id, lambda s: s.participation_id == participation.id)
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
    return redirect(
        url_for(
            "interviews.staff_slots", slug=slug, participation_id=participation_id, _anchor=f"slot-{slot.id}"
        )
    )


@bp.post("/staff/events/<slug>/employers/<int:participation_id>/slots/book")
@writes
@staff_required
def staff_book(slug: str, participation_id: int):
    participation = _staff_participation(slug, participation_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    slot = get_or_404(
        InterviewSlot, request.form.get("slot_id", type=int), lambda s: s.participation_id == participation.id
    )
    typed = request.form.get("person", "")[:200]
    try:
        registration = _find_person(participation, typed)
        bookings.book(db.session, registration, slot, utcnow(), actor=current_user)
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("interviews.staff_slots", slug=slug, participation_id=participation_id,
                                person=typed, _anchor=f"slot-{slot.id}"))
    db.session.commit()
    flash(
        f"Booked {registration.candidate.full_name} at "
        f"{local_time(slot.starts_at, participation.event.timezone)}.",
        "success",
    )
    return redirect(
        url_for(
            "interviews.staff_slots", slug=slug, participation_id=participation_id, _anchor=f"slot-{slot.id}"
        )
    )


@bp.post("/staff/events/<slug>/employers/<int:participation_id>/bookings/<int:booking_id>/cancel")
@writes
@staff_required
def staff_cancel(slug: str, participation_id: int, booking_id: int):
    participation = _staff_participation(slug, participation_id)
    booking = get_or_404(Booking, booking_id, lambda b: b.slot.participation_id == participation.id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        bookings.cancel(db.session, booking, utcnow(), actor=current_user)
    except DomainError as error:
        return fail(error, url_for("interviews.staff_slots", slug=slug, participation_id=participation_id))
    db.session.commit()
    flash(f"Cancelled {booking.registration.candidate.full_name}'s booking.", "success")
    return redirect(
        url_for(
            "interviews.staff_slots",
            slug=slug,
            participation_id=participation_id,
            _anchor=f"slot-{booking.slot_id}",
        )
    )


# --- Staff: hires after the event ------------------------------------------------------------------


@bp.get("/staff/events/<slug>/hires")
@staff_required
def staff_pending_offers(slug: str):
    """Offers still waiting for an answer, employer by employer, to follow up in a few clicks."""
    event = events.event_by_slug(db.session, slug)
    return render_template(
        "interviews/staff_hires.html",
        event=event,
        participation=None,
        groups=interviews.offers_pending(db.session, event),
        form=StaffHireForm(formdata=None),
        hire_choices=HIRE_WORDS,
    )


@bp.get("/staff/events/<slug>/employers/<int:participation_id>/hires")
@staff_required
def staff_booth_hires(slug: str, participation_id: int):
    """Every interview of one employer that could lead to a hire, to confirm or correct any of them."""
    participation = _staff_participation(slug, participation_id)
    return render_template(
        "interviews/staff_hires.html",
        event=participation.event,
        participation=participation,
        groups=[(participation, interviews.hire_candidates(db.session, participation))],
        form=StaffHireForm(formdata=None),
        hire_choices=HIRE_WORDS,
    )


@bp.post("/staff/events/<slug>/interviews/<int:interview_id>/hire")
@writes
@staff_required
def staff_confirm_hire(slug: str, interview_id: int):
    event = events.event_by_slug(db.session, slug)
    found = get_or_404(Interview, interview_id, lambda i: i.participation.event_id == event.id)
    back = request.form.get("back") == "booth"
    to = (
        url_for(
            "interviews.staff_booth_hires",
            slug=slug,
            participation_id=found.participation_id,
            _anchor=f"interview-{found.id}",
        )
        if back
        else url_for("interviews.staff_pending_offers", slug=slug)
    )
    form = StaffHireForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(to, code=303)
    status = None if form.status.data == "no_offer" else HireStatus(form.status.data)
    try:
        interviews.confirm_hire(db.session, found, status, utcnow(), start_date=form.start_date.data,
                                user=current_user._get_current_object(), reason=form.reason.data)
    except DomainError as error:
        return fail(error, to)
    db.session.commit()
    said = "no offer" if form.status.data == "no_offer" else str(HireStatus(form.status.data).label).lower()
    employer = found.participation.organization.name
    flash(f"Saved: {found.registration.candidate.full_name} at {employer} — {said}.", "success")
    return redirect(to, code=303)
