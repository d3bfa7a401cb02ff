"""Importing a partner's list of pre-screened candidates from a CSV file.

First a preview: every row is checked the way the registration form checks a person, and each
problem is reported with its line, column and message. Then the import, on the job worker a batch
of rows at a time with its progress on the page: the valid rows are registered, credited to the
partner; someone already registered is merged (the partner gets credit, nothing is doubled). A
worker restarted halfway carries on after the last batch it committed."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from app.database import Session
from app.models import BatchJob, Event, Language, Partnership, RegistrationSource, User
from app.services import audit, batch_jobs
from app.services.batch_jobs import Step
from app.services.contact import normalize_email, normalize_phone, normalize_zip
from app.services.errors import DomainError
from app.services.registration import RegistrationDetails, RegistrationOutcome, register
from app.services.registration_mail import notice_for, send_notice

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED_COLUMNS = ("first_name", "last_name", "consent")
KNOWN_COLUMNS = (
    "first_name", "last_name", "email", "phone", "zip_code", "language", "consent", "accessibility_needs",
)
#: Headers people actually type, mapped to ours.
ALIASES = {
    "first name": "first_name", "firstname": "first_name", "given name": "first_name",
    "last name": "last_name", "lastname": "last_name", "surname": "last_name", "family name": "last_name",
    "e-mail": "email", "email address": "email", "mobile": "phone", "mobile phone": "phone", "cell": "phone",
    "phone number": "phone", "zip": "zip_code", "zip code": "zip_code", "zipcode": "zip_code",
    "postal code": "zip_code", "consent to share": "consent", "accommodations": "accessibility_needs",
}
YES = {"yes", "y", "true", "1", "x", "sí", "si"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class RowProblem:
    line: int
    column: str
    message: str


@dataclass
class ImportRow:
    line: int
    details: RegistrationDetails | None
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    #: Problems with the file itself (encoding, headers, size).
    file_problems: list[str] = field(default_factory=list)

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def problems(self) -> list[RowProblem]:
        return [problem for row in self.rows for problem in row.problems]


def decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel adds), else Windows-1252, which Excel also writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _column(header: str) -> str:
    name = header.strip().lower().replace("_", " ")
    return ALIASES.get(name, name.replace(" ", "_"))


def _check_row(line: int, values: dict[str, str]) -> ImportRow:
    problems: list[RowProblem] = []

    def check(column: str, normalize) -> str:
        raw = values.get(column, "").strip()
        if not raw:
            return ""
        try:
            normalize(raw)
        except DomainError as error:
            problems.append(RowProblem(line, column, str(error.message)))
        return raw

    first, last = values.get("first_name", "").strip(), values.get("last_name", "").strip()
    for column, value in (("first_name", first), ("last_name", last)):
        if not value:
            problems.append(RowProblem(line, column, "Required."))
        elif len(value) > 100:
            problems.append(RowProblem(line, column, "Longer than 100 characters."))
    email = check("email", normalize_email)
    phone = check("phone", normalize_phone)
    zip_code = check("zip_code", normalize_zip)
    if not email and not phone:
        problems.append(RowProblem(line, "email", "Give an email or a phone number."))
    consent = values.get("consent", "").strip().lower()
    if consent not in YES:
        message = (
            "Must be yes: the person agreed to share their profile with employers."
            if consent in NO
            else (f"Write yes or no, not {values.get('consent', '').strip()!r}.")
        )
        problems.append(RowProblem(line, "consent", message))
    language = values.get("language", "").strip().lower()[:2] or "en"
    if language not in (Language.EN.value, Language.ES.value):
        problems.append(RowProblem(line, "language", "Use en or es."))
    if problems:
        return ImportRow(line, None, problems)
    details = RegistrationDetails(
        first_name=first, last_name=last, email=email, phone=phone, zip_code=zip_code,
        language=Language(language), consent_share_profile=True,
        accessibility_needs=values.get("accessibility_needs", "").strip(),
    )
    return ImportRow(line, details)


def preview(data: bytes) -> ImportPreview:
    """Check a CSV file without writing anything."""
    if len(data) > MAX_BYTES:
        return ImportPreview([], [f"The file is larger than {MAX_BYTES // 1024 // 1024} MB; split it."])
    reader = csv.reader(io.StringIO(decode(data)))
    try:
        header = [_column(h) for h in next(reader)]
    except StopIteration:
        return ImportPreview([], ["The file is empty."])
    except csv.Error as error:
        return ImportPreview([], [f"This is not a CSV file we can read ({error})."])
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing or not ({"email", "phone"} & set(header)):
        expected = ", ".join(REQUIRED_COLUMNS) + " and email or phone"
        return ImportPreview(
            [],
            [
                f"The first line must name the columns: {expected}. Missing: "
                f"{', '.join(missing) or 'email/phone'}."
            ],
        )
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                return ImportPreview(rows, [f"More than {MAX_ROWS} rows; split the file."])
            row = _check_row(line, dict(zip(header, values, strict=False)))
            if row.ok:
                row = _flag_repeat(row, seen)
            rows.append(row)
    except csv.Error as error:
        return ImportPreview(rows, [f"Line {reader.line_num} cannot be read ({error})."])
    return ImportPreview(rows)


def _flag_repeat(row: ImportRow, seen: dict[str, int]) -> ImportRow:
    """The same person twice in one file is merged too; the preview says so."""
    details = row.details
    if details is None:
        return row
    keys = [k for k in (normalize_email(details.email) if details.email else "",
                        normalize_phone(details.phone) if details.phone else "") if k]
    for key in keys:
        if key in seen:
            row.problems.append(RowProblem(row.line, "email" if "@" in key else "phone",
                                           f"Same person as line {seen[key]}; they are imported once."))
            row.details = None
            return row
    for key in keys:
        seen[key] = row.line
    return row


# --- The import, on the job worker (``services.batch_jobs``) ----------------------------------------

IMPORT = "partner_import"
#: Rows per batch: a batch's registrations (and their e-mails) commit together. On SQLite a batch
#: holds the write lock while it registers, so registrations and check-ins never wait long.
BATCH = 50
#: Files checked in this process, by job: a worker parses a job's file once, not once per batch.
_PARSED = "hireday_partner_import_rows"


def start_import(session: Session, event: Event, partnership: Partnership, csv_text: str, now: datetime, *,
                 send_email: bool, actor: User | None = None) -> BatchJob:
    """Start importing the file's valid rows for ``event``, credited to ``partnership`` (and, with
    ``send_email``, e-mailing each new person their link and badge); the worker does it once the
    caller commits. The file is checked again there, row by row as in the preview."""
    return batch_jobs.start(session, event, IMPORT, now, actor=actor, payload=csv_text,
                            options={"partnership_id": partnership.id, "send_email": send_email})


def _rows(session: Session, job: BatchJob) -> list[ImportRow]:
    parsed = session.info.setdefault(_PARSED, {})
    if job.id not in parsed:
        parsed[job.id] = preview((job.payload or "").encode()).rows
    return parsed[job.id]


def import_row(session: Session, event: Event, partnership: Partnership, row: ImportRow, now: datetime, *,
               send_email: bool) -> RegistrationOutcome:
    """Register one valid row credited to ``partnership``; someone already registered is merged
    (the partner gets credit, nothing is doubled). Flushes only."""
    details = row.details
    if details is None:
        raise ValueError(f"line {row.line} is not a valid row")
    details.referral_code = partnership.referral_code
    outcome = register(session, event, details, now, source=RegistrationSource.PARTNER_IMPORT,
                       send_link_if_registered=False)
    if outcome.created and send_email:
        send_notice(outcome.registration, notice_for(outcome), outcome.manage_token)
    return outcome


def _import_batch(session: Session, job: BatchJob, now: datetime) -> Step | None:
    rows = _rows(session, job)[job.cursor:job.cursor + BATCH]
    if not rows:
        return None
    event = session.get_one(Event, job.event_id)
    partnership = session.get(Partnership, job.options["partnership_id"])
    if partnership is None or partnership.event_id != event.id:
        raise DomainError("no_partner", "The partner was removed from this event; nothing more was imported.")
    counts: Counter[str] = Counter()
    for row in rows:
        if not row.ok:
            counts["skipped"] += 1
            continue
        outcome = import_row(
            session, event, partnership, row, now, send_email=bool(job.options.get("send_email"))
        )
        counts["created" if outcome.created else "merged"] += 1
    return Step(job.cursor + len(rows), len(rows), dict(counts))


def _row_count(session: Session, job: BatchJob) -> int:
    return len(_rows(session, job))


def _finish(session: Session, job: BatchJob) -> None:
    session.info.get(_PARSED, {}).pop(job.id, None)
    audit.record(
        session,
        "registration.import",
        actor_user=batch_jobs.actor_of(session, job),
        obj=session.get(Partnership, job.options["partnership_id"]),
        event_id=job.event_id,
        created=job.counts.get("created", 0),
        merged=job.counts.get("merged", 0),
        skipped=job.counts.get("skipped", 0),
    )


def import_summary(job: BatchJob) -> str:
    counts = job.counts
    return (
        f"Imported {counts.get('created', 0):,} new registrations; {counts.get('merged', 0):,} already "
        "registered "
        f"(credited to the partner); {counts.get('skipped', 0):,} rows skipped."
    )


IMPORT_JOB = batch_jobs.Kind(
    _row_count, _import_batch, _finish, import_summary, "Importing the partner's candidates"
)
