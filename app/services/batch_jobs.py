"""Batched work staff start from a page and the job worker does: e-mailing a survey to its people,
importing a partner's list. The page answers at once; the worker does the work a batch at a time,
and the page shows how far it has got.

Each batch commits together with the job's cursor and counts, so a worker killed halfway loses
nothing: the job is queued again (``resume_stalled``, every minute, or staff pressing "carry on")
and starts after the last committed batch. Two workers running one job take turns at the job's
row (each batch reads the cursor under a lock), so no batch is done twice.

What a kind of job does is a row of ``kinds()``: how many items it has, and its next batch."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, event as sa_event, orm, select

from app.database import Session
from app.models import BatchJob, Event, FileJobStatus, User
from app.services.errors import DomainError

#: A job whose last batch committed this long ago (or that no worker took) lost its worker.
STALLED_AFTER = timedelta(minutes=3)
#: Ended jobs are kept this long (their counts, for the pages), then deleted.
KEEP_FOR = timedelta(days=30)
_PENDING = "hireday_batch_jobs_pending"
_COMMITTED = "hireday_batch_jobs_committed"


@dataclass(frozen=True)
class Step:
    """One batch done: where the next starts, how many items it covered, and what came of them."""

    cursor: int
    items: int
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    #: How many items the job covers, counted when it starts.
    size: Callable[[Session, BatchJob], int]
    #: The next batch after ``job.cursor`` (flushed, not committed), or None when nothing is left.
    step: Callable[[Session, BatchJob, datetime], Step | None]
    #: After the last batch, in its transaction: the audit trail's record of the whole run.
    finish: Callable[[Session, BatchJob], None]
    #: What came of a finished job, for staff.
    summary: Callable[[BatchJob], str]
    #: What the job is doing, for its progress bar ("Sending the post-event survey").
    label: str


def kinds() -> dict[str, Kind]:
    """Every kind of batch job, by name."""
    from app.services import employer_surveys, partner_import, survey_distribution

    return {
        survey_distribution.INVITATIONS: survey_distribution.INVITATION_JOB,
        survey_distribution.REMINDERS: survey_distribution.REMINDER_JOB,
        employer_surveys.INVITATIONS: employer_surveys.INVITATION_JOB,
        partner_import.IMPORT: partner_import.IMPORT_JOB,
    }


def start(session: Session, event: Event, kind: str, now: datetime, *, actor: User | None = None,
          options: dict | None = None, payload: str | None = None) -> BatchJob:
    """Record a job (flushed); once the caller commits, ``dispatch`` puts it on the queue (the web
    layer does after each request)."""
    ended = (FileJobStatus.FINISHED, FileJobStatus.FAILED)
    session.execute(delete(BatchJob).where(BatchJob.created_at < now - KEEP_FOR, BatchJob.status.in_(ended)))
    job = BatchJob(id=secrets.token_urlsafe(15), kind=kind, event_id=event.id,
                   actor_id=actor.id if actor else None, status=FileJobStatus.QUEUED, options=options or {},
                   payload=payload, cursor=0, done=0, total=0, counts={}, created_at=now)
    session.add(job)
    session.flush()
    job.total = kinds()[kind].size(session, job)
    session.flush()
    session.info.setdefault(_PENDING, []).append(job.id)
    return job


@sa_event.listens_for(orm.Session, "after_commit")
def _committed(session: orm.Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_COMMITTED, []).extend(pending)


@sa_event.listens_for(orm.Session, "after_rollback")
def _rolled_back(session: orm.Session) -> None:
    session.info.pop(_PENDING, None)


def dispatch(session: Session) -> int:
    """Queue each job committed since the last call (a job the queue cannot take now is queued
    again by ``resume_stalled``). Returns how many."""
    committed = session.info.pop(_COMMITTED, None) or []
    for job_id in committed:
        enqueue(job_id)
    return len(committed)


def enqueue(job_id: str) -> bool:
    from app.jobs import run_batch_job
    from app.queue import enqueue_safely

    return enqueue_safely(run_batch_job, job_id)


def find(session: Session, event: Event, job_id: str) -> BatchJob | None:
    job = session.get(BatchJob, job_id[:32])
    return job if job is not None and job.event_id == event.id else None


def latest(session: Session, event: Event, kind_names: tuple[str, ...]) -> BatchJob | None:
    """The event's most recent job of these kinds (what a page shows progress of)."""
    return session.scalar(
        select(BatchJob).where(BatchJob.event_id == event.id, BatchJob.kind.in_(kind_names))
        .order_by(BatchJob.created_at.desc(), BatchJob.id).limit(1)
    )


def carry_on(session: Session, job: BatchJob) -> None:
    """Staff: run a failed job again from where it stopped (flushed; commit, then ``enqueue``)."""
    if job.status != FileJobStatus.FAILED:
        raise DomainError("not_failed", "That job has not stopped.")
    job.status, job.error = FileJobStatus.QUEUED, None
    session.flush()


def summary(job: BatchJob) -> str:
    return kinds()[job.kind].summary(job)


def label(job: BatchJob) -> str:
    return kinds()[job.kind].label


def run(session: Session, job_id: str, clock: Callable[[], datetime]) -> None:
    """The worker's half: batch after batch, each committed with the job's progress, until nothing
    is left. A batch's domain error stops the job with its message (the batches before it stay)."""
    from app.database import writing
    from app.services import outbound

    while True:
        with writing():
            job = session.get(BatchJob, job_id, with_for_update=True, populate_existing=True)
            if job is None or not job.running:
                session.rollback()
                return
            now = clock()
            if job.status == FileJobStatus.QUEUED:
                job.status, job.started_at = FileJobStatus.RUNNING, job.started_at or now
            kind = kinds()[job.kind]
            try:
                step = kind.step(session, job, now)
            except DomainError as error:
                session.rollback()
                _stop(session, job_id, str(error.message), now)
                return
            except Exception as error:
                session.rollback()
                current_app.logger.exception("batch job %s failed", job_id)
                _stop(session, job_id, f"The job stopped ({type(error).__name__}). Carry on to finish it.",
                      now)
                return
            job.heartbeat_at = now
            if step is None:
                job.status, job.finished_at, job.payload = FileJobStatus.FINISHED, now, None
                kind.finish(session, job)
            else:
                _advance(job, step)
            session.commit()
        outbound.dispatch(session)
        if step is None:
            return


def _advance(job: BatchJob, step: Step) -> None:
    job.cursor = step.cursor
    job.done = min(job.total, job.done + step.items)
    merged = dict(job.counts)
    for name, count in step.counts.items():
        merged[name] = merged.get(name, 0) + count
    job.counts = merged


def _stop(session: Session, job_id: str, message: str, now: datetime) -> None:
    from app.database import writing

    with writing():
        job = session.get(BatchJob, job_id, populate_existing=True)
        if job is not None:
            job.status, job.error, job.heartbeat_at = FileJobStatus.FAILED, message[:300], now
        session.commit()


def stalled(session: Session, now: datetime) -> list[str]:
    """Jobs no worker is running: never taken (the queue was unreachable) or left by a worker that
    died. Their ids, to queue again."""
    since = now - STALLED_AFTER
    return list(
        session.scalars(
            select(BatchJob.id)
            .where(
                BatchJob.status.in_((FileJobStatus.QUEUED, FileJobStatus.RUNNING)),
                (BatchJob.heartbeat_at < since)
                | (BatchJob.heartbeat_at.is_(None) & (BatchJob.created_at < since)),
            )
            .order_by(BatchJob.created_at)
            .limit(100)
        )
    )


def actor_of(session: Session, job: BatchJob) -> User | None:
    return session.get(User, job.actor_id) if job.actor_id else None
