"""Staff pages that issue and revoke an event's booth, partner and scanner links; a new secret
is shown once, right after it is issued."""

from flask import abort, current_app, flash, render_template, request

from app.access import staff_required
from app.database import writes
from app.events.forms import ButtonForm, DeviceTokenForm
from app.events.views.base import bp, event_or_404, to_event_page
from app.extensions import db
from app.models import Event, utcnow
from app.services import booth_mail, links
from app.services.errors import DomainError
from app.urls import public_url
from app.web import current_actor, find_or_404, flash_error, required


def _issued(event: Event, token, url: str | None, secret: str | None = None):
    """The page that shows a new secret link once. It answers the POST directly (no redirect), so
    the secret never sits in a cookie or a URL; the page is ``no-store`` like every page."""
    return render_template("events/staff/link_issued.html", event=event, token=token, url=url, secret=secret)


@bp.post("/staff/events/<slug>/partners/<int:partnership_id>/link")
@writes
@staff_required
def issue_partner_link(slug: str, partnership_id: int):
    event = event_or_404(slug)
    partnership = find_or_404(event.partnerships, partnership_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    token, secret = links.issue_partner_link(db.session, partnership, actor=current_actor())
    db.session.commit()
    return _issued(event, token, public_url(f"/partner/{secret}"))


@bp.post("/staff/events/<slug>/employers/<int:participation_id>/booth-link")
@writes
@staff_required
def issue_booth_link(slug: str, participation_id: int):
    event = event_or_404(slug)
    participation = find_or_404(event.participations, participation_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        token, secret = links.issue_booth_link(
            db.session, participation, valid_days=current_app.config["BOOTH_LINK_DAYS"], now=utcnow(),
            actor=current_actor(),
        )
    except DomainError as error:
        flash_error(error)
        return to_event_page(event)  # no anchor: the message is at the top
    db.session.commit()
    return _issued(event, token, public_url(f"/booth/{secret}"))


@bp.post("/staff/events/<slug>/booth-links")
@writes
@staff_required
def issue_booth_links(slug: str):
    """A booth link for every employer at once, each e-mailed to the employer's contact when
    asked, shown once with a copy button for the rest."""
    event = event_or_404(slug)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        issued = links.issue_booth_links(
            db.session,
            event,
            valid_days=current_app.config["BOOTH_LINK_DAYS"],
            now=utcnow(),
            actor=current_actor(),
        )
    except DomainError as error:
        flash_error(error)
        return to_event_page(event)
    send = request.form.get("email") == "1"
    rows = []
    for participation, token, secret in issued:
        url = public_url(f"/booth/{secret}")
        emailed = (
            send
            and token.expires_at is not None
            and booth_mail.send_booth_link(participation, url, token.expires_at)
        )
        rows.append((participation, url, emailed))
    db.session.commit()  # the links and their e-mails together; the job worker sends the e-mails
    return render_template("events/staff/booth_links_issued.html", event=event, rows=rows, emailed=send)


@bp.post("/staff/events/<slug>/devices")
@writes
@staff_required
def issue_device_token(slug: str):
    event = event_or_404(slug)
    form = DeviceTokenForm()
    if form.validate_on_submit():
        try:
            token, secret = links.issue_device_token(
                db.session, event, required(form.name.data), now=utcnow(), actor=current_actor()
            )
        except DomainError as error:
            flash_error(error)
        else:
            db.session.commit()
            return _issued(event, token, None, secret)
    for message in form.name.errors:
        flash(message, "error")
    return to_event_page(event)  # no anchor: the message is at the top


@bp.post("/staff/events/<slug>/links/<int:token_id>/revoke")
@writes
@staff_required
def revoke_link(slug: str, token_id: int):
    event = event_or_404(slug)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        token = links.revoke_link(db.session, event, token_id, utcnow(), actor=current_actor())
    except DomainError:
        abort(404)
    db.session.commit()
    flash(f"The {token.scope.value} link “{token.name}” no longer works.", "success")
    return to_event_page(event, "links")
