"""Staff pages for an employer's job orders at an event."""

from flask import flash, render_template, request

from app.access import staff_required
from app.database import writing_from_here
from app.events.forms import ButtonForm, PositionForm
from app.events.views.base import bp, event_or_404, flash_warnings, to_event_page
from app.extensions import db
from app.models import Event
from app.services import job_orders
from app.services.errors import DomainError
from app.web import current_actor, find_or_404, flash_error, required, show_error


def _positions(event: Event):
    return [position for participation in event.participations for position in participation.positions]


def _position_details(form: PositionForm) -> job_orders.PositionDetails:
    return job_orders.PositionDetails(
        title=required(form.title.data),
        openings=required(form.openings.data),
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
    event = event_or_404(slug)
    participation = find_or_404(event.participations, participation_id)
    if request.method == "GET":
        sector = participation.organization.sector
        form = PositionForm(data={"sector": sector.value if sector else ""})
    else:
        form = PositionForm()
    ask_wage = False
    if form.validate_on_submit():
        with writing_from_here(db.session):
            try:
                position = job_orders.add_position(
                    db.session, participation, _position_details(form), actor=current_actor()
                )
            except DomainError as error:
                show_error(form, error)
                ask_wage = error.code == "wage_unusual"
            else:
                db.session.commit()
                flash(f"{position.title} at {participation.organization.name} is added.", "success")
                flash_warnings(job_orders.position_warnings(position))
                return to_event_page(event, f"employer-{participation.id}")
    return render_template("events/staff/position_form.html", form=form, event=event,
                           participation=participation, position=None, ask_wage=ask_wage)


@bp.route("/staff/events/<slug>/positions/<int:position_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_position(slug: str, position_id: int):
    event = event_or_404(slug)
    position = find_or_404(_positions(event), position_id)
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
        with writing_from_here(db.session):
            try:
                job_orders.update_position(
                    db.session, position, _position_details(form), actor=current_actor()
                )
            except DomainError as error:
                show_error(form, error)
                ask_wage = error.code == "wage_unusual"
            else:
                db.session.commit()
                flash(f"{position.title} is saved.", "success")
                flash_warnings(job_orders.position_warnings(position))
                return to_event_page(event, f"employer-{position.participation_id}")
    return render_template("events/staff/position_form.html", form=form, event=event,
                           participation=position.participation, position=position, ask_wage=ask_wage)


@bp.route("/staff/events/<slug>/positions/<int:position_id>/remove", methods=["GET", "POST"])
@staff_required
def remove_position(slug: str, position_id: int):
    event = event_or_404(slug)
    position = find_or_404(_positions(event), position_id)
    form = ButtonForm()
    if form.validate_on_submit():
        with writing_from_here(db.session):
            title, participation_id = position.title, position.participation_id
            try:
                job_orders.remove_position(db.session, position, actor=current_actor())
            except DomainError as error:
                flash_error(error)
            else:
                db.session.commit()
                flash(f"{title} is removed.", "success")
                return to_event_page(event, f"employer-{participation_id}")
    return render_template(
        "events/staff/confirm_remove.html", form=form, event=event,
        title=f"Remove {position.title} ({position.participation.organization.name})?",
        consequences=["Career seekers who marked it as an interest no longer see it."],
    )
