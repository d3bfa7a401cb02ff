"""The door: scanning badges, finding people, registering walk-ins, live counts, offline support.

Volunteers and staff sign in; a scanner device without an account is let in by its device token
(pasted once on ``/door/device``, then kept in the session). Every scan goes through
``services.checkin.check_in()``, the same as the JSON API."""

import io
import secrets
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
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

from app.access import door_required, staff_required
from app.checkin.forms import BadgeSheetForm, DeviceForm, ScanForm, WalkInForm
from app.database import reads_before_writing, writes, writing_from_here
from app.extensions import db, login_manager
from app.models import (
    AccessToken,
    CheckInKind,
    Event,
    EventStatus,
    Language,
    Registration,
    RegistrationStatus,
    Role,
    TokenScope,
    utcnow,
)
from app.services import badge_sheets, badges, checkin, events, file_jobs
from app.services.badge_scan import BADGE_IN_URL
from app.services.errors import DomainError
from app.services.registration import RegistrationDetails
from app.services.registration_mail import Notice, send_notice
from app.services.tokens import find_usable_token
from app.urls import badge_url, public_url
from app.web import flash_error, json_error, or_404, show_error, undo_refused_writes, wants_json

#: Door pages live under /door/; the staff badge sheets under /staff/events/<slug>/ (DESIGN.md).
bp = Blueprint("checkin", __name__)

#: Session key holding the id of the device token a scanner device was opened with.
DEVICE_SESSION_KEY = "door_device_id"
_STATIC = Path(__file__).resolve().parent.parent.parent / "static"


@dataclass(frozen=True)
class _DoorRow:
    event: Event
    registered: int
    checked_in: int


def _session_device() -> AccessToken | None:
    token_id = session.get(DEVICE_SESSION_KEY)
    if token_id is None:
        return None
    token = db.session.get(AccessToken, token_id)
    if token is None or token.scope != TokenScope.DEVICE or not token.is_usable(utcnow()):
        session.pop(DEVICE_SESSION_KEY, None)
        return None
    return token


def scanner_required(view):
    """A signed-in volunteer or staff member, or a scanner device opened for this event. Sets
    ``g.event`` and ``g.scanner``, read before a scan's write begins (``reads_before_writing``).
    Anyone else goes to the sign-in page."""

    @wraps(view)
    def wrapped(slug: str, *args, **kwargs):
        with reads_before_writing(db.session):
            event = db.session.scalar(select(Event).where(Event.slug == slug))
            signed_in = current_user.is_authenticated and current_user.role in (Role.STAFF, Role.VOLUNTEER)
            device = None if signed_in else _session_device()
        if signed_in:
            scanner = checkin.Scanner.of_user(current_user._get_current_object())
        else:
            if device is None:
                return login_manager.unauthorized()
            if event is None or device.event_id != event.id:
                abort(404)
            scanner = checkin.Scanner.of_device(device)
        if event is None or event.status == EventStatus.DRAFT:
            abort(404)
        g.event, g.scanner = event, scanner
        return view(*args, **kwargs)

    return wrapped


def _new_nonce() -> str:
    return secrets.token_urlsafe(16)


@bp.get("/door/")
@door_required
def door():
    """Where a volunteer lands after signing in: the events open for check-in and their counts."""
    upcoming = events.upcoming_events(db.session, utcnow())
    registered = events.registered_counts(db.session, [e.id for e in upcoming])
    rows = [
        _DoorRow(e, registered.get(e.id, 0), checkin.checked_in_count(db.session, e.id)) for e in upcoming
    ]
    return render_template("checkin/door.html", rows=rows)


# --- The scanner page -----------------------------------------------------------------------------


def _scanner_page(form: ScanForm | None = None, result: checkin.ScanResult | None = None, status: int = 200):
    event = g.event
    form = form or ScanForm(formdata=None)
    form.nonce.data = _new_nonce()
    query = request.args.get("q", "")
    found = checkin.search(db.session, event, query) if query else []
    return render_template(
        "checkin/scanner.html",
        event=event,
        form=form,
        result=result,
        counts=checkin.live_counts(db.session, event, utcnow()),
        query=query,
        found=found,
        scanner=g.scanner,
        badge_in_url=BADGE_IN_URL,
    ), status


@bp.get("/door/events/<slug>/")
@scanner_required
def scanner():
    return _scanner_page()


@bp.post("/door/events/<slug>/scan")
@writes
@scanner_required
def scan():
    """One scan. The page's script sends it with ``Accept: application/json`` and shows the answer
    itself; without JavaScript the form posts here and the page comes back with the answer."""
    form = ScanForm()
    if not form.validate_on_submit():
        if wants_json():
            return jsonify(
                status="error", error="invalid_scan", message=_("Scan a badge or type its code.")
            ), 400
        return _scanner_page(form, status=422)
    now = utcnow()
    try:
        result = checkin.check_in(
            db.session, g.event.id,
            checkin.Scan(form.code.data, form.nonce.data, kind=CheckInKind(form.kind.data or "entry")),
            g.scanner, now,
        )
    except DomainError as error:
        undo_refused_writes()
        if wants_json():
            return json_error(error)
        form.code.errors = [str(error.message)]
        return _scanner_page(form, status=422)
    body = result.as_json()  # before committing, so it needs no second round of queries
    db.session.commit()
    if wants_json():
        if result.undoable:
            body["undo_url"] = url_for("checkin.undo", slug=g.event.slug, checkin_id=result.checkin.id)
        return jsonify(body), result.http_status
    return _scanner_page(result=result)


@bp.post("/door/events/<slug>/checkins/batch")
@writes
@scanner_required
def batch():
    """Scans queued while offline (JSON ``{"scans": [...]}``), answered one by one."""
    body = request.get_json(silent=True)
    scans = body.get("scans") if isinstance(body, dict) else None
    try:
        items = checkin.check_in_batch(db.session, g.event.id, scans, g.scanner, utcnow())
    except DomainError as error:
        undo_refused_writes()
        return json_error(error)
    results = [
        {**item.result.as_json(), "http_status": item.result.http_status} if item.result
        else {"status": "error", "nonce": item.nonce, "error": item.error.code, "http_status": 400}
        for item in items
    ]
    db.session.commit()
    return jsonify(status="ok", results=results)


@bp.post("/door/events/<slug>/checkins/<int:checkin_id>/undo")
@writes
@scanner_required
def undo(checkin_id: int):
    """Take back a mistaken scan (appends an undo to the log)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    nonce = request.form.get("nonce") or _new_nonce()
    try:
        checkin.undo(db.session, g.event, checkin_id, nonce, g.scanner, utcnow())
    except DomainError as error:
        undo_refused_writes()
        if wants_json():
            return json_error(error, 409)
        abort(409)
    db.session.commit()
    if wants_json():
        return jsonify(status="undone", checkin_id=checkin_id)
    flash(_("The scan is undone."), "info")
    return redirect(url_for("checkin.scanner", slug=g.event.slug))


@bp.get("/door/events/<slug>/counts")
@scanner_required
def counts():
    """The live counts, polled by the page every few seconds."""
    return render_template(
        "checkin/_counts.html", event=g.event, counts=checkin.live_counts(db.session, g.event, utcnow())
    )


@bp.get("/door/events/<slug>/search")
@scanner_required
def search():
    """People without their badge, by name, e-mail or the last 4 digits of their phone (htmx)."""
    query = request.args.get("q", "")
    return render_template(
        "checkin/_search_results.html", event=g.event, query=query,
        found=checkin.search(db.session, g.event, query), csrf_form=ScanForm(formdata=None),
    )


@bp.get("/door/events/<slug>/roster.json")
@scanner_required
def roster():
    """What a device needs to check badges while offline: hashes and first name + last initial
    (``checkin.roster``; ``hash_digits`` says how much of each code's hash it keeps)."""
    return jsonify(
        event=g.event.slug, generated_at=utcnow().isoformat(), hash_digits=checkin.ROSTER_HASH_DIGITS,
        people=checkin.roster(db.session, g.event),
    )


# --- Walk-ins ---------------------------------------------------------------------------------------


@bp.route("/door/events/<slug>/walk-in", methods=["GET", "POST"])
@scanner_required
def walk_in():
    form = WalkInForm()
    form.referral_code.choices = [
        SelectChoice("", "No one"),
        *[SelectChoice(p.referral_code, p.organization.name) for p in g.event.partnerships],
    ]
    if request.method == "GET":
        form.nonce.data = _new_nonce()
    if form.validate_on_submit():
        details = RegistrationDetails(
            first_name=form.first_name.data, last_name=form.last_name.data,
            email=form.email.data or "", phone=form.phone.data or "", zip_code=form.zip_code.data,
            language=Language(form.language.data), referral_code=form.referral_code.data or "",
            employment_status=form.employment_status.data or "",
            consent_share_profile=form.consent_share_profile.data, consent_email=form.consent_email.data,
        )
        with writing_from_here(db.session):
            try:
                outcome = checkin.walk_in(db.session, g.event, details, form.nonce.data, g.scanner, utcnow())
            except DomainError as error:
                show_error(form, error)
            else:
                # Their confirmation, in their language, with the link to their own page and badge:
                # queued with the registration, sent by the worker once it commits.
                emailed = outcome.manage_token is not None and send_notice(
                    outcome.registration, Notice.REGISTERED, outcome.manage_token
                )
                db.session.commit()
                return render_template(
                    "checkin/walk_in_done.html", event=g.event, outcome=outcome, result=outcome.scan,
                    emailed=emailed,
                )
    return render_template("checkin/walk_in.html", event=g.event, form=form), 422 if form.errors else 200


@bp.post("/door/events/<slug>/registrations/<int:registration_id>/admit")
@writes
@scanner_required
def admit(registration_id: int):
    """A signed-in staff member or volunteer gives a waitlisted person a place and checks them in
    (a scanner device without an account cannot: the audit trail names who admitted them)."""
    if g.scanner.user_id is None:
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        result = checkin.admit(
            db.session, g.event, registration_id, request.form.get("nonce") or _new_nonce(), g.scanner,
            current_user._get_current_object(), utcnow(),
        )
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("checkin.scanner", slug=g.event.slug))
    db.session.commit()
    return _scanner_page(result=result)


@bp.get("/door/events/<slug>/badges/<int:registration_id>.pdf")
@scanner_required
def badge(registration_id: int):
    """One 4×3 in badge, for the printer at the door (a walk-in, or someone who lost theirs)."""
    registration = db.session.scalar(
        select(Registration).where(Registration.id == registration_id, Registration.event_id == g.event.id)
    )
    if registration is None:
        abort(404)
    if registration.status != RegistrationStatus.REGISTERED:
        abort(409)  # no place (waitlisted, or cancelled): no badge until staff admit them
    pdf = badges.badge_pdf(registration, badge_url(registration.badge_code))
    return send_file(io.BytesIO(pdf), "application/pdf", download_name=f"badge-{registration.id}.pdf")


# --- Scanner devices without an account -------------------------------------------------------------


@bp.route("/door/device", methods=["GET", "POST"])
def device():
    """Open this phone or tablet as a scanner with a device token from staff. The token can come in
    the link's fragment (``/door/device#<token>``), which browsers never send to a server or log."""
    form = DeviceForm()
    if form.validate_on_submit():
        token = find_usable_token(db.session, form.token.data.strip(), TokenScope.DEVICE, utcnow())
        if token is None or token.event is None:
            form.token.errors = [_("That scanner token is not valid. Ask staff for a new one.")]
        else:
            session[DEVICE_SESSION_KEY] = token.id
            return redirect(url_for("checkin.scanner", slug=token.event.slug))
    return render_template("checkin/device.html", form=form), 422 if form.errors else 200


@bp.post("/door/device/forget")
def forget_device():
    """Sign a scanner device out (its page has already uploaded and cleared what it kept)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session.pop(DEVICE_SESSION_KEY, None)
    flash(_("This device is no longer a scanner."), "info")
    return redirect(url_for("checkin.device"))


# --- Installable, offline-capable page ------------------------------------------------------------


@bp.get("/door/sw.js")
def service_worker():
    """The service worker, served from /door/ so it may control the scanner pages."""
    response = send_file(_STATIC / "js" / "door-sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/door/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/door/events/<slug>/manifest.webmanifest")
@scanner_required
def manifest():
    event = g.event
    body = {
        "name": f"HireDay door · {event.name}",
        "short_name": "HireDay door",
        "start_url": url_for("checkin.scanner", slug=event.slug),
        "scope": "/door/",
        "display": "standalone",
        "background_color": "#f3f6f9",
        "theme_color": "#12355b",
        "icons": [
            {"src": url_for("static", filename="img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}
        ],
    }
    response = jsonify(body)
    response.headers["Content-Type"] = "application/manifest+json"
    return response


# --- Staff: badge sheets for a whole event ----------------------------------------------------------


@bp.route("/staff/events/<slug>/badges", methods=["GET", "POST"])
@staff_required
def badge_sheets_page(slug: str):
    """Start a badge sheet (made by the job worker: a big event takes a few seconds) and follow it."""
    event = events.event_by_slug(db.session, slug)
    form = BadgeSheetForm()
    holding = len(badge_sheets.badges_for(db.session, event, lambda code: code))
    if form.validate_on_submit():
        start_at = int(form.start_at.data)
        try:
            badge_sheets.check_sheet(holding, start_at)
        except DomainError as error:
            flash_error(error)
        else:
            # The QR codes hold this address, as the request that asked for them sees it.
            with writing_from_here(db.session):
                started = file_jobs.start(
                    db.session, event, file_jobs.BADGE_SHEET, f"badges-{slug}.pdf", utcnow(),
                    total=holding, options={"start_at": start_at, "base_url": public_url("")},
                )
                db.session.commit()
            file_jobs.enqueue(started.id)
            return redirect(url_for("checkin.badge_sheets_page", slug=slug, job=started.id))
    job_id = request.args.get("job", "")
    job = file_jobs.find(db.session, event, job_id, utcnow()) if job_id else None
    latest = file_jobs.latest_finished(db.session, event, file_jobs.BADGE_SHEET)
    return render_template(
        "checkin/staff_badges.html", event=event, form=form, job=job, latest=latest, holding=holding,
    )


@bp.get("/staff/events/<slug>/badges/jobs/<job_id>")
@staff_required
def badge_sheet_progress(slug: str, job_id: str):
    """The progress of a sheet, polled every second by the page (htmx)."""
    event = events.event_by_slug(db.session, slug)
    job = or_404(file_jobs.find, db.session, event, job_id, utcnow())
    return render_template("checkin/_badge_job.html", event=event, job=job)


@bp.get("/staff/events/<slug>/badges/jobs/<job_id>.pdf")
@staff_required
def badge_sheet_file(slug: str, job_id: str):
    event = events.event_by_slug(db.session, slug)
    job = or_404(file_jobs.finished, db.session, event, job_id, utcnow())
    return send_file(io.BytesIO(job.content or b""), mimetype="application/pdf", as_attachment=True,
                     download_name=job.filename, max_age=0)


@bp.get("/staff/events/<slug>/badges.pdf")
@staff_required
def badge_sheet_latest(slug: str):
    """The event's latest badge sheet; with none made yet, the page that makes one."""
    event = events.event_by_slug(db.session, slug)
    job = file_jobs.latest_finished(db.session, event, file_jobs.BADGE_SHEET)
    if job is None:
        flash("No badge sheet has been made for this event yet: make one here.", "info")
        return redirect(url_for("checkin.badge_sheets_page", slug=slug))
    return badge_sheet_file(slug, job.id)
