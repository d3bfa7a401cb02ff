"""A referring partner's webhook endpoints: added and changed by staff, their secret rotated by
staff or by the partner itself. A secret is shown once, when it is made; the endpoint keeps it to
sign every delivery (Standard Webhooks: ``whsec_`` and base64 of random bytes)."""

import base64
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from app.database import Session
from app.models import AccessToken, Organization, User, WebhookEndpoint
from app.services import audit
from app.services.errors import DomainError, ProblemList
from app.services.organizations import PARTNER_KINDS
from app.services.partner_events import note_for_dispatch
from app.services.webhook_urls import Policy, parse

#: After a rotation, deliveries are signed with the old secret too for this long, so a partner's
#: receiver keeps verifying while its operator puts the new secret in place.
PREVIOUS_SECRET_VALID = timedelta(hours=24)
MAX_ENDPOINTS = 5


def new_webhook_secret() -> str:
    """``whsec_`` and 256 random bits in base64, the form the ``standardwebhooks`` libraries read."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def endpoints_of(session: Session, organization: Organization) -> list[WebhookEndpoint]:
    return list(
        session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.organization_id == organization.id)
            .order_by(WebhookEndpoint.id)
        )
    )


def endpoint_of(session: Session, organization: Organization, endpoint_id: int) -> WebhookEndpoint:
    """One of ``organization``'s endpoints, or ``DomainError("unknown_endpoint")`` (another
    partner's endpoint is unknown here, exactly like one that does not exist)."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.organization_id != organization.id:
        raise DomainError("unknown_endpoint", "That webhook endpoint does not exist.")
    return endpoint


def _checked(url: str, description: str, policy: Policy) -> tuple[str, str]:
    problems = ProblemList()
    problems.check(parse, url, policy)
    description = (description or "").strip()
    if len(description) > 120:
        problems.found.append(
            DomainError(
                "description_too_long", "Keep the description under 120 characters.", field="description"
            )
        )
    problems.raise_any()
    return url.strip(), description


def create_endpoint(
    session: Session,
    organization: Organization,
    url: str,
    description: str,
    policy: Policy,
    *,
    actor: User,
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint for a referring partner; returns it with its secret (show it once)."""
    if organization.kind not in PARTNER_KINDS:
        raise DomainError("not_a_partner", "Only referring partners receive webhooks.")
    url, description = _checked(url, description, policy)
    if len(endpoints_of(session, organization)) >= MAX_ENDPOINTS:
        raise DomainError(
            "too_many_endpoints", f"A partner has at most {MAX_ENDPOINTS} webhook endpoints.", field="url"
        )
    secret = new_webhook_secret()
    endpoint = WebhookEndpoint(
        organization=organization, url=url, description=description, secret=secret, enabled=True
    )
    session.add(endpoint)
    session.flush()
    audit.record(session, "webhook.create", actor_user=actor, obj=endpoint, organization_id=organization.id)
    return endpoint, secret


def update_endpoint(
    session: Session,
    endpoint: WebhookEndpoint,
    url: str,
    description: str,
    enabled: bool,
    policy: Policy,
    *,
    actor: User,
) -> None:
    """Staff change where an endpoint is, its label, or switch it off (nothing new is written for a
    disabled endpoint; what waits is held until it is on again)."""
    url, description = _checked(url, description, policy)
    switched_on = enabled and not endpoint.enabled
    endpoint.url, endpoint.description, endpoint.enabled = url, description, enabled
    session.flush()
    audit.record(session, "webhook.update", actor_user=actor, obj=endpoint, enabled=enabled)
    if switched_on:
        note_for_dispatch(session, endpoint.id)  # what waited while it was off goes now, in order


def rotate_secret(
    session: Session,
    endpoint: WebhookEndpoint,
    now: datetime,
    *,
    actor_user: User | None = None,
    actor_token: AccessToken | None = None,
) -> str:
    """A new secret for ``endpoint``, returned to be shown once. The old one stays valid for
    ``PREVIOUS_SECRET_VALID`` (deliveries carry both signatures meanwhile)."""
    endpoint.previous_secret, endpoint.previous_secret_until = endpoint.secret, now + PREVIOUS_SECRET_VALID
    endpoint.secret = new_webhook_secret()
    session.flush()
    audit.record(
        session, "webhook.rotate_secret", actor_user=actor_user, actor_token=actor_token, obj=endpoint
    )
    return endpoint.secret


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The secrets a delivery is signed with now: the current one, and the previous one while it is valid."""
    previous = endpoint.previous_secret
    if previous and endpoint.previous_secret_until is not None and endpoint.previous_secret_until > now:
        return [endpoint.secret, previous]
    return [endpoint.secret]
