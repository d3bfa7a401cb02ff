"""Check-in at the door, derived from the append-only scan log.

Every scan becomes one ``CheckIn`` row, failed ones too; whether someone is "checked in" (and
whether they are inside right now, with exit scans) is worked out from that log, never kept as a
flag. The scanner page, the JSON API and offline uploads all come through ``check_in()``.

Retries on bad Wi-Fi are safe: each scan carries a client nonce, unique in the database, and a
scan whose nonce is already logged gets the first answer back and writes nothing. Simultaneous
scans of one badge are serialised on the registration row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's write lock, taken up front by every view that writes), so they give one
check-in and the rest "already checked in"."""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from app.database import Prepared, Session
from app.models import (
    AccessToken,
    Booking,
    Candidate,
    CheckIn,
    CheckInKind,
    Event,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    User,
    badge_code_is,
)
from app.models.registration import full_name
from app.services import partner_events, registration as registrations
from app.services.badge_scan import badge_code_from, looks_like_badge_code
from app.services.errors import DomainError
from app.services.name_search import registrations_named
from app.services.tokens import Device

_NONCE_SHAPE = re.compile(r"^[\x21-\x7e]{1,64}$")
#: Scans a device may upload in one batch.
MAX_BATCH = 500
#: "Arrived in the last …" on the live counts.
RECENT = timedelta(minutes=15)
#: A device's scan time is trusted when it lies within this long of the event (before it starts or
#: after it ends); outside it, the clock is wrong (a phone at year 1 or 9999) and the scan is logged
#: at the time the server received it, with the device's time kept as sent.
PLAUSIBLE_MARGIN = timedelta(days=2)
#: Scans this close to the server's clock are plausible without looking at the event (the door online).
CLOSE_TO_NOW = timedelta(minutes=10)


class ScanStatus:
    """The answer to a scan (``status`` in the API)."""

    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    CHECKED_OUT = "checked_out"
    NOT_CHECKED_IN = "not_checked_in"
    UNKNOWN_CODE = "unknown_code"
    CANCELLED = "cancelled"
    #: On the waitlist: no place yet, so not let in (staff may admit them: ``admit()``).
    WAITLISTED = "waitlisted"
    WRONG_EVENT = "wrong_event"


#: HTTP status of each answer, as the API contract in DESIGN.md says.
HTTP_STATUS = {
    ScanStatus.CHECKED_IN: 201,
    ScanStatus.CHECKED_OUT: 201,
    ScanStatus.ALREADY_CHECKED_IN: 200,
    ScanStatus.NOT_CHECKED_IN: 409,
    ScanStatus.UNKNOWN_CODE: 404,
    ScanStatus.CANCELLED: 409,
    ScanStatus.WAITLISTED: 409,
    ScanStatus.WRONG_EVENT: 409,
}


@dataclass(frozen=True)
class Scanner:
    """Who scanned, as the log records them: a scanner device (its token), or a signed-in
    volunteer or staff member."""

    device_id: int | None = None
    user_id: int | None = None
    #: How answers name them: the device ("Door 2"), else the person.
    name: str | None = None

    @classmethod
    def of_device(cls, device: AccessToken | Device) -> "Scanner":
        return cls(device_id=device.id, name=device.name)

    @classmethod
    def of_user(cls, user: User) -> "Scanner":
        return cls(user_id=user.id, name=user.name)


@dataclass(frozen=True)
class Scan:
    """One scan as a device reports it."""

    code: str
    nonce: str
    #: The device's clock; None means "now" (a scan made on the server's page).
    scanned_at: datetime | None = None
    kind: CheckInKind = CheckInKind.ENTRY
    offline: bool = False
    #: The device's time as it sent it. ``scanned_at`` is None when it names a moment no date can
    #: hold in UTC (``0001-01-01T00:00:00+05:00``): an implausible time, logged as sent.
    sent_scanned_at: str | None = None


class Person(NamedTuple):
    """Whose badge was scanned, as the door shows them (plain columns: this is the hot path)."""

    registration_id: int
    event_id: int
    status: RegistrationStatus
    source: RegistrationSource
    first_name: str
    last_name: str
    #: Their live interview bookings.
    bookings: int

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)


class LoggedScan(NamedTuple):
    """A scan as it stands in the log (``CheckIn``), read or written as plain columns."""

    id: int
    event_id: int
    registration_id: int | None
    raw_code: str | None
    nonce: str
    kind: CheckInKind
    scanned_at: datetime
    is_duplicate: bool
    error_code: str | None
    #: The device's time as sent, when it was implausible (``scanned_at`` is then the receive time).
    scanned_at_as_sent: str | None = None


@dataclass(frozen=True)
class ScanResult:
    status: str
    checkin: LoggedScan
    #: Whose badge it was; None for an unknown code.
    person: Person | None
    #: When (and by which device or person) the person was first checked in, if ever.
    first_checked_in_at: datetime | None = None
    first_checked_in_by: str | None = None
    #: True when the nonce had been seen before: this is the first answer again, nothing was written.
    replayed: bool = False

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.status]

    @property
    def successful(self) -> bool:
        return self.status in (ScanStatus.CHECKED_IN, ScanStatus.CHECKED_OUT, ScanStatus.ALREADY_CHECKED_IN)

    @property
    def undoable(self) -> bool:
        """Can the volunteer take this scan back now (a check-in or check-out just made)?"""
        return self.status in (ScanStatus.CHECKED_IN, ScanStatus.CHECKED_OUT) and not self.replayed

    @property
    def interviews_booked(self) -> int:
        """Shown when someone comes in (or is already in), so the volunteer can send them on."""
        if self.person is None or self.status not in (ScanStatus.CHECKED_IN, ScanStatus.ALREADY_CHECKED_IN):
            return 0
        return self.person.bookings

    def as_json(self) -> dict:
        """The API's answer body."""
        body: dict = {
            "status": self.status,
            "nonce": self.checkin.nonce,
            "checkin_id": self.checkin.id,
            "kind": self.checkin.kind.value,
            "scanned_at": _iso(self.checkin.scanned_at),
            "replayed": self.replayed,
            "duplicate": self.checkin.is_duplicate,
            # The device's clock was far off: ``scanned_at`` is when the server received the scan.
            "clock_implausible": self.checkin.scanned_at_as_sent is not None,
        }
        if self.person is not None and self.status != ScanStatus.WRONG_EVENT:
            body["registration"] = {
                "first_name": self.person.first_name,
                "last_name": self.person.last_name,
                "name": self.person.full_name,
                "status": self.person.status.value,
                "source": self.person.source.value,
                "interviews_booked": self.interviews_booked,
            }
        if self.status == ScanStatus.WAITLISTED and self.person is not None:
            body["message"] = _(
                "%(name)s has no place yet. Staff can admit them: search their name and choose “Admit from "
                "waitlist”.",
                name=self.person.full_name,
            )
        if self.first_checked_in_at is not None:
            body["first_checked_in_at"] = _iso(self.first_checked_in_at)
            body["first_checked_in_by"] = self.first_checked_in_by
        return body


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- Reading what was scanned ---------------------------------------------------------------------


def _loggable_code(code: str, scanned: str) -> str:
    """What goes in ``raw_code`` for a scan that matched nothing: a code-shaped string as is,
    anything else only as a hash (it may be someone's licence or card)."""
    if looks_like_badge_code(code):
        return code
    return "sha256:" + hashlib.sha256(scanned.encode()).hexdigest()[:32]


def parse_scanned_at(value: object, now: datetime) -> datetime | None:
    """A device's ISO 8601 time with its offset (``Z`` allowed); missing means now. None for a
    well-formed time that no UTC date can hold (year 1 east of Greenwich, year 9999 west of it):
    the caller keeps it as sent and flags it."""
    if value is None or value == "":
        return now
    if not isinstance(value, str) or len(value) > 64:
        raise DomainError(
            "invalid_scanned_at", "scanned_at must be an ISO 8601 time with a UTC offset.", field="scanned_at"
        )
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise DomainError(
            "invalid_scanned_at", "scanned_at must be an ISO 8601 time with a UTC offset.", field="scanned_at"
        )
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        return None


_EVENT_TIMES = Prepared(
    select(Event.__table__.c.starts_at, Event.__table__.c.ends_at).where(
        Event.__table__.c.id == bindparam("event_id")
    )
)


def _trusted_scan_time(
    session: Session, event_id: int, scan: Scan, now: datetime
) -> tuple[datetime, str | None]:
    """When the scan happened as the log keeps it, and the device's time as sent when that was
    implausible (then the log keeps the receive time instead: a wrong clock can never put a scan
    at year 1 on a page, in an export or before someone's real entry)."""
    if scan.scanned_at is None and scan.sent_scanned_at is None:
        return now, None
    if scan.scanned_at is not None and abs(scan.scanned_at - now) <= CLOSE_TO_NOW:
        return scan.scanned_at, None
    if scan.scanned_at is not None:
        times = _EVENT_TIMES.first(session, {"event_id": event_id})
        if (
            times is not None
            and times[0] - PLAUSIBLE_MARGIN <= scan.scanned_at <= times[1] + PLAUSIBLE_MARGIN
        ):
            return scan.scanned_at, None
        return now, scan.sent_scanned_at or _iso(scan.scanned_at)
    return now, scan.sent_scanned_at


def _check_nonce(nonce: object) -> str:
    if not isinstance(nonce, str) or not _NONCE_SHAPE.match(nonce):
        raise DomainError(
            "invalid_nonce", "nonce must be 1–64 printable characters, unique per scan.", field="nonce"
        )
    return nonce


# --- The log, read --------------------------------------------------------------------------------
#
# A scan is the door's hot path: its statements are built once, on the tables rather than through
# the ORM, and run as ``Prepared`` statements on the driver's cursor (measured: the ORM's entity
# loading and unit of work cost about as much again as everything else in a scan, and the
# session's execution layer then about a fifth of a scan).

_CHECKINS = CheckIn.__table__
_UNDOING = _CHECKINS.alias("undoing")


def _not_undone():
    """The scan (a row of ``checkins`` in the enclosing query) has no undo. (The alias is made
    once: building it per query cost a millisecond.)"""
    return ~select(_UNDOING.c.id).where(_UNDOING.c.undoes_id == _CHECKINS.c.id).exists()


class ScanRef(NamedTuple):
    """A scan that counts for someone's presence, and who made it."""

    id: int
    kind: CheckInKind
    scanned_at: datetime
    #: The device's name ("Door 2"), else the volunteer's.
    scanned_by: str | None


_DEVICES, _USERS = AccessToken.__table__, User.__table__
#: One person's entry and exit scans that count (successful, not duplicates, not undone), oldest
#: first, with the name of whoever made each.
_COUNTING_SCANS = Prepared(
    select(
        _CHECKINS.c.id, _CHECKINS.c.kind, _CHECKINS.c.scanned_at,
        func.coalesce(_DEVICES.c.name, _USERS.c.name),
    )
    .select_from(
        _CHECKINS.outerjoin(_DEVICES, _DEVICES.c.id == _CHECKINS.c.device_token_id)
        .outerjoin(_USERS, _USERS.c.id == _CHECKINS.c.user_id)
    )
    .where(
        _CHECKINS.c.registration_id == bindparam("registration_id"),
        _CHECKINS.c.successful.is_(True),
        _CHECKINS.c.is_duplicate.is_(False),
        _CHECKINS.c.kind != CheckInKind.UNDO,  # entries and exits
        _not_undone(),
    )
    .order_by(_CHECKINS.c.scanned_at, _CHECKINS.c.id)
)


@dataclass(frozen=True)
class Presence:
    """One person's state at the door, derived from their scans."""

    first_entry: ScanRef | None
    #: The last entry or exit that counts (not undone, not a duplicate).
    last: ScanRef | None

    @property
    def checked_in(self) -> bool:
        return self.first_entry is not None

    @property
    def inside(self) -> bool:
        return self.last is not None and self.last.kind == CheckInKind.ENTRY


def presence(session: Session, registration_id: int) -> Presence:
    scans = [ScanRef(*row) for row in _COUNTING_SCANS.rows(session, {"registration_id": registration_id})]
    entries = [s for s in scans if s.kind == CheckInKind.ENTRY]
    return Presence(entries[0] if entries else None, scans[-1] if scans else None)


def _status_of(checkin: LoggedScan) -> str:
    """The answer a logged scan was given (used to answer a replayed nonce the same way)."""
    if checkin.error_code:
        return checkin.error_code
    if checkin.is_duplicate:
        return ScanStatus.ALREADY_CHECKED_IN
    return ScanStatus.CHECKED_OUT if checkin.kind == CheckInKind.EXIT else ScanStatus.CHECKED_IN


def _result(
    checkin: LoggedScan, person: Person | None, first_entry: ScanRef | None, *, replayed: bool
) -> ScanResult:
    """The answer for a logged scan, given the person's first entry as it stands with it."""
    status = _status_of(checkin)
    if person is None or person.event_id != checkin.event_id:
        first_entry = None
    if first_entry is not None and status not in (
        ScanStatus.ALREADY_CHECKED_IN, ScanStatus.CHECKED_IN, ScanStatus.CHECKED_OUT, ScanStatus.CANCELLED
    ):
        first_entry = None
    return ScanResult(
        status, checkin, person,
        first_entry.scanned_at if first_entry else None, first_entry.scanned_by if first_entry else None,
        replayed,
    )


# --- Scanning -------------------------------------------------------------------------------------


_REGISTRATIONS, _CANDIDATES, _BOOKINGS = Registration.__table__, Candidate.__table__, Booking.__table__
_PERSON = select(
    _REGISTRATIONS.c.id, _REGISTRATIONS.c.event_id, _REGISTRATIONS.c.status, _REGISTRATIONS.c.source,
    _CANDIDATES.c.first_name, _CANDIDATES.c.last_name,
    select(func.count())
    .where(_BOOKINGS.c.registration_id == _REGISTRATIONS.c.id, _BOOKINGS.c.cancelled_at.is_(None))
    .scalar_subquery(),
).select_from(_REGISTRATIONS.join(_CANDIDATES, _CANDIDATES.c.id == _REGISTRATIONS.c.candidate_id))
_HAS_CODE = badge_code_is(bindparam("code"))
_PERSON_BY_CODE = Prepared(_PERSON.where(_HAS_CODE))
#: The scanned person. Their registration row stays locked until commit, so simultaneous scans of
#: one badge queue here.
_SCANNED = Prepared(_PERSON.where(_HAS_CODE).with_for_update(of=_REGISTRATIONS))
_PERSON_BY_ID = Prepared(_PERSON.where(_REGISTRATIONS.c.id == bindparam("registration_id")))
_LOGGED = (
    _CHECKINS.c.id,
    _CHECKINS.c.event_id,
    _CHECKINS.c.registration_id,
    _CHECKINS.c.raw_code,
    _CHECKINS.c.nonce,
    _CHECKINS.c.kind,
    _CHECKINS.c.scanned_at,
    _CHECKINS.c.is_duplicate,
    _CHECKINS.c.error_code,
    _CHECKINS.c.scanned_at_as_sent,
)
_BY_NONCE = Prepared(
    select(*_LOGGED, _CHECKINS.c.device_token_id, _CHECKINS.c.user_id).where(
        _CHECKINS.c.nonce == bindparam("nonce")
    )
)
#: Logs a scan and returns its id, or nothing when its nonce is logged already (a retry): one
#: statement instead of a look then a write, and no failed INSERT to roll back.
_LOG = Prepared(
    {
        module.dialect.name: module.insert(_CHECKINS)
        .on_conflict_do_nothing(index_elements=["nonce"])
        .returning(_CHECKINS.c.id)
        for module in (postgresql, sqlite)
    }
)


def _person(session: Session, statement: Prepared, **params) -> Person | None:
    row = statement.first(session, params)
    return Person(*row) if row is not None else None


def _replay(session: Session, row: dict, scanned: Person | None) -> ScanResult | None:
    """The first answer again, if this nonce was logged before for the same scan: the same event,
    the same badge (or raw code) and the same device or person. A nonce logged for anything else
    is ``nonce_reused``: answering with another scan's result would silently drop this one.
    ``row`` is what this scan would have logged; ``scanned`` is whose badge it was."""
    found = _BY_NONCE.first(session, {"nonce": row["nonce"]})
    if found is None:
        return None
    earlier = LoggedScan(*found[:len(_LOGGED)])
    device_token_id, user_id = found[len(_LOGGED):]
    if earlier.event_id != row["event_id"]:
        raise DomainError(
            "nonce_reused",
            "This nonce was used for a scan at another event; make a new one per scan.",
            field="nonce",
        )
    same_scan = (
        (earlier.registration_id, earlier.raw_code, device_token_id, user_id)
        == (row["registration_id"], row["raw_code"], row["device_token_id"], row["user_id"])
    )
    if not same_scan:
        raise DomainError(
            "nonce_reused",
            "This nonce was already used for another scan (another badge or device); make a new one per "
            "scan.",
            field="nonce",
        )
    person = None
    if earlier.registration_id is not None:
        person = scanned if scanned and scanned.registration_id == earlier.registration_id else (
            _person(session, _PERSON_BY_ID, registration_id=earlier.registration_id)
        )
    elif earlier.error_code == ScanStatus.WRONG_EVENT:
        person = _person(session, _PERSON_BY_CODE, code=earlier.raw_code)
    first_entry = presence(session, person.registration_id).first_entry if person else None
    return _result(earlier, person, first_entry, replayed=True)


def check_in(
    session: Session, event_id: int, scan: Scan, scanner: Scanner, now: datetime,
) -> ScanResult:
    """Log one scan at the door of event ``event_id`` and say what it means.

    Entry scans: ``checked_in`` the first time (and on re-entry after an exit scan),
    ``already_checked_in`` while the person is inside (logged as a flagged duplicate);
    exit scans: ``checked_out``, or ``not_checked_in`` for someone not inside. A badge that is
    ``cancelled`` or ``waitlisted`` (entry scans: no place yet), of another event (``wrong_event``)
    or matches nothing (``unknown_code``) is logged as a failed scan. A nonce seen before returns the
    first answer and writes nothing. Raises ``DomainError`` for a malformed nonce or time. A scan
    never fails in the database, so a batch of scans shares one transaction."""
    nonce = _check_nonce(scan.nonce)
    if scan.kind == CheckInKind.UNDO:
        raise DomainError("invalid_kind", "kind must be entry or exit.", field="kind")
    code = badge_code_from(scan.code)
    if not code:
        raise DomainError("code_required", "Scan a badge or type its code.", field="code")

    scanned_at, as_sent = _trusted_scan_time(session, event_id, scan, now)
    person = _person(session, _SCANNED, code=code) if looks_like_badge_code(code) else None
    row: dict[str, Any] = {
        "event_id": event_id,
        "registration_id": None,
        "raw_code": None,
        "nonce": nonce,
        "kind": scan.kind,
        "scanned_at": scanned_at,
        "scanned_at_as_sent": as_sent,
        "received_at": now,
        "is_offline": scan.offline,
        "is_duplicate": False,
        "successful": True,
        "error_code": None,
        "undoes_id": None,
        "device_token_id": scanner.device_id,
        "user_id": scanner.user_id,
    }
    first_entry = None
    if person is None:
        row.update(
            raw_code=_loggable_code(code, scan.code), successful=False, error_code=ScanStatus.UNKNOWN_CODE
        )
    elif person.event_id != event_id:
        # Another event's badge: the composite foreign key keeps registration_id within this event.
        row.update(raw_code=code, successful=False, error_code=ScanStatus.WRONG_EVENT)
    else:
        row["registration_id"] = person.registration_id
        state = presence(session, person.registration_id)
        first_entry = state.first_entry
        if person.status == RegistrationStatus.CANCELLED:
            row.update(successful=False, error_code=ScanStatus.CANCELLED)
        elif person.status == RegistrationStatus.WAITLISTED and scan.kind == CheckInKind.ENTRY:
            row.update(successful=False, error_code=ScanStatus.WAITLISTED)
        elif scan.kind == CheckInKind.ENTRY and state.inside:
            row["is_duplicate"] = True
        elif scan.kind == CheckInKind.EXIT and not state.inside:
            row.update(successful=False, error_code=ScanStatus.NOT_CHECKED_IN)

    logged_row = _LOG.first(session, row)
    new_id = logged_row[0] if logged_row is not None else None
    if new_id is None:
        # The nonce was logged before (a retry; a concurrent one has committed by now): nothing
        # was written, and the first answer is the answer.
        replayed = _replay(session, row, person)
        if replayed is None:
            raise DomainError(
                "nonce_reused", "This nonce was already used; make a new one per scan.", field="nonce"
            )
        return replayed
    logged = LoggedScan(
        new_id, event_id, row["registration_id"], row["raw_code"], nonce, scan.kind, scanned_at,
        row["is_duplicate"], row["error_code"], as_sent,
    )
    if first_entry is None and _status_of(logged) == ScanStatus.CHECKED_IN:
        first_entry = ScanRef(new_id, scan.kind, scanned_at, scanner.name)
        partner_events.emit(
            session, row["registration_id"], partner_events.PartnerEvent.CHECKED_IN, scanned_at
        )
    return _result(logged, person, first_entry, replayed=False)


@dataclass(frozen=True)
class BatchItem:
    """One item of an offline upload: its answer, or the error that kept it out of the log."""

    nonce: str | None
    result: ScanResult | None = None
    error: DomainError | None = None


def check_in_batch(
    session: Session, event_id: int, items: object, scanner: Scanner, now: datetime, *, offline: bool = True
) -> list[BatchItem]:
    """Log a device's queued scans and answer each, in the order given. Scans are logged in badge
    order (then scan time), so two devices uploading at once lock people in the same order and
    cannot deadlock; a malformed item is answered with its error and the rest still count."""
    if not isinstance(items, list) or not items:
        raise DomainError("scans_required", "Send a non-empty list of scans.", field="scans")
    if len(items) > MAX_BATCH:
        raise DomainError("batch_too_large", f"Send at most {MAX_BATCH} scans at a time.", field="scans")
    runnable: list[tuple[int, Scan, str | None]] = []
    answers: dict[int, BatchItem] = {}
    for index, item in enumerate(items):
        nonce = item.get("nonce") if isinstance(item, dict) else None
        try:
            if not isinstance(item, dict):
                raise DomainError("invalid_scan", "Each scan is an object with code, nonce and scanned_at.")
            runnable.append((index, scan_from_json(item, now, offline=offline), nonce))
        except DomainError as error:
            answers[index] = BatchItem(nonce if isinstance(nonce, str) else None, error=error)

    # One badge's scans together (in whatever case they were typed), in the order they were made.
    runnable.sort(key=lambda p: (badge_code_from(p[1].code).lower(), p[1].scanned_at or now, p[0]))
    for index, scan, nonce in runnable:
        try:
            answers[index] = BatchItem(nonce, result=check_in(session, event_id, scan, scanner, now))
        except DomainError as error:
            answers[index] = BatchItem(nonce, error=error)
    return [answers[i] for i in range(len(items))]


def scan_from_json(body: object, now: datetime, *, offline: bool = False) -> Scan:
    """A ``Scan`` from an API body ``{"code", "nonce", "scanned_at", "kind"?}``."""
    if not isinstance(body, dict):
        raise DomainError("invalid_body", "Send a JSON object with code, nonce and scanned_at.")
    code, nonce = body.get("code"), body.get("nonce")
    if not isinstance(code, str) or not code.strip():
        raise DomainError("code_required", "Scan a badge or type its code.", field="code")
    if len(code) > 2000:
        raise DomainError("code_too_long", "That is not a badge code.", field="code")
    kind = body.get("kind", CheckInKind.ENTRY.value)
    if kind not in (CheckInKind.ENTRY.value, CheckInKind.EXIT.value):
        raise DomainError("invalid_kind", "kind must be entry or exit.", field="kind")
    is_offline = body.get("offline", offline)
    nonce = _check_nonce(nonce)
    scanned_at = parse_scanned_at(body.get("scanned_at"), now)
    return Scan(
        code=code,
        nonce=nonce,
        scanned_at=scanned_at,
        kind=CheckInKind(kind),
        offline=bool(is_offline),
        sent_scanned_at=body["scanned_at"].strip() if isinstance(body.get("scanned_at"), str) else None,
    )


def undo(
    session: Session, event: Event, checkin_id: int, nonce: str, scanner: Scanner, now: datetime
) -> CheckIn:
    """Cancel a mistaken entry or exit scan by appending an undo (nothing is deleted). Undoing the
    same scan again answers with the first undo."""
    nonce = _check_nonce(nonce)
    target = session.scalar(
        select(CheckIn).where(CheckIn.id == checkin_id, CheckIn.event_id == event.id)
    )
    if target is None or not target.successful or target.kind == CheckInKind.UNDO:
        raise DomainError("not_undoable", "Only a successful entry or exit scan can be undone.")
    if target.registration_id is not None:
        session.execute(
            select(Registration.id).where(Registration.id == target.registration_id).with_for_update()
        )
    earlier = session.scalar(select(CheckIn).where(CheckIn.undoes_id == target.id))
    if earlier is not None:
        return earlier
    row = CheckIn(
        event_id=event.id, registration_id=target.registration_id, raw_code=target.raw_code,
        scanned_at=now, received_at=now, nonce=nonce, kind=CheckInKind.UNDO, successful=True,
        undoes_id=target.id,
        device_token_id=scanner.device_id, user_id=scanner.user_id,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as clash:
        earlier = session.scalar(select(CheckIn).where(CheckIn.undoes_id == target.id))
        if earlier is None:
            raise DomainError(
                "nonce_reused", "This nonce was already used; make a new one per scan.", field="nonce"
            ) from clash
        return earlier
    return row


# --- Walk-ins -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WalkInOutcome:
    registration: Registration
    #: False when the person had registered before (same name and e-mail or phone: not doubled).
    created: bool
    scan: ScanResult
    #: The new registration's link, for its confirmation e-mail (None when they had registered).
    manage_token: str | None = None


def walk_in(
    session: Session,
    event: Event,
    details: registrations.RegistrationDetails,
    nonce: str,
    scanner: Scanner,
    now: datetime,
) -> WalkInOutcome:
    """Register someone at the door and check them in, in one step; they get a place even when the
    event is full (they are in the room). A person who had registered (same name and e-mail or
    phone) is found, not registered twice, and keeps their own links; a household member who
    shares the phone is registered in their own right."""
    outcome = registrations.register(
        session, event, details, now, source=RegistrationSource.WALK_IN, send_link_if_registered=False
    )
    result = check_in(session, event.id, Scan(outcome.registration.badge_code, nonce), scanner, now)
    return WalkInOutcome(outcome.registration, outcome.created, result, outcome.manage_token)


def admit(
    session: Session,
    event: Event,
    registration_id: int,
    nonce: str,
    scanner: Scanner,
    user: User,
    now: datetime,
) -> ScanResult:
    """A signed-in staff member or volunteer lets a waitlisted person in: they get a place (logged
    in the audit trail, with who did it) and are checked in."""
    registration = session.scalar(
        select(Registration).where(Registration.id == registration_id, Registration.event_id == event.id)
    )
    if registration is None:
        raise DomainError("unknown_registration", "No registration of this event has that number.")
    registrations.admit_from_waitlist(session, registration, now, actor=user)
    return check_in(session, event.id, Scan(registration.badge_code, nonce), scanner, now)


# --- Counts, search and the offline roster --------------------------------------------------------


def checked_in_count(session: Session, event_id: int) -> int:
    """How many people have a successful entry scan that was not undone."""
    return session.scalar(
        select(func.count(func.distinct(CheckIn.registration_id))).where(
            CheckIn.event_id == event_id,
            CheckIn.kind == CheckInKind.ENTRY,
            CheckIn.successful.is_(True),
            _not_undone(),
        )
    ) or 0


def checked_in_ids(event_id: int):
    """A SELECT of the registrations of ``event_id`` with an entry scan that counts (not undone)."""
    return select(CheckIn.registration_id).where(
        CheckIn.event_id == event_id,
        CheckIn.registration_id.is_not(None),
        CheckIn.kind == CheckInKind.ENTRY,
        CheckIn.successful.is_(True),
        _not_undone(),
    ).distinct()


@dataclass(frozen=True)
class LiveCounts:
    registered: int
    checked_in: int
    walk_ins: int
    last_15_minutes: int

    def as_json(self) -> dict:
        return {
            "registered": self.registered, "checked_in": self.checked_in,
            "walk_ins": self.walk_ins, "last_15_minutes": self.last_15_minutes,
        }


def live_counts(session: Session, event: Event, now: datetime) -> LiveCounts:
    """The door's numbers. Check-ins come from the log, so every device shows the same ones."""
    registered, walk_ins = session.execute(
        select(
            func.count().filter(Registration.status == RegistrationStatus.REGISTERED),
            func.count().filter(
                Registration.source == RegistrationSource.WALK_IN,
                Registration.status != RegistrationStatus.CANCELLED,
            ),
        ).where(Registration.event_id == event.id)
    ).one()
    recent = session.scalar(
        select(func.count(func.distinct(CheckIn.registration_id))).where(
            CheckIn.event_id == event.id,
            CheckIn.kind == CheckInKind.ENTRY,
            CheckIn.successful.is_(True),
            CheckIn.is_duplicate.is_(False),
            CheckIn.scanned_at >= now - RECENT,
            _not_undone(),
        )
    ) or 0
    return LiveCounts(registered or 0, checked_in_count(session, event.id), walk_ins or 0, recent)


@dataclass(frozen=True)
class Found:
    registration: Registration
    checked_in_at: datetime | None


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(session: Session, event: Event, query: str, *, limit: int = 8) -> list[Found]:
    """People registered for ``event`` by name (``name_search``), e-mail (from its start), the last
    4 digits of their phone, or the check-in number printed on their badge (for signed-in door and
    booth searches only: never as a scanned code). Cancelled registrations are included: the
    volunteer must see why someone cannot check in."""
    query = " ".join(query.split())[:100]
    number = registrations.checkin_number_in(query)
    if number is None and "@" not in query:
        return _found(session, _named(session, event, query, limit))
    if len(query) < 2 and number is None:
        return []
    statement = select(Registration).join(Registration.candidate).where(Registration.event_id == event.id)
    if number is not None:
        on_badge = Registration.checkin_number == number
        if len(query) == 4:  # four digits: a check-in number, or the end of a phone number
            on_badge = on_badge | Candidate.phone.like("%" + query)
        statement = statement.where(on_badge)
    else:
        statement = statement.where(Candidate.email.like(_like_prefix(query.lower()), escape="\\"))
    found = session.scalars(statement.order_by(Candidate.last_name, Candidate.first_name).limit(limit)).all()
    return _found(session, list(found))


def _named(session: Session, event: Event, query: str, limit: int) -> list[Registration]:
    people = (
        select(Registration.id, Candidate.first_name, Candidate.last_name)
        .join(Registration.candidate)
        .where(Registration.event_id == event.id)
    )
    ids = registrations_named(session, people, query, limit=limit)
    loaded = (
        {r.id: r for r in session.scalars(select(Registration).where(Registration.id.in_(ids)))}
        if ids
        else {}
    )
    return [loaded[i] for i in ids]


def _found(session: Session, found: list[Registration]) -> list[Found]:
    firsts = _first_entries(session, [r.id for r in found])
    return [Found(r, firsts.get(r.id)) for r in found]


def _first_entries(session: Session, registration_ids: list[int]) -> dict[int, datetime]:
    if not registration_ids:
        return {}
    rows = session.execute(
        select(CheckIn.registration_id, func.min(CheckIn.scanned_at))
        .where(
            CheckIn.registration_id.in_(registration_ids),
            CheckIn.kind == CheckInKind.ENTRY,
            CheckIn.successful.is_(True),
            _not_undone(),
        )
        .group_by(CheckIn.registration_id)
    )
    return {registration_id: first for registration_id, first in rows if registration_id is not None}


#: Hex digits of a badge code's SHA-256 that the offline roster keeps: 48 bits tell 2,500 badges
#: apart (two alike: about 1 in 90 million) and a made-up code matches one of them about once in
#: 10^11 tries. The server decides on upload, so a match offline only has to be right, not secret.
ROSTER_HASH_DIGITS = 12


def code_hash(badge_code: str) -> str:
    """How the offline roster names a badge: the start of the SHA-256 of its code in lower case
    (the code itself never leaves the server in bulk, so a lost phone holds no usable badges).
    The scanner page hashes what it reads the same way (``door-scanner.js``)."""
    return hashlib.sha256(badge_code.lower().encode()).hexdigest()[:ROSTER_HASH_DIGITS]


#: Registration statuses in the roster: one letter each; ``registered``, the usual, is left out.
_ROSTER_STATUS = {RegistrationStatus.WAITLISTED: "w", RegistrationStatus.CANCELLED: "x"}


def roster(session: Session, event: Event) -> list[list]:
    """Everyone registered for ``event``, for a scanner to check badges while offline, as short
    lists (2,500 people in about 30 kB compressed, ready in a few seconds on slow 3G):
    ``[code hash, first name + last initial]``, then the registration status letter (``""`` for
    registered, ``w`` waitlisted, ``x`` cancelled) and the first check-in in Unix seconds, each
    only when there is something to say. No e-mails, phones or full names."""
    rows = session.execute(
        select(
            Registration.id,
            Registration.badge_code,
            Registration.status,
            Candidate.first_name,
            Candidate.last_name,
        )
        .join(Registration.candidate)
        .where(Registration.event_id == event.id)
    ).all()
    firsts = dict(
        session.execute(
            select(CheckIn.registration_id, func.min(CheckIn.scanned_at))
            .where(
                CheckIn.event_id == event.id,
                CheckIn.kind == CheckInKind.ENTRY,
                CheckIn.successful.is_(True),
                _not_undone(),
            )
            .group_by(CheckIn.registration_id)
        ).all()
    )
    people = []
    for rid, code, status, first, last in rows:
        person: list = [code_hash(code), f"{first} {last[:1]}.".strip() if last else first]
        letter = _ROSTER_STATUS.get(RegistrationStatus(status), "")
        arrived = firsts.get(rid)
        if arrived is not None:
            person += [letter, int(arrived.timestamp())]
        elif letter:
            person.append(letter)
        people.append(person)
    return people


def first_entries_for_event(session: Session, event_id: int) -> dict[int, datetime]:
    """Everyone who attended ``event_id`` (a successful entry scan not undone) and when they first
    came in: what reports and the dashboard count as attendance."""
    rows = session.execute(
        select(CheckIn.registration_id, func.min(CheckIn.scanned_at))
        .where(
            CheckIn.event_id == event_id,
            CheckIn.registration_id.is_not(None),
            CheckIn.kind == CheckInKind.ENTRY,
            CheckIn.successful.is_(True),
            _not_undone(),
        )
        .group_by(CheckIn.registration_id)
    )
    return {registration_id: first for registration_id, first in rows if registration_id is not None}
