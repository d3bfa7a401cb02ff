"""Staff pages for the employers at an event: bringing one in, its table and interviews, taking it off."""

from dataclasses import asdict

from flask import flash, render_template, request
from wtforms import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2

from app.access import staff_required
from app.database import writing_from_here
from app.events.forms import AddEmployerForm, BoothForm, ButtonForm
from app.events.views.base import bp, event_or_404, to_event_page
from app.extensions import db
from app.models import OrganizationKind
from app.services import organizations, participations
from app.services.errors import DomainError
from app.services.organizations import OrganizationDetails
from app.web import current_actor, find_or_404, flash_error, required, show_error


def _booth_settings(form: BoothForm) -> participations.BoothSettings:
    return participations.BoothSettings(
        table_number=form.table_number.data,
        interview_minutes=required(form.interview_minutes.data),
        interview_start=form.interview_start.data,
        interview_end=form.interview_end.data,
        interviewers=required(form.interviewers.data),
    )


@bp.route("/staff/events/<slug>/employers/add", methods=["GET", "POST"])
@staff_required
def add_employer(slug: str):
    event = event_or_404(slug)
    present = {p.organization_id for p in event.participations}
    form = AddEmployerForm()
    form.organization.choices = [
        SelectChoice(0, "A new employer (type its name below)", render_kw={"data-keep": ""})
    ] + [
        SelectChoice(o.id, o.name)
        for o in organizations.search_organizations(db.session, (OrganizationKind.EMPLOYER,), limit=5000)
        if o.id not in present
    ]
    if request.method == "GET" and request.args.get("organization", "").isdigit():
        form.organization.data = int(request.args["organization"])
    if form.validate_on_submit():
        with writing_from_here(db.session):
            try:
                with db.session.begin_nested():  # a new employer is only kept if it joins the event
                    if form.organization.data == 0:
                        organization = organizations.create_organization(
                            db.session,
                            OrganizationKind.EMPLOYER,
                            OrganizationDetails(
                                name=required(form.new_name.data), sector=form.new_sector.data or None
                            ),
                            actor=current_actor(),
                        )
                    else:
                        organization = organizations.get_organization(
                            db.session, form.organization.data, (OrganizationKind.EMPLOYER,)
                        )
                    participation = participations.add_employer(
                        db.session, event, organization, _booth_settings(form), actor=current_actor()
                    )
            except DomainError as error:
                show_error(form, error, {"name": "new_name", "sector": "new_sector"})
            else:
                db.session.commit()
                flash(f"{organization.name} is at the event. Add its job orders below.", "success")
                return to_event_page(event, f"employer-{participation.id}")
    return render_template("events/staff/booth_form.html", form=form, event=event, participation=None)


@bp.route("/staff/events/<slug>/employers/<int:participation_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_employer(slug: str, participation_id: int):
    event = event_or_404(slug)
    participation = find_or_404(event.participations, participation_id)
    if request.method == "GET":
        form = BoothForm(data=asdict(participations.booth_settings_of(participation)))
    else:
        form = BoothForm()
    if form.validate_on_submit():
        with writing_from_here(db.session):
            try:
                participations.update_participation(
                    db.session, participation, _booth_settings(form), actor=current_actor()
                )
            except DomainError as error:
                show_error(form, error)
            else:
                db.session.commit()
                flash(f"{participation.organization.name}'s table and interviews are saved.", "success")
                return to_event_page(event, f"employer-{participation.id}")
    return render_template(
        "events/staff/booth_form.html", form=form, event=event, participation=participation
    )


@bp.route("/staff/events/<slug>/employers/<int:participation_id>/remove", methods=["GET", "POST"])
@staff_required
def remove_employer(slug: str, participation_id: int):
    event = event_or_404(slug)
    participation = find_or_404(event.participations, participation_id)
    form = ButtonForm()
    if form.validate_on_submit():
        with writing_from_here(db.session):
            name = participation.organization.name
            try:
                participations.remove_participation(db.session, participation, actor=current_actor())
            except DomainError as error:
                flash_error(error)
            else:
                db.session.commit()
                flash(f"{name} is no longer at {event.name}.", "success")
                return to_event_page(event, "employers")
    refusal = participations.participation_removal_refusal(db.session, participation)
    return render_template(
        "events/staff/confirm_remove.html", form=form, event=event,
        title=f"Remove {participation.organization.name} from {event.name}?",
        consequences=[f"Its {len(participation.positions)} job order(s) at this event are deleted too.",
                      "It stays in the employer directory."],
        refusal=str(refusal.message) if refusal else None,
    )
