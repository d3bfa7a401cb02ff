"""The partner API's reading of a partner's referrals: filters, ``updated_since`` polling and
cursor paging over ``services.partner_view`` (the one definition of what a partner sees), and the
same rows as a CSV. A partner's own systems call it with a ``partner_api`` token.

Referrals come oldest change first (``updated_at``, then id), so a partner that polls with the
latest ``updated_at`` it has seen as ``updated_since`` misses nothing; it may see a referral again
(the bound is inclusive) and keeps the newest copy by ``id``."""

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AccessToken, Organization, TokenScope, User
from app.services import audit, spreadsheet, tokens
from app.services.errors import DomainError
from app.services.partner_view import ReferralFilter, ReferralStatus, referral_statuses

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: Query parameters the list and the CSV read; anything else is ignored.
FILTERS = ("event", "event_from", "event_to", "updated_since")


@dataclass(frozen=True)
class ReferralQuery:
    only: ReferralFilter
    updated_since: datetime | None = None
    #: Start after this ``(updated_at, id)``: where the previous page ended.
    after: tuple[datetime, int] | None = None
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class ReferralPage:
    referrals: list[ReferralStatus]
    #: Where the next page starts, or None when this is the last.
    next_cursor: str | None


def _invalid(field: str, message: str) -> DomainError:
    return DomainError("invalid_parameter", message, field=field)


def _text(args: Mapping[str, str], name: str, max_length: int = 200) -> str | None:
    value = args.get(name)
    if value is None or value == "":
        return None
    if len(value) > max_length or "\x00" in value:
        raise _invalid(name, f"`{name}` is too long or not text.")
    return value


def _date(args: Mapping[str, str], name: str) -> date | None:
    value = _text(args, name, 10)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _invalid(name, f"`{name}` must be a date like 2026-11-30.") from None


def _instant(args: Mapping[str, str], name: str) -> datetime | None:
    value = _text(args, name, 40)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise _invalid(name, f"`{name}` must be a date-time with its UTC offset, like 2026-11-30T15:00:00Z.") from None
    if moment.tzinfo is None:
        raise _invalid(name, f"`{name}` needs its UTC offset (Z or +hh:mm).")
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise _invalid(name, f"`{name}` is out of range.") from None


def _limit(args: Mapping[str, str]) -> int:
    value = _text(args, "limit", 10)
    if value is None:
        return DEFAULT_LIMIT
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise _invalid("limit", f"`limit` must be a whole number from 1 to {MAX_LIMIT}.")
    return int(value)


def encode_cursor(status: ReferralStatus) -> str:
    raw = f"{status.updated_at.astimezone(UTC).isoformat()}|{status.referral_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor(args: Mapping[str, str]) -> tuple[datetime, int] | None:
    value = _text(args, "cursor", 100)
    if value is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        moment, referral_id = raw.split("|")
        after = datetime.fromisoformat(moment)
        if after.tzinfo is None or not referral_id.isdigit():
            raise ValueError(raw)
        return after.astimezone(UTC), int(referral_id)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise _invalid("cursor", "`cursor` is not one this API gave: use the `next` link as it came.") from None


def parse_query(args: Mapping[str, str], *, paged: bool = True) -> ReferralQuery:
    """The filters (and for a page, ``limit`` and ``cursor``) from query parameters. Raises
    ``DomainError("invalid_parameter", field=…)`` for a value that cannot mean anything."""
    only = ReferralFilter(
        event_slug=_text(args, "event"),
        starts_from=_date(args, "event_from"),
        starts_until=_date(args, "event_to"),
    )
    if only.starts_from and only.starts_until and only.starts_from > only.starts_until:
        raise _invalid("event_to", "`event_to` is before `event_from`.")
    updated_since = _instant(args, "updated_since")
    if not paged:
        return ReferralQuery(only, updated_since)
    return ReferralQuery(only, updated_since, _cursor(args), _limit(args))


def _ordered(session: Session, organization: Organization, query: ReferralQuery) -> list[ReferralStatus]:
    found = referral_statuses(session, organization, query.only)
    if query.updated_since is not None:
        found = [s for s in found if s.updated_at >= query.updated_since]
    return sorted(found, key=lambda s: (s.updated_at, s.referral_id))


def referral_page(session: Session, organization: Organization, query: ReferralQuery) -> ReferralPage:
    """One page of ``organization``'s referrals matching ``query``, oldest change first."""
    found = _ordered(session, organization, query)
    if query.after is not None:
        found = [s for s in found if (s.updated_at, s.referral_id) > query.after]
    page = found[:query.limit]
    more = len(found) > query.limit
    return ReferralPage(page, encode_cursor(page[-1]) if more else None)


def find_referral(session: Session, organization: Organization, referral_id: int) -> ReferralStatus | None:
    """One of ``organization``'s referrals; None for any other (another partner's is unknown too)."""
    return next((s for s in referral_statuses(session, organization) if s.referral_id == referral_id), None)


CSV_HEADER = (
    "Referral id", "Event", "Event starts", "Name", "Registration", "Stage", "Referred at", "Registered at",
    "Cancelled at", "Checked in at", "Interviewed at", "Offered at", "Hired at", "Survey completed at",
    "Interviews", "Second interview", "Offers from", "Hired by", "Offer terms shared", "Offer positions",
    "Offer wages", "Offer start dates", "Shared credit", "Updated at",
)


def _terms_column(status: ReferralStatus, cell) -> str:
    return "; ".join(cell(o.terms) for o in status.offers if o.terms is not None)


def _wage(terms) -> str:
    if terms.wage_cents is None:
        return ""
    return f"{terms.wage_cents / 100:.2f}" + (f" per {terms.wage_unit.value}" if terms.wage_unit else "")


def csv_rows(session: Session, organization: Organization, query: ReferralQuery) -> bytes:
    """The referrals matching ``query`` as a spreadsheet-safe CSV, times in UTC with their zone."""
    def when(value: datetime | None) -> str:
        return spreadsheet.zoned_time(value, "UTC")

    rows = [
        (
            s.referral_id, s.event.name, when(s.event.starts_at), s.name, s.registration_status.value, s.stage.value,
            when(s.referred_at), when(s.registered_at), when(s.cancelled_at), when(s.checked_in_at),
            when(s.interviewed_at), when(s.offered_at), when(s.hired_at), when(s.survey_completed_at),
            s.interviews, "yes" if s.second_interview else "no",
            "; ".join(o.employer for o in s.offers), "; ".join(s.hired_by), "yes" if s.shares_offers else "no",
            _terms_column(s, lambda t: t.position or ""), _terms_column(s, _wage),
            _terms_column(s, lambda t: spreadsheet.day(t.start_date)),
            "yes" if s.shared else "no", when(s.updated_at),
        )
        for s in _ordered(session, organization, query)
    ]
    return spreadsheet.to_csv(CSV_HEADER, rows)


# --- Tokens ------------------------------------------------------------------------------------------


def api_tokens(session: Session, organization: Organization) -> list[AccessToken]:
    """The organization's partner API tokens, live ones first, newest first."""
    return list(session.scalars(
        select(AccessToken).where(AccessToken.scope == TokenScope.PARTNER_API,
                                  AccessToken.organization_id == organization.id)
        .order_by(AccessToken.revoked_at.is_not(None), AccessToken.created_at.desc(), AccessToken.id.desc())
    ).all())


def issue_api_token(
    session: Session, organization: Organization, name: str, *, actor: User | None = None
) -> tuple[AccessToken, str]:
    """A partner API token for ``organization`` (stored hashed: the secret is returned once). Like a
    partner's page link it has no expiry; staff revoke it."""
    token, secret = tokens.issue_token(session, TokenScope.PARTNER_API, name, organization=organization,
                                       created_by=actor)
    audit.record(session, "token.issue", actor_user=actor, obj=token, scope=TokenScope.PARTNER_API.value)
    return token, secret


def revoke_api_token(
    session: Session, organization: Organization, token_id: int, now: datetime, *, actor: User | None = None
) -> AccessToken:
    token = session.scalar(select(AccessToken).where(
        AccessToken.id == token_id, AccessToken.scope == TokenScope.PARTNER_API,
        AccessToken.organization_id == organization.id,
    ))
    if token is None:
        raise DomainError("unknown_token", "That token is not one of this partner's.")
    if token.revoked_at is None:
        tokens.revoke_token(session, token, now)
        audit.record(session, "token.revoke", actor_user=actor, obj=token, scope=TokenScope.PARTNER_API.value)
    return token
