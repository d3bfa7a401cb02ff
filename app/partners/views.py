"""What a referring partner sees of the candidates it referred (``/partner/<token>``)."""

from flask import Blueprint, g, render_template

from app.access import link_token_required
from app.extensions import db
from app.models import TokenScope
from app.services.placements import partner_results

bp = Blueprint("partners", __name__)


@bp.get("/partner/<token>")
@link_token_required(TokenScope.PARTNER)
def partner_page():
    organization = g.access_token.organization
    return render_template("partners/partner.html", organization=organization,
                           results=partner_results(db.session, organization))
