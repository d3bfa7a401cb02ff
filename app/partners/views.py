"""What a referring partner sees of the candidates it referred (``/partner/<token>``), and the
partner API tokens staff issue and revoke for it."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for

from app.access import link_token_required, staff_required
from app.database import writes
from app.extensions import db
from app.models import TokenScope, utcnow
from app.partners.forms import ApiTokenForm
from app.services import organizations, partner_api
from app.services.errors import DomainError
from app.services.organizations import PARTNER_KINDS
from app.services.placements import partner_results
from app.web import current_actor, required, show_error

bp = Blueprint("partners", __name__)


@bp.get("/partner/<token>")
@link_token_required(TokenScope.PARTNER)
def partner_page():
    organization = g.access_token.organization
    live_tokens = [t for t in partner_api.api_tokens(db.session, organization) if t.is_usable(utcnow())]
    return render_template("partners/partner.html", organization=organization, api_tokens=live_tokens,
                           results=partner_results(db.session, organization))


def _partner(organization_id: int):
    try:
        return organizations.get_organization(db.session, organization_id, PARTNER_KINDS)
    except DomainError:
        abort(404)


def _tokens_page(organization, form: ApiTokenForm, secret: str | None = None, status: int = 200):
    return render_template(
        "partners/staff_api_tokens.html",
        organization=organization,
        form=form,
        secret=secret,
        tokens=partner_api.api_tokens(db.session, organization),
        now=utcnow(),
    ), status


@bp.get("/staff/partners/<int:organization_id>/api-tokens")
@staff_required
def api_tokens(organization_id: int):
    return _tokens_page(_partner(organization_id), ApiTokenForm())


@bp.post("/staff/partners/<int:organization_id>/api-tokens")
@writes
@staff_required
def issue_api_token(organization_id: int):
    organization = _partner(organization_id)
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _tokens_page(organization, form, status=422)
    try:
        _, secret = partner_api.issue_api_token(
            db.session, organization, required(form.name.data), actor=current_actor()
        )
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return _tokens_page(organization, form, status=422)
    db.session.commit()
    # Shown in this answer only (never in a URL or a redirect): it is stored as a hash.
    return _tokens_page(organization, ApiTokenForm(formdata=None), secret=secret)


@bp.post("/staff/partners/<int:organization_id>/api-tokens/<int:token_id>/revoke")
@writes
@staff_required
def revoke_api_token(organization_id: int, token_id: int):
    organization = _partner(organization_id)
    try:
        token = partner_api.revoke_api_token(
            db.session, organization, token_id, utcnow(), actor=current_actor()
        )
    except DomainError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(f"The API token “{token.name}” no longer works.", "success")
    return redirect(url_for("partners.api_tokens", organization_id=organization.id))
