"""The partner API: a referring partner's own systems read its referrals with a partner API token
(``Authorization: Bearer …``), as JSON pages or one CSV. What each referral carries is
``services.partner_view``'s; a token reads only its own organization's referrals."""

from datetime import datetime

from flask import current_app, g, jsonify, request, url_for

from app.access import bearer_secret, partner_api_token_required
from app.api.views import bp
from app.extensions import db, limiter
from app.services import partner_api
from app.services.errors import DomainError
from app.services.partner_view import as_json, utc_iso
from app.services.tokens import hash_secret

#: Requests per partner API token; ``PARTNER_API_RATE_LIMIT`` overrides it.
DEFAULT_PARTNER_API_RATE_LIMIT = "120/minute"


def _partner_key() -> str:
    """Counted per token (a hash of it): one partner's polling never slows another's."""
    return "partner-api:" + hash_secret(bearer_secret())[:32]


def _partner_limit() -> str:
    return current_app.config.get("PARTNER_API_RATE_LIMIT") or DEFAULT_PARTNER_API_RATE_LIMIT


#: One count per token across the partner routes (a page, a referral and the CSV draw on the same).
_partner_limit_shared = limiter.shared_limit(_partner_limit, scope="partner-api", key_func=_partner_key)


def _bad_parameter(error: DomainError):
    return jsonify(status="error", error=error.code, field=error.field, message=str(error.message)), 400


def _next_link(start: tuple[datetime, int]) -> str:
    """This request's link, starting after its last referral (``updated_since`` and ``after_id``)."""
    kept: dict[str, str | None] = {
        name: request.args[name] for name in (*partner_api.FILTERS, "limit") if name in request.args
    }
    updated_since, after_id = start
    kept |= {"updated_since": utc_iso(updated_since), "after_id": str(after_id)}
    return url_for("api.partner_referrals", _external=True, **kept)


@bp.get("/partner/referrals")
@_partner_limit_shared
@partner_api_token_required
def partner_referrals():
    try:
        query = partner_api.parse_query(request.args)
    except DomainError as error:
        return _bad_parameter(error)
    page = partner_api.referral_page(db.session, g.access_token.organization, query)
    return jsonify(
        status="ok",
        referrals=[as_json(status) for status in page.referrals],
        next=_next_link(page.next_start) if page.next_start else None,
    )


@bp.get("/partner/referrals/<int:referral_id>")
@_partner_limit_shared
@partner_api_token_required
def partner_referral(referral_id: int):
    status = partner_api.find_referral(db.session, g.access_token.organization, referral_id)
    if status is None:
        return jsonify(
            status="error", error="unknown_referral", message="No referral of yours has this id."
        ), 404
    return jsonify(status="ok", referral=as_json(status))


@bp.get("/partner/referrals.csv")
@_partner_limit_shared
@partner_api_token_required
def partner_referrals_csv():
    try:
        query = partner_api.parse_query(request.args, paged=False)
    except DomainError as error:
        return _bad_parameter(error)
    body = partner_api.csv_rows(db.session, g.access_token.organization, query)
    return body, 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="referrals.csv"',
    }
