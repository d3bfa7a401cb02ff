"""A career seeker's interview bookings, from their own page (``/r/<token>/interviews``)."""

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app.database import writes, writing_from_here
from app.extensions import db
from app.formatting import local_time
from app.interviews.forms import BookingForm
from app.interviews.views.base import bp
from app.models import Booking, InterviewSlot, Registration, RegistrationStatus, utcnow
from app.services import bookings, interviews, registration as registrations
from app.services.booking_mail import interviews_ics, send_bookings_update
from app.services.errors import DomainError
from app.urls import public_url
from app.web import flash_error, get_or_404, or_404


def _registration(token: str) -> Registration:
    return or_404(registrations.find_by_manage_token, db.session, token)


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
        "interviews/candidate/bookings.html",
        registration=registration,
        event=event,
        token=token,
        bookings=mine,
        employers=employers,
        counts=counts,
        chosen=chosen,
        moving=moving,
        open_slots=[
            o for o in open_slots if not any(s < o.slot.ends_at and o.slot.starts_at < e for s, e in busy)
        ],
        queues=interviews.queue_places(db.session, registration, now),
        form=FlaskForm(),
        limit=event.max_bookings_per_candidate,
        # Said before a time is tapped, not after: at the limit only a move is possible.
        at_limit=moving is None and len(mine) >= event.max_bookings_per_candidate,
        can_book=registration.status == RegistrationStatus.REGISTERED and event.ends_at > now,
    )


@bp.post("/r/<token>/interviews")
@writes
def book(token: str):
    registration = _registration(token)
    form = BookingForm()
    if not form.validate_on_submit():
        abort(400)
    slot = get_or_404(InterviewSlot, form.slot_id.data)
    replacing = (get_or_404(Booking, form.replacing.data, lambda b: b.registration_id == registration.id)
                 if form.replacing.data else None)
    try:
        booking = bookings.book(db.session, registration, slot, utcnow(), replacing=replacing)
    except DomainError as error:
        flash_error(error)
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
    booking = get_or_404(Booking, booking_id, lambda b: b.registration_id == registration.id)
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
    with writing_from_here(db.session):
        try:
            bookings.cancel(db.session, booking, utcnow())
        except DomainError as error:
            flash_error(error)
            return redirect(url_for("registration.manage", token=token, _anchor="interviews"))
        send_bookings_update(registration, bookings.live_bookings(db.session, registration), token,
                             cancelled=[booking])
        db.session.commit()
    flash(
        _(
            "Your interview with %(employer)s is cancelled.",
            employer=booking.slot.participation.organization.name,
        ),
        "info",
    )
    return redirect(url_for("registration.manage", token=token))


@bp.get("/r/<token>/interviews.ics")
def bookings_calendar(token: str):
    registration = _registration(token)
    body = interviews_ics(registration, bookings.live_bookings(db.session, registration), [],
                          public_url(url_for("registration.manage", token=token)), utcnow())
    return send_file(io.BytesIO(body), "text/calendar", as_attachment=True,
                     download_name=f"interviews-{registration.event.slug}.ics")
