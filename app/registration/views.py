import io
import json
import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2

from app.access import staff_required
from app.database import writes, writing_from_here
from app.extensions import db, limiter
from app.formatting import current_locale, local_datetime
from app.models import (
    BatchJob,
    Candidate,
    Language,
    Registration,
    RegistrationStatus,
    Role,
    badge_code_is,
    utcnow,
)
from app.registration.forms import DetailsForm, ImportConfirmForm, ImportUploadForm, registration_form
from app.services import (
    audit,
    badges,
    batch_jobs,
    checkin,
    events,
    partner_import,
    referrals,
    registration as registrations,
    reminders,
    retention,
)
from app.services.calendar import person_ics
from app.services.contact import display_phone, masked_email
from app.services.errors import DomainError
from app.services.registration_mail import cancel_and_notify, notice_for, send_notice
from app.services.surveys import question_field
from app.urls import badge_url, public_url
from app.web import flash_error, or_404, show_error, undo_refused_writes

bp = Blueprint("registration", __name__)


def _registration_for(token: str) -> Registration:
    return or_404(registrations.find_by_manage_token, db.session, token)


#: Where the "already registered" page finds what to say (kept in the signed session cookie, so
#: not even a masked address goes into a URL).
_ALREADY_KEY = "already_registered"


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
def register(slug: str):
    event = or_404(events.public_event, db.session, slug)
    if not registrations.registration_open(event, utcnow()):
        return render_template("registration/closed.html", event=event)

    survey = registrations.candidate_pre_survey(db.session, event)
    questions = list(survey.questions) if survey else []
    form = registration_form(questions, spanish=current_locale() == "es")
    form.position_ids.choices = [
        SelectChoice(position.id, position.title)
        for participation in event.participations
        for position in participation.positions
    ]
    form.referral_code.choices = [
        SelectChoice("", _("No")),
        *[SelectChoice(p.referral_code, p.organization.name) for p in event.partnerships],
    ]
    if request.method == "GET":
        form.language.data = current_locale()
        referral = registrations.partnership_for_code(db.session, event, request.args.get("ref", ""))
        form.referral_code.data = referral.referral_code if referral else ""
    _name_the_referrer(form, event)

    if form.is_submitted():
        details = registrations.RegistrationDetails(
            first_name=form.first_name.data or "",
            last_name=form.last_name.data or "",
            email=form.email.data or "",
            phone=form.phone.data or "",
            zip_code=form.zip_code.data or "",
            language=Language.ES if form.language.data == Language.ES.value else Language.EN,
            position_ids=form.position_ids.data or [],
            referral_code=form.referral_code.data or "",
            consent_share_offers=bool(form.consent_share_offers.data),
            accessibility_needs=form.accessibility_needs.data or "",
            consent_share_profile=bool(form.consent_share_profile.data),
            consent_email=bool(form.consent_email.data),
            consent_sms=bool(form.consent_sms.data),
            survey_answers={q.key: form[question_field(q)].data for q in questions},
        )
    if form.is_submitted() and not form.validate():
        # Everything at once: the service's checks too, so three mistakes need one submit, not three.
        for problem in registrations.registration_problems(db.session, event, details):
            show_error(form, problem)
    elif form.is_submitted():
        if form.website.data:
            form.website.errors = [_("Leave this field empty.")]
        else:
            with writing_from_here(db.session):
                try:
                    outcome = registrations.register(db.session, event, details, utcnow())
                except DomainError as error:
                    show_error(form, error)
                else:
                    # The confirmation is queued with the registration, in one transaction; the job
                    # worker sends it (the person does not wait for the mail server).
                    # A repeat registration past its resend limit gets no new link, so no e-mail.
                    sent = outcome.manage_token is not None and send_notice(
                        outcome.registration, notice_for(outcome), outcome.manage_token)
                    if outcome.created:
                        reminders.text_registered(db.session, outcome.registration, utcnow())
                    db.session.commit()
                    return _after_registering(outcome, sent)
    return render_template("registration/register.html", event=event, form=form, questions=questions)


def _name_the_referrer(form: FlaskForm, event) -> None:
    """The offer-sharing question names the organization chosen (or the referral link's)."""
    partnership = registrations.partnership_for_code(db.session, event, form.referral_code.data or "")
    if partnership is not None:
        form.consent_share_offers.label.text = _(
            "May we tell %(organization)s about job offers you receive: position, wage, start date?",
            organization=partnership.organization.name,
        )


def _after_registering(outcome: registrations.RegistrationOutcome, sent: bool):
    registration, token = outcome.registration, outcome.manage_token
    if not outcome.created:
        # Whoever typed the contact sees only where a link went, never the registration itself.
        email = registration.candidate.email
        session[_ALREADY_KEY] = {
            "sent_to": masked_email(email) if sent and email else None,
            "limited": outcome.resend_limited,
        }
        return redirect(url_for("registration.already_registered", slug=registration.event.slug))
    if outcome.waitlisted:
        flash(
            _("The event is full, so you are on the waitlist. We will e-mail you if a place opens."),
            "warning",
        )
        if sent:
            flash(_("We also e-mailed you this page's link."), "info")
    else:
        flash(_("You are registered! Show the QR code below at the door."), "success")
        if sent:
            flash(_("We also e-mailed you this page's link and your badge."), "info")
    return redirect(url_for("registration.manage", token=token))


@bp.get("/events/<slug>/register/already")
def already_registered(slug: str):
    event = or_404(events.public_event, db.session, slug)
    said = session.get(_ALREADY_KEY) or {}
    return render_template(
        "registration/already.html",
        event=event,
        sent_to=said.get("sent_to"),
        limited=said.get("limited", False),
    )


@bp.get("/r/<token>")
def manage(token: str):
    registration = _registration_for(token)
    candidate = registration.candidate
    form = DetailsForm(
        data={
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "phone": display_phone(candidate.phone),
            "zip_code": candidate.zip_code or "",
            "language": registration.language.value,
            "accessibility_needs": registration.accessibility_needs,
            "consent_email": registration.consent_email,
            "consent_sms": registration.consent_sms,
        }
    )
    return _manage_page(registration, token, form)


def _manage_page(registration: Registration, token: str, form: DetailsForm, status: int = 200):
    badge = badges.qr_svg(badge_url(registration.badge_code))
    return render_template(
        "registration/manage.html",
        registration=registration,
        event=registration.event,
        token=token,
        form=form,
        qr_svg=badge,
        waitlist_position=registrations.waitlist_position(db.session, registration),
        links=registrations.live_links(registration),
        this_link=registrations.find_manage_link(db.session, token),
        referrals=referrals.person_referrals(db.session, registration),
    ), status


@bp.post("/r/<token>/referrals/<int:referral_id>/offers")
@writes
def share_offers(token: str, referral_id: int):
    """The person gives or withdraws, for one referring organization, the consent to share offers."""
    registration = _registration_for(token)
    share = request.form.get("share") == "yes"
    try:
        referrals.set_offer_sharing(db.session, registration, referral_id, share, utcnow())
    except DomainError:
        undo_refused_writes()
        abort(404)
    db.session.commit()
    if share:
        flash(_("Saved: that organization will see the job offers you receive."), "success")
    else:
        flash(_("Saved: that organization will no longer see the details of your job offers."), "success")
    return redirect(url_for("registration.manage", token=token, _anchor="referrals"))


@bp.post("/r/<token>/details")
@writes
def update_details(token: str):
    registration = _registration_for(token)
    form = DetailsForm()
    if form.is_submitted() and not form.validate():
        typed = registrations.RegistrationDetails(
            first_name=form.first_name.data or "",
            last_name=form.last_name.data or "",
            email=registration.candidate.email or "",
            phone=form.phone.data or "",
            zip_code=form.zip_code.data or "",
        )
        for problem in registrations.contact_problems(typed):
            show_error(form, problem)
    elif form.is_submitted():
        update = registrations.DetailsUpdate(
            first_name=form.first_name.data or "",
            last_name=form.last_name.data or "",
            phone=form.phone.data or "",
            zip_code=form.zip_code.data or "",
            language=Language(form.language.data),
            accessibility_needs=form.accessibility_needs.data or "",
            consent_email=form.consent_email.data,
            consent_sms=form.consent_sms.data,
        )
        try:
            registrations.update_details(db.session, registration, update)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your details are saved."), "success")
            return redirect(url_for("registration.manage", token=token, lang=registration.language.value))
    return _manage_page(registration, token, form, status=422)


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    """Asks first (a page of its own, so it works without JavaScript): the button sits on the same
    page as everything else, and cancelling gives the place away and sends an e-mail."""
    registration = _registration_for(token)
    if registration.status == RegistrationStatus.CANCELLED:
        return redirect(url_for("registration.manage", token=token))
    if request.method == "GET" or request.form.get("confirmed") != "1":
        return render_template(
            "_layouts/confirm.html",
            heading=_("Cancel your registration?"),
            question=_(
                "You will lose your place at %(event)s and your interview bookings.",
                event=registration.event.name,
            ),
            note=_("You can register again while registration is open, but the event may be full by then."),
            action=url_for("registration.cancel", token=token),
            confirm_label=_("Yes, cancel my registration"),
            keep_url=url_for("registration.manage", token=token),
            keep_label=_("No, keep my place"),
        )
    if not FlaskForm().validate_on_submit():
        abort(400)
    with writing_from_here(db.session):
        cancel_and_notify(db.session, registration, utcnow())
        db.session.commit()
    flash(_("Your registration is cancelled. You can register again while registration is open."), "info")
    return redirect(url_for("events.event_page", slug=registration.event.slug))


@bp.post("/r/<token>/links/<int:link_id>/revoke")
@writes
def revoke_link(token: str, link_id: int):
    """The person stops one of their links working (a forwarded e-mail, a shared phone)."""
    registration = _registration_for(token)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        link = registrations.revoke_link(db.session, registration, link_id, utcnow())
    except DomainError:
        abort(404)
    db.session.commit()
    if registrations.find_manage_link(db.session, token) is None:  # they revoked the one in their hand
        flash(_("That link no longer opens your registration. Use another of your links."), "info")
        return redirect(url_for("events.event_page", slug=registration.event.slug))
    flash(_("The link made on %(date)s no longer opens your registration.",
            date=local_datetime(link.created_at, registration.event.timezone)), "success")
    return redirect(url_for("registration.manage", token=token))


@bp.route("/c/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
def cant_come(token: str):
    """The "I can't come" link of a reminder: a page with one button. Only the POST cancels, so a
    mail scanner that follows links cancels nobody."""
    registration = or_404(reminders.registration_for_cant_come, db.session, token)
    form = FlaskForm()
    done = registration.status == RegistrationStatus.CANCELLED
    if not done and form.validate_on_submit():
        with writing_from_here(db.session):
            cancel_and_notify(db.session, registration, utcnow())
            db.session.commit()
        return redirect(url_for("registration.cant_come", token=token, lang=registration.language.value))
    return render_template("registration/cant_come.html", registration=registration, event=registration.event,
                           form=form, done=done)


@bp.get("/r/<token>/badge.pdf")
def badge_pdf(token: str):
    registration = _registration_for(token)
    if registration.status != RegistrationStatus.REGISTERED:
        abort(404)  # a waitlisted person has no badge until they get a place
    pdf = badges.badge_pdf(registration, badge_url(registration.badge_code))
    return send_file(io.BytesIO(pdf), "application/pdf", as_attachment=True,
                     download_name=f"badge-{registration.event.slug}.pdf")


@bp.get("/r/<token>/event.ics")
def calendar_file(token: str):
    registration = _registration_for(token)
    event = registration.event
    body = person_ics(registration, public_url(url_for("registration.manage", token=token)), utcnow())
    return send_file(io.BytesIO(body), "text/calendar", as_attachment=True, download_name=f"{event.slug}.ics")


@bp.get("/b/<code>")
def badge_landing(code: str):
    """Where a badge's QR code leads. It says only which event the badge is for."""
    registration = db.session.scalar(select(Registration).where(badge_code_is(code[:64])))
    if registration is None:
        abort(404)
    # A volunteer or staff member who opens a badge (say, with the phone's camera app) may check the
    # person in from here; anyone else sees only which event the badge is for.
    at_the_door = current_user.is_authenticated and current_user.role in (Role.STAFF, Role.VOLUNTEER)
    return render_template(
        "registration/badge_landing.html",
        event=registration.event,
        registration=registration if at_the_door else None,
        checked_in_at=checkin.presence(db.session, registration.id).first_entry if at_the_door else None,
        scan_nonce=secrets.token_urlsafe(16),
    )


# --- Staff: importing a partner's candidates ------------------------------------------------------


@bp.route("/staff/events/<slug>/import", methods=["GET", "POST"])
@staff_required
def import_candidates(slug: str):
    event = events.event_by_slug(db.session, slug)
    upload = ImportUploadForm()
    upload.partnership_id.choices = [SelectChoice(p.id, p.organization.name) for p in event.partnerships]
    if not event.partnerships:
        flash("Add a referring partner to this event first; imported people are credited to one.", "warning")
    checked, confirm = None, None
    if upload.validate_on_submit():
        data = upload.file.data.read(partner_import.MAX_BYTES + 1)
        checked = partner_import.preview(data)
        confirm = ImportConfirmForm(
            formdata=None, partnership_id=upload.partnership_id.data, csv_text=partner_import.decode(data)
        )
    job = batch_jobs.latest(db.session, event, (partner_import.IMPORT,))
    return render_template(
        "registration/staff_import.html", event=event, upload=upload, checked=checked, confirm=confirm,
        **_import_job(slug, job),
    )


def _import_job(slug: str, job: BatchJob | None) -> dict:
    """What the progress fragment of an import needs."""
    if job is None:
        return {"job": None}
    return {"job": job, "label": batch_jobs.label(job), "summary": batch_jobs.summary(job),
            "poll_url": url_for("registration.import_job", slug=slug, job_id=job.id),
            "carry_on_url": url_for("registration.carry_on_import", slug=slug, job_id=job.id)}


@bp.post("/staff/events/<slug>/import/confirm")
@writes
@staff_required
def confirm_import(slug: str):
    event = events.event_by_slug(db.session, slug)
    form = ImportConfirmForm()
    partnership = next((p for p in event.partnerships if str(p.id) == form.partnership_id.data), None)
    if not form.validate_on_submit() or partnership is None:
        abort(400)
    partner_import.start_import(db.session, event, partnership, form.csv_text.data or "", utcnow(),
                                send_email=form.send_email.data, actor=current_user)
    db.session.commit()
    flash(
        f"Importing the file for {partnership.organization.name}; this page shows how far it has got.", "info"
    )
    return redirect(url_for("registration.import_candidates", slug=slug))


def _staff_import_job(slug: str, job_id: str) -> BatchJob:
    event = events.event_by_slug(db.session, slug)
    job = batch_jobs.find(db.session, event, job_id)
    if job is None or job.kind != partner_import.IMPORT:
        abort(404)
    return job


@bp.get("/staff/events/<slug>/import/jobs/<job_id>")
@staff_required
def import_job(slug: str, job_id: str):
    """How far an import has got (the import page polls it)."""
    return render_template("_layouts/_batch_job.html", **_import_job(slug, _staff_import_job(slug, job_id)))


@bp.post("/staff/events/<slug>/import/jobs/<job_id>/carry-on")
@writes
@staff_required
def carry_on_import(slug: str, job_id: str):
    job = _staff_import_job(slug, job_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        batch_jobs.carry_on(db.session, job)
    except DomainError as error:
        flash_error(error)
    else:
        db.session.commit()
    return redirect(url_for("registration.import_candidates", slug=slug))


# --- Staff: a person's request to see or remove their data ----------------------------------------


@bp.get("/staff/people/")
@staff_required
def people():
    query = request.args.get("q", "").strip()
    found = registrations.find_people(db.session, query) if len(query) >= 2 else []
    return render_template("registration/staff_people.html", query=query, found=found)


def _person(candidate_id: int) -> Candidate:
    return db.get_or_404(Candidate, candidate_id)


@bp.get("/staff/people/<int:candidate_id>")
@staff_required
def person(candidate_id: int):
    candidate = _person(candidate_id)
    return render_template(
        "registration/staff_person.html",
        candidate=candidate,
        data=retention.person_data(db.session, candidate),
        form=FlaskForm(),
        household=registrations.household(db.session, candidate),
        display_phone=display_phone,
    )


@bp.post("/staff/people/<int:candidate_id>/merge")
@writes
@staff_required
def merge_person(candidate_id: int):
    """Two records that are one person (the name typed two ways): the other one's registrations
    move to this one. Audited."""
    candidate = _person(candidate_id)
    other = db.session.get(Candidate, request.form.get("other_id", type=int) or 0)
    if not FlaskForm().validate_on_submit() or other is None:
        abort(400)
    if request.form.get("confirm") != "yes":
        flash("Tick “Same person” to confirm: a merge cannot be undone.", "error")
        return redirect(url_for("registration.person", candidate_id=candidate_id))
    try:
        registrations.merge_people(db.session, candidate, other, actor=current_user._get_current_object())
    except DomainError as error:
        flash_error(error)
    else:
        db.session.commit()
        flash("Merged: the registrations are now this person's.", "success")
    return redirect(url_for("registration.person", candidate_id=candidate_id))


@bp.get("/staff/people/<int:candidate_id>/export.json")
@staff_required
def person_export(candidate_id: int):
    candidate = _person(candidate_id)
    body = json.dumps(retention.person_data(db.session, candidate), indent=2, ensure_ascii=False)
    with writing_from_here(db.session):
        audit.record(
            db.session, "export.person", actor_user=current_user._get_current_object(), obj=candidate
        )
        db.session.commit()
    return send_file(io.BytesIO(body.encode()), "application/json", as_attachment=True,
                     download_name=f"person-{candidate.id}.json")


@bp.post("/staff/people/<int:candidate_id>/forget")
@writes
@staff_required
def forget_person(candidate_id: int):
    candidate = _person(candidate_id)
    if not FlaskForm().validate_on_submit() or request.form.get("confirm") != "yes":
        flash("Tick the box to confirm: removing a person's data cannot be undone.", "error")
        return redirect(url_for("registration.person", candidate_id=candidate_id))
    retention.forget_person(db.session, candidate, utcnow(), actor=current_user._get_current_object())
    db.session.commit()
    flash(
        "The person's name, contact details and what they wrote are removed; the event numbers stay.",
        "success",
    )
    return redirect(url_for("registration.person", candidate_id=candidate_id))
