"""Exports of an event's records for staff, as CSV or .xlsx: registrations, check-ins, interviews
and offers. Each export is built once as a table (``Table``); ``services.spreadsheet`` makes it a
file that no spreadsheet runs as a formula, with every time in the event's zone, offset shown.

Contact columns respect consent: an e-mail address is exported only for people who agreed to be
e-mailed, a phone number only for people who agreed to text messages."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import AccessToken, CheckIn, Event, Interview, Participation, Referral, Registration, User
from app.services import checkin, spreadsheet
from app.services.spreadsheet import Cell, day

EXPORTS = ("registrations", "checkins", "interviews", "offers")


#: The file formats each export comes in.
FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    header: list[str]
    rows: Sequence[Sequence[Cell]]


def _local(value, zone: ZoneInfo) -> str:
    return spreadsheet.zoned_time(value, zone)


def _dollars(cents: int | None) -> Decimal | None:
    return Decimal(cents) / 100 if cents is not None else None


def registrations_table(session: Session, event: Event) -> Table:
    zone = ZoneInfo(event.timezone)
    registrations = session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id)
        .options(
            selectinload(Registration.candidate),
            selectinload(Registration.positions_of_interest),
            selectinload(Registration.referrals).selectinload(Referral.partnership),
        )
        .order_by(Registration.created_at, Registration.id)
    ).all()
    first_entries = checkin.first_entries_for_event(session, event.id)
    header = [
        "registration_id", "status", "source", "registered_at", "first_name", "last_name", "email", "phone",
        "zip_code", "language", "employment_status", "sectors_of_interest", "positions_of_interest",
        "referred_by", "checked_in_at", "accessibility_needs", "consent_email", "consent_sms",
    ]
    rows = [
        [
            r.id, r.status.value, r.source.value, _local(r.created_at, zone),
            r.candidate.first_name, r.candidate.last_name,
            r.candidate.email if r.consent_email else "", r.candidate.phone if r.consent_sms else "",
            r.candidate.zip_code or "", r.language.value, r.employment_status or "",
            ";".join(r.sectors_of_interest), ";".join(p.title for p in r.positions_of_interest),
            ";".join(ref.partnership.referral_code for ref in r.referrals),
            _local(first_entries.get(r.id), zone), r.accessibility_needs,
            "yes" if r.consent_email else "no", "yes" if r.consent_sms else "no",
        ]
        for r in registrations
    ]
    return Table(header, rows)


def checkins_table(session: Session, event: Event) -> Table:
    zone = ZoneInfo(event.timezone)
    scans = session.execute(
        select(CheckIn, AccessToken.name, User.name)
        .outerjoin(AccessToken, AccessToken.id == CheckIn.device_token_id)
        .outerjoin(User, User.id == CheckIn.user_id)
        .where(CheckIn.event_id == event.id)
        .order_by(CheckIn.scanned_at, CheckIn.id)
    ).all()
    header = ["scan_id", "scanned_at", "received_at", "kind", "successful", "error_code", "registration_id",
              "device", "volunteer", "offline", "duplicate", "undoes_scan_id"]
    rows = [
        [
            s.id,
            _local(s.scanned_at, zone),
            _local(s.received_at, zone),
            s.kind.value,
            "yes" if s.successful else "no",
            s.error_code or "",
            s.registration_id or "",
            device or "",
            volunteer or "",
            "yes" if s.is_offline else "no",
            "yes" if s.is_duplicate else "no",
            s.undoes_id or "",
        ]
        for s, device, volunteer in scans
    ]
    return Table(header, rows)


def _interviews(session: Session, event: Event, offers_only: bool) -> list[Interview]:
    query = (
        select(Interview)
        .join(Interview.participation)
        .where(Participation.event_id == event.id)
        .options(
            selectinload(Interview.participation).selectinload(Participation.organization),
            selectinload(Interview.registration).selectinload(Registration.candidate),
            selectinload(Interview.position),
        )
        .order_by(Interview.queued_at, Interview.id)
    )
    if offers_only:
        query = query.where(Interview.offered_clause())
    return list(session.scalars(query))


def interviews_table(session: Session, event: Event, *, offers_only: bool = False) -> Table:
    zone = ZoneInfo(event.timezone)
    header = [
        "interview_id", "employer", "table", "registration_id", "first_name", "last_name", "source",
        "queued_at", "started_at", "outcome", "recorded_at", "position", "offer_wage", "offer_wage_unit",
        "offer_start_date", "offer_conditions", "second_interview_at", "second_interview_place",
        "hire_status", "hired_start_date", "offer_after_event_at",
        # The funnel's reading of each interview (the outcome kinds on the model), as yes/no.
        "held", "offered", "hired",
    ]
    rows = [
        [
            i.id, i.participation.organization.name, i.participation.table_number or "", i.registration_id,
            i.registration.candidate.first_name, i.registration.candidate.last_name, i.source.value,
            _local(i.queued_at, zone), _local(i.started_at, zone), i.outcome.value if i.outcome else "",
            _local(i.recorded_at, zone), i.position.title if i.position else "", _dollars(i.offer_wage_cents),
            i.offer_wage_unit.value if i.offer_wage_unit else "",
            day(i.offer_start_date), ";".join(i.offer_conditions),
            _local(i.second_interview_at, zone), i.second_interview_place or "",
            i.hire_status.value if i.hire_status else "",
            day(i.hired_start_date), _local(i.later_offer_at, zone),
            *("yes" if flag else "no" for flag in (i.held, i.offered, i.hired)),
        ]
        for i in _interviews(session, event, offers_only)
    ]
    return Table(header, rows)


def export_table(session: Session, event: Event, kind: str) -> Table:
    """The rows of export ``kind`` (one of ``EXPORTS``)."""
    if kind == "registrations":
        return registrations_table(session, event)
    if kind == "checkins":
        return checkins_table(session, event)
    return interviews_table(session, event, offers_only=kind == "offers")


def export_file(session: Session, event: Event, kind: str, file_format: str) -> tuple[bytes, int]:
    """Export ``kind`` as a ``file_format`` file (one of ``FORMATS``) and how many rows it holds."""
    table = export_table(session, event, kind)
    if file_format == "xlsx":
        return spreadsheet.to_xlsx(table.header, table.rows, sheet=kind), len(table.rows)
    return spreadsheet.to_csv(table.header, table.rows), len(table.rows)
