"""What the job worker runs: each task is a thin entry point onto a service, like a view.

Periodic tasks run in the worker that was started with the scheduler (every worker by default;
Huey runs each periodic task once per schedule tick per worker process, so run one scheduler
when several hosts share a Redis queue: ``flask --app wsgi worker --no-periodic`` on the others)."""

import functools
from datetime import timedelta

from huey import crontab

from app.extensions import db
from app.models import utcnow
from app.queue import enqueue_safely, job
from app.services import outbound


@job(retries=outbound.MAX_ATTEMPTS, retry_delay=outbound.RETRY_DELAY_S)
def deliver_message(message_id: int) -> None:
    """Send one e-mail or text message (retried; after the last failure it is on the staff list)."""
    outbound.deliver(db.session, message_id, utcnow())


@job(periodic=crontab(minute="*"))
def requeue_stalled_messages() -> None:
    """Queue again what a dead worker or an unreachable queue left unsent."""
    for message_id in outbound.requeue_stalled(db.session, utcnow()):
        enqueue_safely(deliver_message, message_id)
    db.session.rollback()


@job(retries=2, retry_delay=30)
def make_file(job_id: str) -> None:
    """Make a badge sheet or a report PDF, with progress, and keep the file in the database."""
    from app.services import file_jobs

    file_jobs.run(db.session, job_id, utcnow())


@job(retries=2, retry_delay=30, writes=False)
def run_batch_job(job_id: str) -> None:
    """Survey e-mails or a partner import, a batch at a time, each batch committed with its progress."""
    from app.services import batch_jobs

    batch_jobs.run(db.session, job_id, utcnow)


@job(periodic=crontab(minute="*"))
def resume_stalled_batch_jobs() -> None:
    """Queue again the batch jobs a dead worker or an unreachable queue left unfinished."""
    from app.services import batch_jobs

    for job_id in batch_jobs.stalled(db.session, utcnow()):
        enqueue_safely(run_batch_job, job_id)
    db.session.rollback()


@job(periodic=crontab(minute="*/5"), writes=False)
def send_due_reminders() -> None:
    """Queue the reminders whose time has come (two days before, the morning of), in batches that
    each commit and go out, so SQLite's write lock is never held for the whole list."""
    from app.database import writing
    from app.services import reminders

    def commit(_batch) -> None:
        db.session.commit()
        outbound.dispatch(db.session)

    now = utcnow()
    for work in reminders.due(db.session, now):
        db.session.rollback()  # the reads end before the writes begin
        for start in range(0, len(work.registration_ids), reminders.BATCH):
            with writing():
                reminders.queue_batch(db.session, work.event_id, work.reminder,
                                      work.registration_ids[start:start + reminders.BATCH], now)
                commit(None)


@job(retries=2, retry_delay=60, writes=False)
def send_event_change_notices(event_id: int) -> None:
    """E-mail everyone registered or waitlisted that the event's day, time or place changed, in
    batches that each commit (links and e-mails together) and go out; run again, it queues only
    the people not yet told of this change."""
    from app.database import writing
    from app.services import event_notices

    queued = no_address = after = 0
    db.session.rollback()
    while True:
        with writing():
            batch = event_notices.queue_batch(db.session, event_id, after, utcnow())
            db.session.commit()
        outbound.dispatch(db.session)
        if batch is None:
            break
        after, queued, no_address = batch.last_id, queued + batch.queued, no_address + batch.no_address
    with writing():
        event_notices.record_run(db.session, event_id, queued, no_address)
        db.session.commit()


@job(periodic=crontab(hour="3", minute="20"))
def purge_old_personal_data() -> None:
    """The retention purge, every night: events that ended more than RETENTION_DAYS ago."""
    from flask import current_app

    from app.services import retention

    retention.purge(db.session, timedelta(days=current_app.config["RETENTION_DAYS"]), utcnow())
    db.session.commit()


@job(retries=2, retry_delay=30, writes=False)
def deliver_webhooks(endpoint_id: int) -> None:
    """Deliver an endpoint's waiting webhook messages in order; a failure schedules this again for
    its retry. It looks before it writes: a job with nothing due (another worker is delivering
    there, or a retry waits) ends without taking SQLite's write lock from the door. Its
    transactions are short; none is open while a partner's server is answering."""
    from app.database import writing
    from app.services import webhook_delivery

    due = webhook_delivery.delivery_due(db.session, endpoint_id, utcnow())
    db.session.rollback()
    if not due:
        return
    with writing():
        retry_at = webhook_delivery.deliver_waiting(db.session, endpoint_id, utcnow(),
                                                    webhook_delivery.current_settings())
    if retry_at is not None:
        enqueue_safely(functools.partial(deliver_webhooks.schedule, args=(endpoint_id,), eta=retry_at))


@job()
def deliver_test_webhook(message_pk: int) -> None:
    """Send one test event, once: the partner sees the result in its deliveries log."""
    from app.services import webhook_delivery

    webhook_delivery.deliver_test(db.session, message_pk, utcnow(), webhook_delivery.current_settings())


@job(periodic=crontab(minute="*"))
def requeue_stalled_webhooks() -> None:
    """Queue again the endpoints whose deliveries a dead worker or an unreachable queue left waiting."""
    from app.services import webhook_delivery

    for endpoint_id in webhook_delivery.endpoints_to_deliver(db.session, utcnow()):
        enqueue_safely(deliver_webhooks, endpoint_id)
    db.session.rollback()
