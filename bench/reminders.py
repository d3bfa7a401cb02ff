"""Reminders per second: the two-day reminders of Hospitality Hires Chicago (2,500 people in the
demo) queued by the scheduled job, then sent by a real worker process (two threads, the SQLite
queue in a temporary folder, e-mail and texts into their outboxes). Printed as JSON.
``BENCH_DATABASE_URL`` measures PostgreSQL."""

import json
import os
import subprocess
import time
from datetime import timedelta

from bench.server import FLASK, ROOT, demo_environment


def main() -> None:
    env, result = demo_environment()
    workdir = os.path.dirname(env["OUTBOX_PATH"])
    env.update(JOBS_SQLITE_PATH=f"{workdir}/jobs.sqlite3", SMS_OUTBOX_PATH=f"{workdir}/sms-outbox")
    os.environ.update(env)  # the app below reads the same settings

    from sqlalchemy import func, select

    from app import create_app
    from app.database import writing
    from app.extensions import db
    from app.models import MessageStatus, OutboundMessage
    from app.services import events, outbound, reminders
    from app.services.demo.hospitality import HOSPITALITY_SLUG

    app = create_app()
    with app.test_request_context(), writing():
        event = events.event_by_slug(db.session, HOSPITALITY_SLUG)
        due = reminders.due_at(reminders.plan_for(db.session, event), event)[reminders.Reminder.TWO_DAYS]
        started = time.perf_counter()
        queued = reminders.queue_due(db.session, due + timedelta(minutes=1))
        db.session.commit()
        result["queue_s"] = round(time.perf_counter() - started, 2)
        result["emails_queued"], result["texts_queued"] = queued.emails, queued.texts
        total = queued.emails + queued.texts
        result["queued_per_s"] = round(total / result["queue_s"])
        outbound.dispatch(db.session)  # onto the worker's queue
        db.session.remove()

    worker = subprocess.Popen([*FLASK, "worker", "--workers", "2", "--no-periodic"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    try:
        with app.app_context():
            while time.perf_counter() - started < 900:
                waiting = db.session.scalar(
                    select(func.count()).where(OutboundMessage.status == MessageStatus.QUEUED)
                )
                db.session.rollback()
                if not waiting:
                    break
                time.sleep(0.25)
            sent = db.session.scalars(
                select(func.count()).where(OutboundMessage.status == MessageStatus.SENT)
            ).one()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    elapsed = time.perf_counter() - started
    result["sent"] = sent
    result["send_s"] = round(elapsed, 1)
    result["sent_per_s"] = round(sent / elapsed, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
