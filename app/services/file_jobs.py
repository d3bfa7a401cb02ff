"""Files made by the job worker (badge sheets, report PDFs): started from a page, made in the
background with progress, and kept in the database when finished, so whichever web host a poll
or a download reaches can answer it. Sheets hold names: a job and its file go after a day."""

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from app.database import Session
from app.models import Event, FileJob, FileJobStatus
from app.services.errors import DomainError

BADGE_SHEET = "badge_sheet"
REPORT = "report"
#: How long a job and its file are kept.
KEEP_FOR = timedelta(days=1)
#: A job still running this long after it started was lost with its worker.
LOST_AFTER = timedelta(minutes=15)


def start(session: Session, event: Event, kind: str, filename: str, now: datetime, *, total: int = 1,
          options: dict | None = None) -> FileJob:
    """Record a job to make; the caller commits, then ``enqueue``s it."""
    session.execute(delete(FileJob).where(FileJob.created_at < now - KEEP_FOR))
    job = FileJob(id=secrets.token_urlsafe(15), kind=kind, event_id=event.id, filename=filename,
                  options=options or {}, total=total, done=0, status=FileJobStatus.QUEUED, created_at=now)
    session.add(job)
    session.flush()
    return job


def enqueue(job_id: str) -> None:
    from app.jobs import make_file
    from app.queue import enqueue_safely

    enqueue_safely(make_file, job_id)


def find(session: Session, event: Event, job_id: str, now: datetime) -> FileJob | None:
    job = session.get(FileJob, job_id[:32])
    if job is None or job.event_id != event.id:
        return None
    if job.status == FileJobStatus.RUNNING and job.started_at and now - job.started_at > LOST_AFTER:
        job.status, job.error = (
            FileJobStatus.FAILED,
            "The worker stopped while making this file. Please start it again.",
        )
    return job


def finished(session: Session, event: Event, job_id: str, now: datetime) -> FileJob | None:
    """The job, if it is ``event``'s and its file is made (to download)."""
    job = find(session, event, job_id, now)
    return job if job is not None and job.status == FileJobStatus.FINISHED else None


def latest_finished(session: Session, event: Event, kind: str) -> FileJob | None:
    return session.scalar(
        select(FileJob).where(FileJob.event_id == event.id, FileJob.kind == kind,
                              FileJob.status == FileJobStatus.FINISHED)
        .order_by(FileJob.finished_at.desc()).limit(1)
    )


def run(session: Session, job_id: str, now: datetime) -> None:
    """The worker's half: make the file, reporting progress, and store it. Each write is a short
    transaction of its own, so the database is never held while the PDF renders."""
    job = session.get(FileJob, job_id)
    if job is None or job.status == FileJobStatus.FINISHED:
        session.rollback()
        return
    kind, event, options = job.kind, session.get_one(Event, job.event_id), dict(job.options)
    _set(session, job_id, status=FileJobStatus.RUNNING, started_at=now, error=None)
    try:
        content = _make(session, kind, event, options, job_id, now)
    except DomainError as error:
        _set(session, job_id, status=FileJobStatus.FAILED, error=str(error.message)[:200])
        return
    except Exception as error:
        current_app.logger.exception("file job %s failed", job_id)
        _set(session, job_id, status=FileJobStatus.FAILED,
             error=f"The file could not be made ({type(error).__name__}).")
        return
    session.execute(
        update(FileJob)
        .where(FileJob.id == job_id)
        .values(
            status=FileJobStatus.FINISHED,
            content=content,
            done=FileJob.total,
            finished_at=datetime.now(now.tzinfo),
        )
    )
    session.commit()


def _set(session: Session, job_id: str, **values) -> None:
    session.execute(update(FileJob).where(FileJob.id == job_id).values(**values))
    session.commit()


def _make(session: Session, kind: str, event: Event, options: dict, job_id: str, now: datetime) -> bytes:
    if kind == REPORT:
        from app.services import reports

        return reports.report_pdf(session, event, now)
    if kind == BADGE_SHEET:
        from app.formatting import local_date
        from app.services import badge_sheets

        base = options["base_url"]
        badges = badge_sheets.badges_for(session, event, lambda code: f"{base}/b/{code}")
        heading = badge_sheets.SheetHeading(event.name, local_date(event.starts_at, event.timezone),
                                            current_app.config["BOARD_NAME"])
        _set(session, job_id, total=len(badges) + 0, done=0)

        def progress(done: int) -> None:
            _set(session, job_id, done=done)

        return badge_sheets.badge_sheet_pdf(badges, heading, start_at=int(options.get("start_at", 1)),
                                            workers=int(current_app.config.get("BADGE_SHEET_WORKERS", 2)),
                                            on_progress=progress)
    raise DomainError("unknown_kind", f"No job makes {kind!r} files.")
