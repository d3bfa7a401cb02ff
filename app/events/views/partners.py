"""Staff pages for an event's referring partners."""

from flask import flash, render_template

from app.access import staff_required
from app.database import writing_from_here
from app.events.forms import AddPartnerForm, ButtonForm
from app.events.views.base import bp, event_or_404, to_event_page
from app.extensions import db
from app.form_choices import choices as choices_of
from app.models import utcnow
from app.services import organizations, partnerships
from app.services.errors import DomainError
from app.services.organizations import PARTNER_KINDS, OrganizationDetails
from app.web import current_actor, find_or_404, flash_error, required, show_error


@bp.route("/staff/events/<slug>/partners/add", methods=["GET", "POST"])
@staff_required
def add_partner(slug: str):
    event = event_or_404(slug)
    present = {p.organization_id for p in event.partnerships}
    form = AddPartnerForm()
    form.organization.choices = choices_of([(0, "A new partner (type its name below)")] + [
        (o.id, o.name)
        for o in organizations.search_organizations(db.session, PARTNER_KINDS, limit=5000)
        if o.id not in present
    ])
    if form.validate_on_submit():
        with writing_from_here(db.session):
            try:
                with db.session.begin_nested():  # a new partner is only kept if it joins the event
                    if form.organization.data == 0:
                        organization = organizations.create_organization(
                            db.session,
                            form.new_kind.data,
                            OrganizationDetails(name=required(form.new_name.data)),
                            actor=current_actor(),
                        )
                    else:
                        organization = organizations.get_organization(
                            db.session, form.organization.data, PARTNER_KINDS
                        )
                    partnership = partnerships.add_partner(
                        db.session, event, organization, actor=current_actor()
                    )
            except DomainError as error:
                show_error(form, error, {"name": "new_name", "kind": "new_kind"})
            else:
                db.session.commit()
                flash(
                    f"{organization.name} is a referring partner, with referral code "
                    f"{partnership.referral_code}.",
                    "success",
                )
                return to_event_page(event, "partners")
    return render_template("events/staff/partner_form.html", form=form, event=event)


@bp.route("/staff/events/<slug>/partners/<int:partnership_id>/remove", methods=["GET", "POST"])
@staff_required
def remove_partner(slug: str, partnership_id: int):
    event = event_or_404(slug)
    partnership = find_or_404(event.partnerships, partnership_id)
    form = ButtonForm()
    if form.validate_on_submit():
        with writing_from_here(db.session):
            name = partnership.organization.name
            try:
                partnerships.remove_partnership(db.session, partnership, now=utcnow(), actor=current_actor())
            except DomainError as error:
                flash_error(error)
            else:
                db.session.commit()
                flash(f"{name} is no longer a partner of {event.name}.", "success")
                return to_event_page(event, "partners")
    return render_template(
        "events/staff/confirm_remove.html", form=form, event=event,
        title=f"Remove {partnership.organization.name} as a partner of {event.name}?",
        consequences=[f"Its referral code {partnership.referral_code} stops crediting it, and its partner "
                      "links for this event stop working.", "It stays in the partner directory."],
    )
