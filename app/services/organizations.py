"""The directory of employers and referring partners (job centers, community organizations), kept
once and reused across events."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.database import Session
from app.models import Organization, OrganizationKind, Sector, User
from app.models.organization import name_key
from app.services import audit
from app.services.contact import normalize_email, normalize_phone
from app.services.errors import DomainError

PARTNER_KINDS = tuple(kind for kind in OrganizationKind if kind.is_partner)


@dataclass(frozen=True)
class OrganizationDetails:
    """What staff type about an organization; contact fields are optional."""

    name: str
    sector: Sector | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


def _optional(normalize, value: str | None, field: str) -> str | None:
    """Contact details are optional: a blank is None, anything else must be valid."""
    return normalize(value, field=field) if value and value.strip() else None


def normalize_website(website: str | None) -> str | None:
    """An http(s) address; ``hilton.com`` becomes ``https://hilton.com``. None for a blank."""
    if website is None or not website.strip():
        return None
    website = website.strip()
    if "://" not in website:
        website = "https://" + website
    parts = urlsplit(website)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in website:
        raise DomainError(
            "invalid_website", "Enter a web address such as https://example.com.", field="website"
        )
    return website[:300]


def _clean(
    session: Session, kind: OrganizationKind, details: OrganizationDetails, *, exclude_id: int | None
) -> dict:
    name = " ".join(details.name.split())
    if not name:
        raise DomainError("name_required", "Enter the organization's name.", field="name")
    if len(name) > 200:
        raise DomainError("name_too_long", "Use at most 200 characters.", field="name")
    # One entry per organization whatever its kind, names compared folded (``name_key``): the
    # database's unique key refuses the rest, this says which entry to pick instead.
    same_name = select(Organization).where(Organization.name_key == name_key(name))
    if exclude_id is not None:
        same_name = same_name.where(Organization.id != exclude_id)
    if (existing := session.scalar(same_name)) is not None:
        raise _name_taken(existing.name)
    contact_name = " ".join((details.contact_name or "").split()) or None
    return {
        "name": name,
        "sector": Sector(details.sector) if details.sector else None,
        "website": normalize_website(details.website),
        "contact_name": contact_name[:200] if contact_name else None,
        "contact_email": _optional(normalize_email, details.contact_email, "contact_email"),
        "contact_phone": _optional(normalize_phone, details.contact_phone, "contact_phone"),
    }


def _name_taken(name: str) -> DomainError:
    return DomainError("name_taken", f"The directory already has {name}; pick it instead.", field="name")


def create_organization(
    session: Session, kind: OrganizationKind | str, details: OrganizationDetails, *, actor: User | None = None
) -> Organization:
    """Add an employer or a partner to the directory. Names are unique whatever the kind, compared
    without case, accents or punctuation."""
    kind = OrganizationKind(kind)
    values = _clean(session, kind, details, exclude_id=None)
    try:
        # A savepoint: two staff adding the same name at once get a field message, not a 500.
        with session.begin_nested():
            organization = Organization(kind=kind, **values)
            session.add(organization)
    except IntegrityError as exc:
        raise _name_taken(values["name"]) from exc
    audit.record(session, "organization.create", actor_user=actor, obj=organization, kind=kind.value)
    return organization


def update_organization(
    session: Session,
    organization: Organization,
    details: OrganizationDetails,
    *,
    kind: OrganizationKind | str | None = None,
    actor: User | None = None,
) -> Organization:
    """Change a directory entry; every event it takes part in shows the change. An employer stays an
    employer; a partner may switch between job center and community organization."""
    new_kind = OrganizationKind(kind) if kind else organization.kind
    if (new_kind == OrganizationKind.EMPLOYER) != organization.is_employer:
        raise DomainError(
            "kind_change",
            "An employer cannot become a referring partner, or the other way round.",
            field="kind",
        )
    values = _clean(session, new_kind, details, exclude_id=organization.id)
    try:
        with session.begin_nested():
            organization.kind = new_kind
            for key, value in values.items():
                setattr(organization, key, value)
    except IntegrityError as exc:
        raise _name_taken(values["name"]) from exc
    audit.record(session, "organization.update", actor_user=actor, obj=organization)
    return organization


def search_organizations(
    session: Session, kinds: tuple[OrganizationKind, ...], query: str = "", *, limit: int = 200
) -> list[Organization]:
    """Organizations of ``kinds`` whose name contains ``query`` (any case), by name."""
    statement = select(Organization).where(Organization.kind.in_(kinds))
    query = " ".join(query.split())
    if query:
        statement = statement.where(func.lower(Organization.name).contains(query.lower(), autoescape=True))
    return list(session.scalars(statement.order_by(func.lower(Organization.name)).limit(limit)))


def get_organization(
    session: Session, organization_id: int, kinds: tuple[OrganizationKind, ...]
) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None or organization.kind not in kinds:
        raise DomainError("organization_not_found", "There is no such organization.")
    return organization
