"""The directory: employers and referring partners, kept once and reused across events."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for

from app.access import staff_required
from app.database import writing_from_here
from app.directory.forms import OrganizationForm, PartnerForm
from app.extensions import db
from app.models import OrganizationKind
from app.services import organizations
from app.services.contact import display_phone
from app.services.errors import DomainError
from app.services.organizations import PARTNER_KINDS, OrganizationDetails
from app.web import current_actor, or_404, required, show_error

bp = Blueprint("directory", __name__)


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
        name=required(form.name.data),
        sector=(form.sector.data or None) if "sector" in form else None,
        website=form.website.data,
        contact_name=form.contact_name.data,
        contact_email=form.contact_email.data,
        contact_phone=form.contact_phone.data,
    )


def _list_organizations(directory: dict):
    query = request.args.get("q", "").strip()
    found = organizations.search_organizations(db.session, directory["kinds"], query)
    context = {"directory": directory, "organizations": found, "q": query, "display_phone": display_phone}
    if request.headers.get("HX-Request"):
        response = make_response(render_template("directory/_organization_rows.html", **context))
    else:
        response = make_response(render_template("directory/organizations.html", **context))
    response.vary.add("HX-Request")
    return response


def _new_organization(directory: dict):
    form = directory["form"]()
    if form.validate_on_submit():
        kind = form.kind.data if "kind" in form else OrganizationKind.EMPLOYER
        with writing_from_here(db.session):
            try:
                organization = organizations.create_organization(
                    db.session, kind, _organization_details(form), actor=current_actor()
                )
            except DomainError as error:
                show_error(form, error)
            else:
                db.session.commit()
                flash(f"{organization.name} is in the directory.", "success")
                return redirect(url_for(f"directory.{directory['name']}", q=organization.name))
    return render_template(
        "directory/organization_form.html", form=form, directory=directory, organization=None
    )


def _edit_organization(directory: dict, organization_id: int):
    organization = or_404(organizations.get_organization, db.session, organization_id, directory["kinds"])
    if request.method == "GET":
        data = {
            "name": organization.name,
            "website": organization.website,
            "contact_name": organization.contact_name,
            "contact_email": organization.contact_email,
            "contact_phone": organization.contact_phone,
            "sector": organization.sector.value if organization.sector else "",
            "kind": organization.kind.value,
        }
        form = directory["form"](data=data)
    else:
        form = directory["form"]()
    if form.validate_on_submit():
        with writing_from_here(db.session):
            try:
                organizations.update_organization(
                    db.session, organization, _organization_details(form),
                    kind=form.kind.data if "kind" in form else None, actor=current_actor(),
                )
            except DomainError as error:
                show_error(form, error)
            else:
                db.session.commit()
                flash(f"{organization.name} is saved.", "success")
                return redirect(url_for(f"directory.{directory['name']}", q=organization.name))
    return render_template("directory/organization_form.html", form=form, directory=directory,
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
