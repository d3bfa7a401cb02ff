"""Messages: the staff list of undelivered ones, an event's reminder plan, and the webhook the
text-message provider calls with people's replies (STOP, HELP)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _
from flask_wtf import FlaskForm

from app.access import staff_required
from app.database import writes, writing_from_here
from app.extensions import csrf, db
from app.messages.forms import ReminderPlanForm
from app.services import events, outbound, reminders, sms
from app.services.errors import DomainError
from app.urls import public_url
from app.web import flash_error, required

bp = Blueprint("messages", __name__)


@bp.get("/staff/messages/undelivered")
@staff_required
def undelivered():
    """Every message all attempts failed for: staff fix the cause, then send it again."""
    return render_template("messages/undelivered.html", messages=outbound.undelivered(db.session),
                           max_attempts=outbound.MAX_ATTEMPTS)


@bp.post("/staff/messages/<int:message_id>/send-again")
@writes
@staff_required
def send_again(message_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        outbound.send_again(db.session, message_id)
    except DomainError as error:
        flash_error(error)
    else:
        db.session.commit()
        flash("Queued again: the job worker sends it now.", "success")
    return redirect(url_for("messages.undelivered"))


@bp.route("/staff/events/<slug>/reminders", methods=["GET", "POST"])
@staff_required
def reminder_plan(slug: str):
    event = events.event_by_slug(db.session, slug)
    plan = reminders.plan_for(db.session, event)
    form = ReminderPlanForm(obj=plan) if request.method == "GET" else ReminderPlanForm()
    if form.validate_on_submit():
        with writing_from_here(db.session):
            reminders.save_plan(
                db.session,
                event,
                two_days_enabled=form.two_days_enabled.data,
                two_days_at=required(form.two_days_at.data),
                morning_enabled=form.morning_enabled.data,
                morning_at=required(form.morning_at.data),
                sms_enabled=form.sms_enabled.data,
                bring_en=form.bring_en.data or "",
                bring_es=form.bring_es.data or "",
            )
            db.session.commit()
        flash("Reminders saved.", "success")
        return redirect(url_for("messages.reminder_plan", slug=slug))
    return render_template("messages/reminder_plan.html", event=event, form=form,
                           due=reminders.due_at(plan, event), counts=reminders.sent_counts(db.session, event))


@bp.post("/sms/inbound")
@writes
@csrf.exempt
def sms_inbound():
    """Twilio's webhook for a text someone sent us, answered in TwiML. Signed by Twilio: anything
    else is refused, so nobody can stop another person's texts."""
    config = current_app.config
    if config["SMS_PROVIDER"] != "twilio" or not config["TWILIO_AUTH_TOKEN"]:
        abort(404)
    from twilio.request_validator import RequestValidator
    from twilio.twiml.messaging_response import MessagingResponse

    url = public_url(request.full_path.rstrip("?"))
    if not RequestValidator(config["TWILIO_AUTH_TOKEN"]).validate(
        url, request.form.to_dict(), request.headers.get("X-Twilio-Signature", "")
    ):
        abort(403)
    body = request.form.get("Body", "")
    keyword = sms.handle_reply(db.session, request.form.get("From", ""), body)
    db.session.commit()
    reply = MessagingResponse()
    spanish = body.strip().upper().startswith(("AYUDA", "ALTO", "PARAR"))
    with force_locale("es" if spanish else "en"):
        if keyword == "stop":
            reply.message(_("%(board)s: you will get no more texts from us.", board=config["BOARD_NAME"]))
        elif keyword == "help":
            reply.message(_("%(board)s hiring event reminders. Reply STOP to end texts. Help: %(url)s",
                            board=config["BOARD_NAME"], url=public_url("/")))
    return str(reply), 200, {"Content-Type": "application/xml"}
