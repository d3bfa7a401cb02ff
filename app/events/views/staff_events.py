"""Staff pages for events themselves: the overview, a new event (from a template), its page, editing its
details, moving its status along, and copying it."""

from dataclasses import asdict, fields

from flask import abort, current_app, flash, render_template, request, url_for

from app.access import staff_required
from app.database import writes, writing_from_here
from app.events.forms import TIMEZONE_CHOICES, CopyEventForm, EventForm, StatusForm
from app.events.views.base import bp, event_or_404, flash_warnings, to_event_page
from app.extensions import db
from app.form_choices import choices as choices_of
from app.models import Event, EventStatus, utcnow
from app.services import (
    event_notices,
    event_readiness,
    event_setup,
    events,
    links,
    participations,
    partnerships,
    registration as registrations,
    survey_distribution,
)
from app.services.errors import DomainError
from app.services.event_templates import TEMPLATES, template_for
from app.services.registration_mail import send_promotions
from app.urls import public_url
from app.web import current_actor, flash_error, required, show_error


@bp.get("/staff/")
@staff_required
def staff_events():
    return render_template(
        "events/staff_list.html", summaries=events.staff_overview(db.session),
        archived=events.archived_events(db.session),
    )


def _timezone_choices(form: EventForm, current: str | None = None) -> None:
    choices = list(TIMEZONE_CHOICES)
    known = {value for value, _label in choices}
    for zone in (current, current_app.config["DEFAULT_TIMEZONE"]):
        if zone and zone not in known:
            choices.insert(0, (zone, zone))
            known.add(zone)
    form.timezone.choices = choices_of(choices)


def _event_details(form: EventForm) -> event_setup.EventDetails:
    return event_setup.EventDetails(
        **{f.name: form[f.name].data for f in fields(event_setup.EventDetails)}
        | {
            "slug": form.slug.data or "",
            "description": form.description.data or "",
            "description_es": form.description_es.data or "",
            "sectors": tuple(form.sectors.data or ()),
        }
    )


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
        form = EventForm(
            data={
                "name": template.name,
                "sectors": [s.value for s in template.sectors],
                "description": template.description,
                "description_es": template.description_es,
                "start": template.start,
                "end": template.end,
                "capacity": template.capacity,
                "max_bookings_per_candidate": template.max_bookings_per_candidate,
                "timezone": current_app.config["DEFAULT_TIMEZONE"],
            }
        )
    else:
        form = EventForm()
    _timezone_choices(form)
    form.name.render_kw = {
        "hx-get": url_for("events.slug_suggestion"), "hx-trigger": "input changed delay:300ms",
        "hx-target": "#slug-hint", "hx-swap": "innerHTML",
    }
    if form.validate_on_submit():
        with writing_from_here(db.session):
            try:
                event = event_setup.create_event(
                    db.session, _event_details(form), template.kind, actor=current_actor()
                )
            except DomainError as error:
                show_error(form, error)
            else:
                db.session.commit()
                flash(
                    f"{event.name} is saved as a draft. Add employers and partners, then publish it.",
                    "success",
                )
                flash_warnings(event_readiness.event_warnings(db.session, event, utcnow()))
                return to_event_page(event)
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
    event = event_or_404(slug)
    base_url = public_url("")
    return render_template(
        "events/staff/event.html",
        event=event,
        booths=sorted(event.participations, key=participations.table_order),
        partners=[(p, partnerships.referral_link(base_url, event, p)) for p in event.partnerships],
        counts=events.event_counts(db.session, event),
        transitions=events.STATUS_TRANSITIONS[event.status],
        links=links.event_links(db.session, event),
        checklist=event_readiness.publish_checklist(db.session, event, utcnow())
        if event.status == EventStatus.DRAFT
        else [],
        now=utcnow(),
        editable=event.status != EventStatus.ARCHIVED,
    )


@bp.route("/staff/events/<slug>/edit", methods=["GET", "POST"])
@staff_required
def edit_event(slug: str):
    event = event_or_404(slug)
    if request.method == "GET":
        form = EventForm(data=asdict(event_setup.event_details_of(event)))
    else:
        form = EventForm()
    _timezone_choices(form, event.timezone)
    if form.validate_on_submit():
        with writing_from_here(db.session):
            sequence = event.ics_sequence
            try:
                event_setup.update_event(db.session, event, _event_details(form), actor=current_actor())
            except DomainError as error:
                show_error(form, error)
            else:
                promoted = registrations.capacity_changed(db.session, event, utcnow())
                send_promotions(db.session, promoted, utcnow())
                db.session.commit()
                flash(f"{event.name} is saved.", "success")
                flash_warnings(event_readiness.event_warnings(db.session, event, utcnow()))
                if promoted:
                    flash(
                        f"{len(promoted):,} {'person' if len(promoted) == 1 else 'people'} from the waitlist "
                        "got a "
                        "place and were e-mailed their badge.",
                        "success",
                    )
                if event.ics_sequence > sequence:
                    _send_change_notices(event)
                return to_event_page(event)
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


@bp.post("/staff/events/<slug>/status")
@writes
@staff_required
def change_status(slug: str):
    event = event_or_404(slug)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        events.change_status(db.session, event, required(form.status.data), actor=current_actor())
    except DomainError as error:
        flash_error(error)
    else:
        db.session.commit()
        flash(f"{event.name} is now {str(event.status.label).lower()}.", "success")
        if event.status == EventStatus.CLOSED:
            # The event is over: e-mail attendees their post-event survey link.
            flash(
                survey_distribution.invite_attendees(db.session, event, utcnow(), actor=current_actor()),
                "info",
            )
            db.session.commit()
    return to_event_page(event)


@bp.route("/staff/events/<slug>/copy", methods=["GET", "POST"])
@staff_required
def copy_event(slug: str):
    source = event_or_404(slug)
    form = CopyEventForm(data={"name": source.name}) if request.method == "GET" else CopyEventForm()
    if form.validate_on_submit():
        with writing_from_here(db.session):
            try:
                event = event_setup.copy_event(
                    db.session,
                    source,
                    name=required(form.name.data),
                    slug=form.slug.data or "",
                    day=required(form.day.data),
                    actor=current_actor(),
                )
            except DomainError as error:
                show_error(form, error)
            else:
                db.session.commit()
                flash(
                    f"{event.name} is a draft copy of {source.name}. Check the details, then publish it.",
                    "success",
                )
                return to_event_page(event)
    return render_template("events/staff/copy_event.html", form=form, source=source)
