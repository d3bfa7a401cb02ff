"""Work staff start from a page and the job worker does in batches: e-mailing a survey to its
people, importing a partner's list."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, enum_type
from app.models.outbound import FileJobStatus


class BatchJob(TimestampMixin, Base):
    """One run of batched work, its progress and what came of it. Each batch commits together with
    the job's ``cursor`` and ``counts``, so a worker restarted halfway carries on after the last
    committed batch: nothing is done twice and nothing is skipped."""

    __tablename__ = "batch_jobs"
    __table_args__ = (
        sa.CheckConstraint("done >= 0 AND done <= total", name="done_within_total"),
        sa.Index("ix_batch_jobs_status_heartbeat_at", "status", "heartbeat_at"),
    )

    #: Random, URL-safe: the job's address in progress links.
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    #: What the job does (``services.batch_jobs.KINDS``).
    kind: Mapped[str] = mapped_column(sa.String(30))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: Who started it, for the audit trail.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[FileJobStatus] = mapped_column(enum_type(FileJobStatus), default=FileJobStatus.QUEUED)
    #: What the job was asked for (which survey, which partner …).
    options: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: Input too big for ``options`` (an uploaded file); emptied once the job has ended: it holds names.
    payload: Mapped[str | None] = mapped_column(sa.Text, deferred=True)
    #: Where the next batch starts: the last id done, or the number of rows done.
    cursor: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    #: What came of it so far (``{"sent": 120, "without_email": 3}``): counts, never names.
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.String(300))
    started_at: Mapped[datetime | None]
    #: When the last batch committed: a job running with no batch for a while lost its worker.
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.status == FileJobStatus.FINISHED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        return self.status in (FileJobStatus.QUEUED, FileJobStatus.RUNNING)
