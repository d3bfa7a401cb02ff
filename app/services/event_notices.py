"""Telling registrants that their event changed (day, time or place): every registered and
waitlisted person gets an e-mail in their language with the new details, a new link to their
registration, and (with a place) their badge and an updated calendar file (same UID, higher
SEQUENCE, so calendars move the entry).

``notify_event_change`` is the whole job: it takes a session and the event's id, so the job queue
can run it as it is. Until the queue exists the staff page runs it in a background thread after
its own commit (``start_notifying``; with ``NOTICES_IN_BACKGROUND`` off, as in tests, it runs
in the request, the way the queue's immediate mode would)."""

import threading
import time
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, joinedload

from app.extensions import db
from app.models import Event, ManageLinkReason, Registration, RegistrationStatus, utcnow
from app.services import audit
from app.services.registration import issue_manage_link
from app.services.registration_mail import Notice, send_notice

#: People whose links are made, committed and then e-mailed together.
BATCH = 200
_ATTEMPTS = 5


@dataclass(frozen=True)
class NoticeRun:
    sent: int
    #: Registrants without an e-mail address (the door finds them by name or phone).
    no_address: int


def _people(session: Session, event_id: int, after_id: int) -> list[Registration]:
    return list(session.scalars(
        select(Registration).options(joinedload(Registration.candidate))
        .where(
            Registration.event_id == event_id,
            Registration.status.in_((RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)),
            Registration.id > after_id,
        )
        .order_by(Registration.id).limit(BATCH)
    ))


def _links_for_next_batch(session: Session, event_id: int, after_id: int) -> list[tuple[Registration, str | None]]:
    """The next people and a new, committed link for each who has an e-mail address. Outside a
    request, SQLite begins a deferred transaction: another writer committing between this read and
    its write makes SQLite refuse the write at once, so the batch is read and written again."""
    for attempt in range(_ATTEMPTS):
        try:
            people = _people(session, event_id, after_id)
            now = utcnow()
            links = [
                (r, issue_manage_link(session, r, ManageLinkReason.EVENT_CHANGED, now) if r.candidate.email else None)
                for r in people
            ]
            session.commit()
            return links
        except OperationalError:
            session.rollback()
            if attempt == _ATTEMPTS - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    return []


def notify_event_change(session: Session, event_id: int) -> NoticeRun:
    """E-mail everyone registered or waitlisted for the event about its changed details. Commits
    each batch's new links before sending that batch's e-mails, so no e-mail carries a link that
    was never saved (the one service here that commits: it is a job, not part of a request)."""
    sent = no_address = 0
    after = 0
    while batch := _links_for_next_batch(session, event_id, after):
        after = batch[-1][0].id
        for registration, link in batch:
            if link is None:
                no_address += 1
            elif send_notice(registration, Notice.EVENT_CHANGED, link):
                sent += 1
    event = session.get(Event, event_id)
    audit.record(session, "event.change_notices", obj=event, sent=sent, no_address=no_address,
                 sequence=event.ics_sequence)
    session.commit()
    return NoticeRun(sent, no_address)


def start_notifying(app: Flask, event_id: int) -> threading.Thread:
    """Run ``notify_event_change`` beside the request (2,500 e-mails take longer than a page may)."""

    def run() -> None:
        with app.app_context():
            try:
                notify_event_change(db.session, event_id)
            except Exception:  # logged; the staff page has already answered
                app.logger.exception("event change notices for event %s failed", event_id)
                db.session.rollback()
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, name=f"event-notices-{event_id}", daemon=True)
    thread.start()
    return thread
