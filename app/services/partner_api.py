"""The partner API's reading of a partner's referrals: filters, ``updated_since`` polling and
paging over ``services.partner_view`` (the one definition of what a partner sees), and the same
rows as a CSV. A partner's own systems call it with a ``partner_api`` token.

Referrals come oldest change first (``updated_at``, then id). A page ends where the next begins,
by those two values: the ``next`` link asks for ``updated_since`` = the last ``updated_at`` and
``after_id`` = the last id, so a referral changed while a partner pages moves to the end and is
read there, never skipped. A partner that polls with the latest ``updated_at`` it has seen misses
nothing; it may see a referral again (the bound is inclusive) and keeps the newest copy by id.

Every value the OpenAPI document allows means something (a date before any event, a time in
year 0 or 9999: nothing earlier or later); anything else is a clear 400 naming the parameter."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.database import Session
from app.models import AccessToken, Organization, TokenScope, User
from app.services import audit, spreadsheet, tokens
from app.services.errors import DomainError
from app.services.partner_view import OfferTerms, ReferralFilter, ReferralStatus, referral_statuses

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: The largest id a referral can have (a 64-bit column), and so the largest ``after_id``.
MAX_ID = 2**63 - 1
#: Query parameters the list and the CSV read (the list also reads ``limit``); others are ignored.
FILTERS = ("event", "event_from", "event_to", "updated_since", "after_id")

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
#: RFC 3339, as the OpenAPI ``date-time`` format means it (``datetime.fromisoformat`` takes more).
_INSTANT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))", re.ASCII
)
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ReferralQuery:
    only: ReferralFilter
    #: Referrals changed at or after this time (after ``(updated_since, after_id)`` with ``after_id``).
    updated_since: datetime | None = None
    after_id: int | None = None
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class ReferralPage:
    referrals: list[ReferralStatus]
    #: Where the next page starts, as ``(updated_since, after_id)``; None on the last page.
    next_start: tuple[datetime, int] | None


def _invalid(field: str, message: str) -> DomainError:
    return DomainError("invalid_parameter", message, field=field)


def _text(args: Mapping[str, str], name: str, max_length: int) -> str | None:
    value = args.get(name)
    if value is not None and (len(value) > max_length or "\x00" in value):
        raise _invalid(name, f"`{name}` is too long or not text.")
    return value


def _date(args: Mapping[str, str], name: str) -> date | None:
    value = _text(args, name, 10)
    if value is None:
        return None
    match = _DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = (int(part) for part in match.groups())
        return date(max(year, 1), month, day)
    except ValueError:
        raise _invalid(name, f"`{name}` must be a date like 2026-11-30.") from None


def _instant(args: Mapping[str, str], name: str) -> datetime | None:
    value = _text(args, name, 64)
    if value is None:
        return None
    match = _INSTANT.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        return _utc(*match.groups())
    except ValueError:
        raise _invalid(
            name, f"`{name}` must be a date-time with its UTC offset, like 2026-11-30T15:00:00Z."
        ) from None


def _utc(
    year: str, month: str, day: str, hour: str, minute: str, second: str,
    fraction: str | None, sign: str | None, offset_hours: str | None, offset_minutes: str | None,
) -> datetime:
    """The instant in UTC; one beyond what a datetime holds (year 0, or 9999 west of UTC) is the
    earliest or latest there is. A leap second (``:60``) is the second after ``:59``."""
    leap = second == "60"
    local = datetime(
        max(int(year), 1),
        int(month),
        int(day),
        int(hour),
        int(minute),
        59 if leap else int(second),
        int((fraction or "0")[:6].ljust(6, "0")),
        tzinfo=UTC,  # the wall time at the offset, moved to UTC below
    )
    if int(year) == 0:
        return _EARLIEST
    offset = timedelta(hours=int(offset_hours or 0), minutes=int(offset_minutes or 0)) * (
        -1 if sign == "-" else 1
    )
    if offset >= timedelta(days=1):
        raise ValueError("offset")
    try:
        return (local - offset + timedelta(seconds=leap)).replace(tzinfo=UTC)
    except OverflowError:
        return _EARLIEST if offset > timedelta(0) else _LATEST


def _whole_number(args: Mapping[str, str], name: str, low: int, high: int | None = None) -> int | None:
    value = _text(args, name, 20)
    if value is None:
        return None
    if (
        not value.isascii()
        or not value.isdigit()
        or int(value) < low
        or (high is not None and int(value) > high)
    ):
        limits = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise _invalid(name, f"`{name}` must be a whole number {limits}.")
    return int(value)


def parse_query(args: Mapping[str, str], *, paged: bool = True) -> ReferralQuery:
    """The filters (and for a page, ``limit``) from query parameters. Raises
    ``DomainError("invalid_parameter", field=…)`` for a value that cannot mean anything."""
    only = ReferralFilter(
        event_slug=_text(args, "event", 200) or None,
        starts_from=_date(args, "event_from"),
        starts_until=_date(args, "event_to"),
    )
    updated_since, after_id = _instant(args, "updated_since"), _whole_number(args, "after_id", 0, MAX_ID)
    limit = _whole_number(args, "limit", 1, MAX_LIMIT) if paged else None
    return ReferralQuery(only, updated_since, after_id, limit or DEFAULT_LIMIT)


def _changed_since(status: ReferralStatus, query: ReferralQuery) -> bool:
    if query.updated_since is None:
        return True
    if query.after_id is None:
        return status.updated_at >= query.updated_since
    return (status.updated_at, status.referral_id) > (query.updated_since, query.after_id)


def _ordered(session: Session, organization: Organization, query: ReferralQuery) -> list[ReferralStatus]:
    found = [s for s in referral_statuses(session, organization, query.only) if _changed_since(s, query)]
    return sorted(found, key=lambda s: (s.updated_at, s.referral_id))


def referral_page(session: Session, organization: Organization, query: ReferralQuery) -> ReferralPage:
    """One page of ``organization``'s referrals matching ``query``, oldest change first."""
    found = _ordered(session, organization, query)
    page = found[:query.limit]
    last = page[-1] if len(found) > query.limit else None
    return ReferralPage(page, (last.updated_at, last.referral_id) if last else None)


def find_referral(session: Session, organization: Organization, referral_id: int) -> ReferralStatus | None:
    """One of ``organization``'s referrals; None for any other (another partner's is unknown too)."""
    return next((s for s in referral_statuses(session, organization) if s.referral_id == referral_id), None)


CSV_HEADER = (
    "Referral id", "Event", "Event starts", "Name", "Registration", "Stage", "Referred at", "Registered at",
    "Cancelled at", "Checked in at", "Interviewed at", "Offered at", "Hired at", "Survey completed at",
    "Interviews", "Second interview", "Offers from", "Hired by", "Offer terms shared", "Offer positions",
    "Offer wages", "Offer start dates", "Shared credit", "Updated at",
)


def _terms_column(status: ReferralStatus, cell: Callable[[OfferTerms], str]) -> str:
    return "; ".join(cell(o.terms) for o in status.offers if o.terms is not None)


def _wage(terms: OfferTerms) -> str:
    if terms.wage_cents is None:
        return ""
    return f"{terms.wage_cents / 100:.2f}" + (f" per {terms.wage_unit.value}" if terms.wage_unit else "")


def csv_rows(session: Session, organization: Organization, query: ReferralQuery) -> bytes:
    """The referrals matching ``query`` as a spreadsheet-safe CSV, times in UTC with their zone."""
    def when(value: datetime | None) -> str:
        return spreadsheet.zoned_time(value, "UTC")

    rows = [
        (
            s.referral_id,
            s.event.name,
            when(s.event.starts_at),
            s.name,
            s.registration_status.value,
            s.stage.value,
            when(s.referred_at),
            when(s.registered_at),
            when(s.cancelled_at),
            when(s.checked_in_at),
            when(s.interviewed_at),
            when(s.offered_at),
            when(s.hired_at),
            when(s.survey_completed_at),
            s.interviews,
            "yes" if s.second_interview else "no",
            "; ".join(o.employer for o in s.offers),
            "; ".join(s.hired_by),
            "yes" if s.shares_offers else "no",
            _terms_column(s, lambda t: t.position or ""),
            _terms_column(s, _wage),
            _terms_column(s, lambda t: spreadsheet.day(t.start_date)),
            "yes" if s.shared else "no",
            when(s.updated_at),
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
