"""Webhook endpoints: staff add and change them on a partner's directory entry
(``/staff/partners/<id>/webhooks``); the partner sees its deliveries, sends a test event and
rotates its secret on its own page (``/partner/<token>/webhooks``). A new secret is shown once,
on the page that answers the POST that made it."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from app.access import link_token_required, staff_required
from app.database import writes
from app.extensions import db
from app.models import Organization, TokenScope, WebhookEndpoint, utcnow
from app.services import webhook_delivery, webhook_endpoints
from app.services.errors import DomainError, each_problem
from app.services.organizations import PARTNER_KINDS, get_organization
from app.services.webhook_urls import current_policy
from app.web import current_actor, required, show_error
from app.webhooks.forms import ButtonForm, EndpointForm

bp = Blueprint("webhooks", __name__)


def _partner_or_404(organization_id: int) -> Organization:
    try:
        return get_organization(db.session, organization_id, PARTNER_KINDS)
    except DomainError:
        abort(404)


def _endpoint_or_404(organization: Organization, endpoint_id: int) -> WebhookEndpoint:
    try:
        return webhook_endpoints.endpoint_of(db.session, organization, endpoint_id)
    except DomainError:
        abort(404)


def _overview(organization: Organization) -> list[dict]:
    """Each endpoint with its recent deliveries and what holds them, for both pages."""
    return [
        {
            "endpoint": endpoint,
            "deliveries": webhook_delivery.deliveries(db.session, endpoint, 25),
            "stopped_at": webhook_delivery.stopped_at(db.session, endpoint),
            "waiting": webhook_delivery.waiting_count(db.session, endpoint),
        }
        for endpoint in webhook_endpoints.endpoints_of(db.session, organization)
    ]


def _require_button() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


# --- Staff ----------------------------------------------------------------------------------------


def _staff_page(organization: Organization, form: EndpointForm | None = None, status: int = 200):
    def retry_url(endpoint: WebhookEndpoint, message) -> str:
        return url_for(
            "webhooks.retry_delivery",
            organization_id=organization.id,
            endpoint_id=endpoint.id,
            message_id=message.id,
        )

    return render_template(
        "webhooks/staff.html",
        organization=organization,
        endpoints=_overview(organization),
        form=form or EndpointForm(formdata=None),
        button=ButtonForm(),
        retry_url=retry_url,
    ), status


@bp.get("/staff/partners/<int:organization_id>/webhooks")
@staff_required
def staff_endpoints(organization_id: int):
    return _staff_page(_partner_or_404(organization_id))


@bp.post("/staff/partners/<int:organization_id>/webhooks")
@writes
@staff_required
def add_endpoint(organization_id: int):
    organization = _partner_or_404(organization_id)
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            endpoint, secret = webhook_endpoints.create_endpoint(
                db.session,
                organization,
                required(form.url.data),
                form.description.data or "",
                current_policy(),
                actor=current_actor(),
            )
        except DomainError as error:
            db.session.rollback()
            for problem in each_problem(error):
                show_error(form, problem)
        else:
            db.session.commit()
            return _secret_page(
                organization,
                endpoint,
                secret,
                url_for("webhooks.staff_endpoints", organization_id=organization.id),
            )
    return _staff_page(organization, form, 422)


@bp.post("/staff/partners/<int:organization_id>/webhooks/<int:endpoint_id>")
@writes
@staff_required
def edit_endpoint(organization_id: int, endpoint_id: int):
    organization = _partner_or_404(organization_id)
    endpoint = _endpoint_or_404(organization, endpoint_id)
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            webhook_endpoints.update_endpoint(
                db.session,
                endpoint,
                required(form.url.data),
                form.description.data or "",
                form.enabled.data,
                current_policy(),
                actor=current_actor(),
            )
        except DomainError as error:
            db.session.rollback()
            for problem in each_problem(error):
                flash(str(problem.message), "error")
        else:
            db.session.commit()
            flash(
                "The endpoint is saved." if endpoint.enabled else "The endpoint is saved and switched off.",
                "success",
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for("webhooks.staff_endpoints", organization_id=organization.id))


@bp.post("/staff/partners/<int:organization_id>/webhooks/<int:endpoint_id>/rotate")
@writes
@staff_required
def staff_rotate(organization_id: int, endpoint_id: int):
    organization = _partner_or_404(organization_id)
    endpoint = _endpoint_or_404(organization, endpoint_id)
    _require_button()
    secret = webhook_endpoints.rotate_secret(db.session, endpoint, utcnow(), actor_user=current_actor())
    db.session.commit()
    return _secret_page(
        organization,
        endpoint,
        secret,
        url_for("webhooks.staff_endpoints", organization_id=organization.id),
        rotated=True,
    )


@bp.post("/staff/partners/<int:organization_id>/webhooks/<int:endpoint_id>/test")
@writes
@staff_required
def staff_test(organization_id: int, endpoint_id: int):
    organization = _partner_or_404(organization_id)
    _send_test(_endpoint_or_404(organization, endpoint_id))
    return redirect(url_for("webhooks.staff_endpoints", organization_id=organization.id))


@bp.post("/staff/partners/<int:organization_id>/webhooks/<int:endpoint_id>/deliveries/<int:message_id>/retry")
@writes
@staff_required
def retry_delivery(organization_id: int, endpoint_id: int, message_id: int):
    organization = _partner_or_404(organization_id)
    endpoint = _endpoint_or_404(organization, endpoint_id)
    _require_button()
    try:
        webhook_delivery.retry(db.session, endpoint, message_id, utcnow())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash("Retrying: that delivery goes first, and the ones waiting behind it follow.", "success")
    return redirect(url_for("webhooks.staff_endpoints", organization_id=organization.id))


# --- The partner ----------------------------------------------------------------------------------


def _partner_page_url() -> str:
    return url_for("webhooks.partner_endpoints", token=(request.view_args or {})["token"])


@bp.get("/partner/<token>/webhooks")
@link_token_required(TokenScope.PARTNER)
def partner_endpoints():
    organization = g.access_token.organization
    return render_template(
        "webhooks/partner.html",
        organization=organization,
        endpoints=_overview(organization),
        button=ButtonForm(),
        token=request.view_args["token"],
    )


@bp.post("/partner/<token>/webhooks/<int:endpoint_id>/test")
@writes
@link_token_required(TokenScope.PARTNER)
def partner_test(endpoint_id: int):
    _send_test(_endpoint_or_404(g.access_token.organization, endpoint_id))
    return redirect(_partner_page_url())


@bp.post("/partner/<token>/webhooks/<int:endpoint_id>/rotate")
@writes
@link_token_required(TokenScope.PARTNER)
def partner_rotate(endpoint_id: int):
    organization = g.access_token.organization
    endpoint = _endpoint_or_404(organization, endpoint_id)
    _require_button()
    secret = webhook_endpoints.rotate_secret(db.session, endpoint, utcnow(), actor_token=g.access_token)
    db.session.commit()
    return _secret_page(organization, endpoint, secret, _partner_page_url(), rotated=True)


# --- Shared ---------------------------------------------------------------------------------------


def _send_test(endpoint: WebhookEndpoint) -> None:
    _require_button()
    webhook_delivery.send_test_event(db.session, endpoint, utcnow())
    db.session.commit()
    flash("A test event is on its way: its result shows in the deliveries below in a few seconds.", "success")


def _secret_page(
    organization: Organization, endpoint: WebhookEndpoint, secret: str, back: str, *, rotated=False
):
    return render_template(
        "webhooks/secret.html",
        organization=organization,
        endpoint=endpoint,
        secret=secret,
        back=back,
        rotated=rotated,
        grace=webhook_endpoints.PREVIOUS_SECRET_VALID.total_seconds() // 3600,
    )
