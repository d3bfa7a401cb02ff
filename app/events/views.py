"""Event pages: the public list and event page, and the staff pages that set events up (events,
employers and their job orders, referring partners, links, the directory, accounts).

Each staff POST validates its form, calls a service, commits, and redirects; a ``DomainError``
goes back onto the field it names, with everything the person typed still in the form."""

from dataclasses import asdict, fields

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectChoice

from app.access import staff_required
from app.events.forms import (
    SECTOR_SHORT_LABELS,
    TIMEZONE_CHOICES,
    AccountForm,
    AddEmployerForm,
    AddPartnerForm,
    BoothForm,
    ButtonForm,
    CopyEventForm,
    DeviceTokenForm,
    EventForm,
    OrganizationForm,
    PartnerForm,
    PositionForm,
    StatusForm,
)
from app.events.forms import choices as choices_of
from app.extensions import db
from app.models import Event, EventStatus, OrganizationKind, Role, User, utcnow
from app.services import audit, booth_mail, event_notices, event_readiness, event_setup, events, job_orders
from app.services import links, organizations, participations, partnerships, survey_distribution, users
from app.services import registration as registrations
from app.services.contact import display_phone
from app.services.errors import DomainError
from app.services.event_templates import TEMPLATES, template_for
from app.services.organizations import PARTNER_KINDS, OrganizationDetails
from app.services.registration_mail import send_promotions
from app.services.users import create_user
from app.urls import public_url

bp = Blueprint("events", __name__)


@bp.get("/")
def home():
    now = utcnow()
    return render_template(
        "events/home.html", events=events.upcoming_events(db.session, now), past=events.past_events(db.session, now)
    )


@bp.get("/events/<slug>/")
def event_page(slug: str):
    try:
        event = events.public_event(db.session, slug)
    except DomainError:
        abort(404)
    return render_template("events/event.html", event=event, over=event.has_ended(utcnow()))


@bp.get("/staff/")
@staff_required
def staff_events():
    return render_template(
        "events/staff_list.html", summaries=events.staff_overview(db.session),
        archived=events.archived_events(db.session),
    )


# --- Helpers --------------------------------------------------------------------------------------


def _actor() -> User:
    return current_user._get_current_object()


def _base_url() -> str:
    return public_url("")


def _show_error(form: FlaskForm, error: DomainError, renames: dict[str, str] | None = None) -> None:
    """Put a service's message on the field it names (``renames`` maps service field names to this
    form's), or flash it when it belongs to no field of the form."""
    name = (renames or {}).get(error.field, error.field) if error.field else None
    field = form[name] if name and name in form else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        flash(str(error.message), "error")


def _flash_warnings(warnings: list[str]) -> None:
    """Things staff should know about what they just saved, which is saved all the same."""
    for warning in warnings:
        flash(warning, "warning")


def _event_or_404(slug: str) -> Event:
    try:
        return events.staff_event(db.session, slug)
    except DomainError:
        abort(404)


def _find(items, item_id: int):
    """The item of ``items`` with this id (an event's employers, partners, …), else 404: an id from
    another event is no different from no id."""
    for item in items:
        if item.id == item_id:
            return item
    abort(404)


def _positions(event: Event):
    return [position for participation in event.participations for position in participation.positions]


def _event_page(event: Event, anchor: str | None = None):
    return redirect(url_for("events.staff_event", slug=event.slug, _anchor=anchor))


def _timezone_choices(form: EventForm, current: str | None = None) -> None:
    choices = list(TIMEZONE_CHOICES)
    known = {value for value, _label in choices}
    for zone in (current, current_app.config["DEFAULT_TIMEZONE"]):
        if zone and zone not in known:
            choices.insert(0, (zone, zone))
            known.add(zone)
    form.timezone.choices = choices_of(choices)


def _event_details(form: EventForm) -> event_setup.EventDetails:
    return event_setup.EventDetails(**{f.name: form[f.name].data for f in fields(event_setup.EventDetails)} | {
        "slug": form.slug.data or "",
        "description": form.description.data or "",
        "description_es": form.description_es.data or "",
        "sectors": tuple(form.sectors.data or ()),
    })


# --- Events ---------------------------------------------------------------------------------------


@bp.route("/staff/events/new", methods=["GET", "POST"])
@staff_required
def new_event():
    """Without ``?template=``: pick a template or an event to copy. With it: the pre-filled form."""
    if "template" not in request.args:
        return render_template(
            "events/staff/new_event.html", templates=TEMPLATES.values(),
            past_events=events.copyable_events(db.session),
        )
    template = template_for(request.args["template"])
    if request.method == "GET":
        form = EventForm(data={
            "name": template.name, "sectors": [s.value for s in template.sectors],
            "description": template.description, "description_es": template.description_es, "start": template.start, "end": template.end,
            "capacity": template.capacity, "max_bookings_per_candidate": template.max_bookings_per_candidate,
            "timezone": current_app.config["DEFAULT_TIMEZONE"],
        })
    else:
        form = EventForm()
    _timezone_choices(form)
    form.name.render_kw = {
        "hx-get": url_for("events.slug_suggestion"), "hx-trigger": "input changed delay:300ms",
        "hx-target": "#slug-hint", "hx-swap": "innerHTML",
    }
    if form.validate_on_submit():
        try:
            event = event_setup.create_event(db.session, _event_details(form), template.kind, actor=_actor())
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(f"{event.name} is saved as a draft. Add employers and partners, then publish it.", "success")
            _flash_warnings(event_readiness.event_warnings(db.session, event, utcnow()))
            return _event_page(event)
    suggestion = event_setup.suggest_slug(db.session, form.name.data) if form.name.data else None
    return render_template("events/staff/event_form.html", form=form, template=template, event=None,
                           suggestion=suggestion)


@bp.get("/staff/events/slug-suggestion")
@staff_required
def slug_suggestion():
    """The slug hint, refreshed by htmx as the name is typed."""
    name = request.args.get("name", "")
    suggestion = event_setup.suggest_slug(db.session, name) if name.strip() else None
    return render_template("events/staff/_slug_hint.html", suggestion=suggestion)


@bp.get("/staff/events/<slug>/")
@staff_required
def staff_event(slug: str):
    event = _event_or_404(slug)
    base_url = _base_url()
    return render_template(
        "events/staff/event.html",
        event=event,
        booths=sorted(event.participations, key=participations.table_order),
        partners=[(p, partnerships.referral_link(base_url, event, p)) for p in event.partnerships],
        counts=events.event_counts(db.session, event),
        transitions=events.STATUS_TRANSITIONS[event.status],
        links=links.event_links(db.session, event),
        checklist=event_readiness.publish_checklist(db.session, event, utcnow()) if event.status == EventStatus.DRAFT else [],
        now=utcnow(),
        editable=event.status != EventStatus.ARCHIVED,
    )


@bp.route("/staff/events/<slug>/edit", methods=["GET", "POST"])
@staff_required
def edit_event(slug: str):
    event = _event_or_404(slug)
    if request.method == "GET":
        form = EventForm(data=asdict(event_setup.event_details_of(event)))
    else:
        form = EventForm()
    _timezone_choices(form, event.timezone)
    if form.validate_on_submit():
        sequence = event.ics_sequence
        try:
            event_setup.update_event(db.session, event, _event_details(form), actor=_actor())
        except DomainError as error:
            _show_error(form, error)
        else:
            promoted = registrations.capacity_changed(db.session, event, utcnow())
            send_promotions(db.session, promoted, utcnow())
            db.session.commit()
            flash(f"{event.name} is saved.", "success")
            _flash_warnings(event_readiness.event_warnings(db.session, event, utcnow()))
            if promoted:
                flash(f"{len(promoted):,} {'person' if len(promoted) == 1 else 'people'} from the waitlist got a "
                      "place and were e-mailed their badge.", "success")
            if event.ics_sequence > sequence:
                _send_change_notices(event)
            return _event_page(event)
    return render_template("events/staff/event_form.html", form=form, template=template_for(event.kind),
                           event=event, suggestion=None)


def _send_change_notices(event: Event) -> None:
    """Everyone registered or waitlisted is e-mailed the new day, time or place, by the job worker
    (2,500 e-mails take longer than a page may)."""
    if event_notices.start_notifying(event.id):
        flash("Everyone registered or on the waitlist is being e-mailed the change, with an updated "
              "calendar entry.", "info")
    else:
        flash("The change is saved, but the e-mails about it could not be started: the job queue is "
              "unreachable. Ask your administrator to check the job worker.", "warning")


_STATUS_VERBS = {
    EventStatus.PUBLISHED: "published",
    EventStatus.CLOSED: "closed",
    EventStatus.ARCHIVED: "archived",
}


@bp.post("/staff/events/<slug>/status")
@staff_required
def change_status(slug: str):
    event = _event_or_404(slug)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        events.change_status(db.session, event, form.status.data, actor=_actor())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(f"{event.name} is now {_STATUS_VERBS.get(event.status, event.status.value)}.", "success")
        if event.status == EventStatus.CLOSED:
            # The event is over: e-mail attendees their post-event survey link.
            flash(_invite_to_post_survey(event), "info")
    return _event_page(event)


def _invite_to_post_survey(event: Event) -> str:
    """E-mail each attendee not invited yet their personal post-event survey link (queued with the
    links; the job worker sends them)."""
    try:
        result = survey_distribution.prepare_invitations(db.session, event, utcnow(), actor=_actor())
    except DomainError as error:
        db.session.rollback()
        return f"Post-event survey not sent: {error.message}"
    survey_distribution.send_letters(db.session, result.letters)  # queued; the worker sends them
    db.session.commit()
    return result.invitation_summary()


@bp.route("/staff/events/<slug>/copy", methods=["GET", "POST"])
@staff_required
def copy_event(slug: str):
    source = _event_or_404(slug)
    form = CopyEventForm(data={"name": source.name}) if request.method == "GET" else CopyEventForm()
    if form.validate_on_submit():
        try:
            event = event_setup.copy_event(
                db.session, source, name=form.name.data, slug=form.slug.data or "", day=form.day.data,
                actor=_actor(),
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(f"{event.name} is a draft copy of {source.name}. Check the details, then publish it.", "success")
            return _event_page(event)
    return render_template("events/staff/copy_event.html", form=form, source=source)


# --- Employers at an event ------------------------------------------------------------------------


def _booth_settings(form: BoothForm) -> participations.BoothSettings:
    return participations.BoothSettings(
        table_number=form.table_number.data,
        interview_minutes=form.interview_minutes.data,
        interview_start=form.interview_start.data,
        interview_end=form.interview_end.data,
        interviewers=form.interviewers.data,
    )


@bp.route("/staff/events/<slug>/employers/add", methods=["GET", "POST"])
@staff_required
def add_employer(slug: str):
    event = _event_or_404(slug)
    present = {p.organization_id for p in event.participations}
    form = AddEmployerForm()
    form.organization.choices = [SelectChoice(0, "A new employer (type its name below)", render_kw={"data-keep": ""})] + [
        SelectChoice(o.id, o.name)
        for o in organizations.search_organizations(db.session, (OrganizationKind.EMPLOYER,), limit=5000)
        if o.id not in present
    ]
    if request.method == "GET" and request.args.get("organization", "").isdigit():
        form.organization.data = int(request.args["organization"])
    if form.validate_on_submit():
        try:
            with db.session.begin_nested():  # a new employer is only kept if it joins the event
                if form.organization.data == 0:
                    organization = organizations.create_organization(
                        db.session, OrganizationKind.EMPLOYER,
                        OrganizationDetails(name=form.new_name.data, sector=form.new_sector.data or None),
                        actor=_actor(),
                    )
                else:
                    organization = organizations.get_organization(
                        db.session, form.organization.data, (OrganizationKind.EMPLOYER,)
                    )
                participation = participations.add_employer(
                    db.session, event, organization, _booth_settings(form), actor=_actor()
                )
        except DomainError as error:
            _show_error(form, error, {"name": "new_name", "sector": "new_sector"})
        else:
            db.session.commit()
            flash(f"{organization.name} is at the event. Add its job orders below.", "success")
            return _event_page(event, f"employer-{participation.id}")
    return render_template("events/staff/booth_form.html", form=form, event=event, participation=None)


@bp.route("/staff/events/<slug>/employers/<int:participation_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_employer(slug: str, participation_id: int):
    event = _event_or_404(slug)
    participation = _find(event.participations, participation_id)
    if request.method == "GET":
        form = BoothForm(data=asdict(participations.booth_settings_of(participation)))
    else:
        form = BoothForm()
    if form.validate_on_submit():
        try:
            participations.update_participation(db.session, participation, _booth_settings(form), actor=_actor())
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(f"{participation.organization.name}'s table and interviews are saved.", "success")
            return _event_page(event, f"employer-{participation.id}")
    return render_template("events/staff/booth_form.html", form=form, event=event, participation=participation)


@bp.route("/staff/events/<slug>/employers/<int:participation_id>/remove", methods=["GET", "POST"])
@staff_required
def remove_employer(slug: str, participation_id: int):
    event = _event_or_404(slug)
    participation = _find(event.participations, participation_id)
    form = ButtonForm()
    if form.validate_on_submit():
        name = participation.organization.name
        try:
            participations.remove_participation(db.session, participation, actor=_actor())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(f"{name} is no longer at {event.name}.", "success")
            return _event_page(event, "employers")
    refusal = participations.participation_removal_refusal(db.session, participation)
    return render_template(
        "events/staff/confirm_remove.html", form=form, event=event,
        title=f"Remove {participation.organization.name} from {event.name}?",
        consequences=[f"Its {len(participation.positions)} job order(s) at this event are deleted too.",
                      "It stays in the employer directory."],
        refusal=str(refusal.message) if refusal else None,
    )


# --- Job orders -----------------------------------------------------------------------------------


def _position_details(form: PositionForm) -> job_orders.PositionDetails:
    return job_orders.PositionDetails(
        title=form.title.data,
        openings=form.openings.data,
        wage_min_cents=job_orders.dollars_to_cents(form.wage_min.data),
        wage_max_cents=job_orders.dollars_to_cents(form.wage_max.data),
        wage_unit=form.wage_unit.data or None,
        employment_type=form.employment_type.data,
        sector=form.sector.data or None,
        requirements=form.requirements.data or "",
        title_es=form.title_es.data or "",


        wage_confirmed=bool(form.wage_confirmed.data),
    )


@bp.route("/staff/events/<slug>/employers/<int:participation_id>/positions/new", methods=["GET", "POST"])
@staff_required
def add_position(slug: str, participation_id: int):
    event = _event_or_404(slug)
    participation = _find(event.participations, participation_id)
    if request.method == "GET":
        sector = participation.organization.sector
        form = PositionForm(data={"sector": sector.value if sector else ""})
    else:
        form = PositionForm()
    ask_wage = False
    if form.validate_on_submit():
        try:
            position = job_orders.add_position(db.session, participation, _position_details(form), actor=_actor())
        except DomainError as error:
            _show_error(form, error)
            ask_wage = error.code == "wage_unusual"
        else:
            db.session.commit()
            flash(f"{position.title} at {participation.organization.name} is added.", "success")
            _flash_warnings(job_orders.position_warnings(position))
            return _event_page(event, f"employer-{participation.id}")
    return render_template("events/staff/position_form.html", form=form, event=event,
                           participation=participation, position=None, ask_wage=ask_wage)


@bp.route("/staff/events/<slug>/positions/<int:position_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_position(slug: str, position_id: int):
    event = _event_or_404(slug)
    position = _find(_positions(event), position_id)
    if request.method == "GET":
        form = PositionForm(data={
            "title": position.title, "title_es": position.title_es, "openings": position.openings,
            "wage_min": None if position.wage_min_cents is None else position.wage_min_cents / 100,
            "wage_max": None if position.wage_max_cents is None else position.wage_max_cents / 100,
            "wage_unit": position.wage_unit.value if position.wage_unit else "",
            "employment_type": position.employment_type.value,
            "sector": position.sector.value if position.sector else "",
            "requirements": position.requirements,
        })
    else:
        form = PositionForm()
    ask_wage = False
    if form.validate_on_submit():
        try:
            job_orders.update_position(db.session, position, _position_details(form), actor=_actor())
        except DomainError as error:
            _show_error(form, error)
            ask_wage = error.code == "wage_unusual"
        else:
            db.session.commit()
            flash(f"{position.title} is saved.", "success")
            _flash_warnings(job_orders.position_warnings(position))
            return _event_page(event, f"employer-{position.participation_id}")
    return render_template("events/staff/position_form.html", form=form, event=event,
                           participation=position.participation, position=position, ask_wage=ask_wage)


@bp.route("/staff/events/<slug>/positions/<int:position_id>/remove", methods=["GET", "POST"])
@staff_required
def remove_position(slug: str, position_id: int):
    event = _event_or_404(slug)
    position = _find(_positions(event), position_id)
    form = ButtonForm()
    if form.validate_on_submit():
        title, participation_id = position.title, position.participation_id
        try:
            job_orders.remove_position(db.session, position, actor=_actor())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(f"{title} is removed.", "success")
            return _event_page(event, f"employer-{participation_id}")
    return render_template(
        "events/staff/confirm_remove.html", form=form, event=event,
        title=f"Remove {position.title} ({position.participation.organization.name})?",
        consequences=["Career seekers who marked it as an interest no longer see it."],
    )


# --- Referring partners ---------------------------------------------------------------------------


@bp.route("/staff/events/<slug>/partners/add", methods=["GET", "POST"])
@staff_required
def add_partner(slug: str):
    event = _event_or_404(slug)
    present = {p.organization_id for p in event.partnerships}
    form = AddPartnerForm()
    form.organization.choices = choices_of([(0, "A new partner (type its name below)")] + [
        (o.id, o.name)
        for o in organizations.search_organizations(db.session, PARTNER_KINDS, limit=5000)
        if o.id not in present
    ])
    if form.validate_on_submit():
        try:
            with db.session.begin_nested():  # a new partner is only kept if it joins the event
                if form.organization.data == 0:
                    organization = organizations.create_organization(
                        db.session, form.new_kind.data, OrganizationDetails(name=form.new_name.data), actor=_actor()
                    )
                else:
                    organization = organizations.get_organization(db.session, form.organization.data, PARTNER_KINDS)
                partnership = partnerships.add_partner(db.session, event, organization, actor=_actor())
        except DomainError as error:
            _show_error(form, error, {"name": "new_name", "kind": "new_kind"})
        else:
            db.session.commit()
            flash(f"{organization.name} is a referring partner, with referral code {partnership.referral_code}.",
                  "success")
            return _event_page(event, "partners")
    return render_template("events/staff/partner_form.html", form=form, event=event)


@bp.route("/staff/events/<slug>/partners/<int:partnership_id>/remove", methods=["GET", "POST"])
@staff_required
def remove_partner(slug: str, partnership_id: int):
    event = _event_or_404(slug)
    partnership = _find(event.partnerships, partnership_id)
    form = ButtonForm()
    if form.validate_on_submit():
        name = partnership.organization.name
        try:
            partnerships.remove_partnership(db.session, partnership, now=utcnow(), actor=_actor())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(f"{name} is no longer a partner of {event.name}.", "success")
            return _event_page(event, "partners")
    return render_template(
        "events/staff/confirm_remove.html", form=form, event=event,
        title=f"Remove {partnership.organization.name} as a partner of {event.name}?",
        consequences=[f"Its referral code {partnership.referral_code} stops crediting it, and its partner "
                      "links for this event stop working.", "It stays in the partner directory."],
    )


# --- Links: shown once, right after they are issued -----------------------------------------------


def _issued(event: Event, token, url: str | None, secret: str | None = None):
    """The page that shows a new secret link once. It answers the POST directly (no redirect), so
    the secret never sits in a cookie or a URL; the page is ``no-store`` like every page."""
    return render_template("events/staff/link_issued.html", event=event, token=token, url=url, secret=secret)


@bp.post("/staff/events/<slug>/partners/<int:partnership_id>/link")
@staff_required
def issue_partner_link(slug: str, partnership_id: int):
    event = _event_or_404(slug)
    partnership = _find(event.partnerships, partnership_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    token, secret = links.issue_partner_link(db.session, partnership, actor=_actor())
    db.session.commit()
    return _issued(event, token, f"{_base_url()}/partner/{secret}")


@bp.post("/staff/events/<slug>/employers/<int:participation_id>/booth-link")
@staff_required
def issue_booth_link(slug: str, participation_id: int):
    event = _event_or_404(slug)
    participation = _find(event.participations, participation_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        token, secret = links.issue_booth_link(
            db.session, participation, valid_days=current_app.config["BOOTH_LINK_DAYS"], now=utcnow(),
            actor=_actor(),
        )
    except DomainError as error:
        flash(str(error.message), "error")
        return _event_page(event)  # no anchor: the message is at the top
    db.session.commit()
    return _issued(event, token, f"{_base_url()}/booth/{secret}")


@bp.post("/staff/events/<slug>/booth-links")
@staff_required
def issue_booth_links(slug: str):
    """A booth link for every employer at once, each e-mailed to the employer's contact when
    asked, shown once with a copy button for the rest."""
    event = _event_or_404(slug)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        issued = links.issue_booth_links(
            db.session, event, valid_days=current_app.config["BOOTH_LINK_DAYS"], now=utcnow(), actor=_actor(),
        )
    except DomainError as error:
        flash(str(error.message), "error")
        return _event_page(event)
    send = request.form.get("email") == "1"
    rows = []
    for participation, token, secret in issued:
        url = f"{_base_url()}/booth/{secret}"
        emailed = send and booth_mail.send_booth_link(participation, url, token.expires_at)
        rows.append((participation, url, emailed))
    db.session.commit()  # the links and their e-mails together; the job worker sends the e-mails
    return render_template("events/staff/booth_links_issued.html", event=event, rows=rows, emailed=send)


@bp.post("/staff/events/<slug>/devices")
@staff_required
def issue_device_token(slug: str):
    event = _event_or_404(slug)
    form = DeviceTokenForm()
    if form.validate_on_submit():
        try:
            token, secret = links.issue_device_token(db.session, event, form.name.data, now=utcnow(), actor=_actor())
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            return _issued(event, token, None, secret)
    for message in form.name.errors:
        flash(message, "error")
    return _event_page(event)  # no anchor: the message is at the top


@bp.post("/staff/events/<slug>/links/<int:token_id>/revoke")
@staff_required
def revoke_link(slug: str, token_id: int):
    event = _event_or_404(slug)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        token = links.revoke_link(db.session, event, token_id, utcnow(), actor=_actor())
    except DomainError:
        abort(404)
    db.session.commit()
    flash(f"The {token.scope.value} link “{token.name}” no longer works.", "success")
    return _event_page(event, "links")


# --- The directory: employers and referring partners ----------------------------------------------


_DIRECTORIES = {
    "employers": {
        "kinds": (OrganizationKind.EMPLOYER,), "form": OrganizationForm,
        "title": "Employers", "singular": "employer",
    },
    "partners": {
        "kinds": PARTNER_KINDS, "form": PartnerForm,
        "title": "Referring partners", "singular": "partner",
    },
}


def _directory(name: str) -> dict:
    return _DIRECTORIES[name] | {"name": name}


def _organization_details(form: OrganizationForm) -> OrganizationDetails:
    return OrganizationDetails(
        name=form.name.data,
        sector=(form.sector.data or None) if "sector" in form else None,
        website=form.website.data,
        contact_name=form.contact_name.data,
        contact_email=form.contact_email.data,
        contact_phone=form.contact_phone.data,
    )


def _list_organizations(directory: dict):
    query = request.args.get("q", "").strip()
    found = organizations.search_organizations(db.session, directory["kinds"], query)
    context = {"directory": directory, "organizations": found, "q": query, "sector_labels": SECTOR_SHORT_LABELS,
               "display_phone": display_phone}
    if request.headers.get("HX-Request"):
        response = make_response(render_template("events/staff/_organization_rows.html", **context))
    else:
        response = make_response(render_template("events/staff/organizations.html", **context))
    response.vary.add("HX-Request")
    return response


def _new_organization(directory: dict):
    form = directory["form"]()
    if form.validate_on_submit():
        kind = form.kind.data if "kind" in form else OrganizationKind.EMPLOYER
        try:
            organization = organizations.create_organization(
                db.session, kind, _organization_details(form), actor=_actor()
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(f"{organization.name} is in the directory.", "success")
            return redirect(url_for(f"events.{directory['name']}", q=organization.name))
    return render_template("events/staff/organization_form.html", form=form, directory=directory, organization=None)


def _edit_organization(directory: dict, organization_id: int):
    try:
        organization = organizations.get_organization(db.session, organization_id, directory["kinds"])
    except DomainError:
        abort(404)
    if request.method == "GET":
        data = {
            "name": organization.name, "website": organization.website, "contact_name": organization.contact_name,
            "contact_email": organization.contact_email, "contact_phone": organization.contact_phone,
            "sector": organization.sector.value if organization.sector else "", "kind": organization.kind.value,
        }
        form = directory["form"](data=data)
    else:
        form = directory["form"]()
    if form.validate_on_submit():
        try:
            organizations.update_organization(
                db.session, organization, _organization_details(form),
                kind=form.kind.data if "kind" in form else None, actor=_actor(),
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(f"{organization.name} is saved.", "success")
            return redirect(url_for(f"events.{directory['name']}", q=organization.name))
    return render_template("events/staff/organization_form.html", form=form, directory=directory,
                           organization=organization)


@bp.get("/staff/employers/")
@staff_required
def employers():
    return _list_organizations(_directory("employers"))


@bp.route("/staff/employers/new", methods=["GET", "POST"])
@staff_required
def new_employer():
    return _new_organization(_directory("employers"))


@bp.route("/staff/employers/<int:organization_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_employer_details(organization_id: int):
    return _edit_organization(_directory("employers"), organization_id)


@bp.get("/staff/partners/")
@staff_required
def partners():
    return _list_organizations(_directory("partners"))


@bp.route("/staff/partners/new", methods=["GET", "POST"])
@staff_required
def new_partner():
    return _new_organization(_directory("partners"))


@bp.route("/staff/partners/<int:organization_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_partner_details(organization_id: int):
    return _edit_organization(_directory("partners"), organization_id)


# --- Staff and volunteer accounts -----------------------------------------------------------------


@bp.get("/staff/accounts/")
@staff_required
def accounts():
    users = db.session.scalars(select(User).order_by(User.is_active.desc(), User.role, User.name)).all()
    return render_template("events/staff/accounts.html", users=users)


@bp.route("/staff/accounts/new", methods=["GET", "POST"])
@staff_required
def new_account():
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = create_user(db.session, form.email.data, form.role.data, form.password.data, form.name.data)
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            role = "door volunteer" if user.role == Role.VOLUNTEER else "staff"
            flash(f"{user.name} can now sign in as {role} with {user.email}.", "success")
            return redirect(url_for("events.accounts"))
    return render_template("events/staff/account_form.html", form=form)


@bp.post("/staff/accounts/<int:user_id>/<any(deactivate, reactivate):action>")
@staff_required
def set_account_active(user_id: int, action: str):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        users.set_active(db.session, user, action == "reactivate", by=_actor())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        db.session.commit()
        state = "can sign in again" if user.is_active else "is signed out and can no longer sign in"
        flash(f"{user.name} {state}.", "success")
    return redirect(url_for("events.accounts"))



@bp.get("/staff/audit/")
@staff_required
def audit_trail():
    """Who did what: sign-ins, check-ins, outcomes and offers, exports, links issued and revoked."""
    slug = request.args.get("event", "")
    action = request.args.get("action", "")
    event = db.session.scalar(select(Event).where(Event.slug == slug)) if slug else None
    entries = audit.recent(db.session, event_id=event.id if event else None, action_prefix=action)
    logged = [entry for entry, _user, _token in entries]
    return render_template(
        "events/staff/audit.html", entries=entries, event=event, action=action,
        names=audit.object_names(db.session, logged), event_names=audit.event_names(db.session, logged),
        events=db.session.scalars(select(Event).order_by(Event.starts_at.desc())).all(),
        timezone=current_app.config["DEFAULT_TIMEZONE"],
    )
