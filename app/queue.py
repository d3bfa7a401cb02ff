"""The job queue: one Huey, built from the app's configuration.

- Nothing configured: SQLite storage in ``instance/jobs.sqlite3`` (one host: web and worker share
  the file).
- ``REDIS_URL`` set: Redis, so web processes and workers on several hosts share one queue.
- ``JOBS_IMMEDIATE`` on (the tests): a job runs at once, in the process that enqueued it.

The worker is ``flask --app wsgi worker`` (``make run`` starts it beside gunicorn). A job runs in
an app context of its own and states that it writes (``database.writing``), as views
(``@writes``) and commands do. The tasks are in ``app.jobs``."""

import contextlib
import functools
import logging
from collections.abc import Callable
from pathlib import Path

from flask import Flask, has_app_context
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

log = logging.getLogger(__name__)

#: The one queue. Its storage is chosen by ``init_app``; tasks are bound to it when imported.
huey = Huey("hireday", results=False, utc=True, immediate=True)

#: The app a worker runs jobs in (set by ``init_app``; the last app built in this process).
_app: Flask | None = None


def storage_settings(config) -> tuple[type, dict]:
    """Which Huey storage ``config`` asks for, and its settings."""
    url = config.get("REDIS_URL") or ""
    if url:
        return RedisStorage, {"url": url}
    path = config.get("JOBS_SQLITE_PATH") or str(Path(config["INSTANCE_PATH"]) / "jobs.sqlite3")
    return SqliteStorage, {"filename": path}


def init_app(app: Flask) -> None:
    global _app
    storage_class, settings = storage_settings({**app.config, "INSTANCE_PATH": app.instance_path})
    huey.name = app.config.get("JOBS_QUEUE_NAME") or "hireday"
    huey.storage_class = storage_class
    huey.storage_kwargs = settings
    huey._immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    huey.storage = huey.create_storage()
    _app = app

    @app.after_request
    def _dispatch_messages(response):
        from app.extensions import db

        dispatch_committed(db.session)
        return response


def dispatch_committed(session) -> None:
    """Queue the deliveries this session's commits wrote: e-mails and texts, partner webhooks."""
    from app.services import batch_jobs, outbound, webhook_delivery

    outbound.dispatch(session)
    batch_jobs.dispatch(session)
    webhook_delivery.dispatch(session)


def enqueue_safely(task: Callable, *args) -> bool:
    """Put a job on the queue; when the queue cannot be reached (Redis down), log it and return
    False: what the job works from is in the database, and the sweep queues it again."""
    try:
        task(*args)
    except Exception as error:  # any storage failure; the caller's work is committed already
        if huey.immediate:
            raise
        name = getattr(task, "name", None) or getattr(getattr(task, "func", None), "__name__", "a job")
        log.warning("could not queue %s (%s); the sweep will queue it again", name, type(error).__name__)
        return False
    return True


def job(*, retries: int = 0, retry_delay: int = 0, periodic=None, writes: bool = True, **options):
    """A Huey task (or periodic task with ``periodic=crontab(...)``) that runs in the app's context,
    inside ``database.writing()`` (unless ``writes=False``: a job that says itself which of its
    transactions write), and sends the messages it queued once it has committed."""

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def run(*args, **kwargs):
            from app.database import writing
            from app.extensions import db

            states = writing() if writes else contextlib.nullcontext()
            if has_app_context():  # immediate mode: inside the request or test that queued it
                with states:
                    result = function(*args, **kwargs)
                dispatch_committed(db.session)
                return result
            if _app is None:
                raise RuntimeError(
                    "the job queue has no app: start the worker with `flask --app wsgi worker`"
                )
            with _app.app_context():
                try:
                    with states:
                        result = function(*args, **kwargs)
                    dispatch_committed(db.session)
                    return result
                finally:
                    db.session.remove()

        if periodic is not None:
            return huey.periodic_task(periodic, retries=retries, retry_delay=retry_delay, **options)(run)
        return huey.task(retries=retries, retry_delay=retry_delay, **options)(run)

    return decorate
