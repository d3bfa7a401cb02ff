"""Telling registrants that their event changed (day, time or place): every registered and
waitlisted person gets an e-mail in their language with the new details, a new link to their
registration, and (with a place) their badge and an updated calendar file (same UID, higher
SEQUENCE, so calendars move the entry).

The job ``app.jobs.send_event_change_notices`` runs it on the worker after the staff's change
commits: one batch at a time (``queue_batch``), each batch's links and queued e-mails committed
together, so no e-mail carries a link that was never saved. Each notice is queued once per person
and change (``once_key``): a worker restarted halfway runs the job again and queues only the rest."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.database import Session
from app.models import Event, ManageLinkReason, OutboundMessage, Registration, RegistrationStatus
from app.services import audit
from app.services.registration import issue_manage_link
from app.services.registration_mail import Notice, send_notice

#: People whose links and e-mails are written in one transaction.
BATCH = 200


@dataclass(frozen=True)
class NoticeBatch:
    #: The last registration looked at: the next batch starts after it.
    last_id: int
    queued: int
    #: Registrants without an e-mail address (the door finds them by name or phone).
    no_address: int


def _once_key(event: Event, registration_id: int) -> str:
    """One notice per person for each version of the event's details (its calendar SEQUENCE)."""
    return f"event_changed:{event.id}:{event.ics_sequence}:{registration_id}"


def queue_batch(session: Session, event_id: int, after_id: int, now) -> NoticeBatch | None:
    """Queue the change notice for the next ``BATCH`` people registered or waitlisted after
    ``after_id``, each with a new link, skipping anyone already told of this version. Flushes;
    the caller commits. Returns None when nobody is left."""
    event = session.get(Event, event_id)
    if event is None:
        return None
    people = list(session.scalars(
        select(Registration).options(joinedload(Registration.candidate))
        .where(
            Registration.event_id == event_id,
            Registration.status.in_((RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)),
            Registration.id > after_id,
        )
        .order_by(Registration.id).limit(BATCH)
    ))
    if not people:
        return None
    keys = {r.id: _once_key(event, r.id) for r in people}
    told = set(
        session.scalars(select(OutboundMessage.once_key).where(OutboundMessage.once_key.in_(keys.values())))
    )
    queued = no_address = 0
    for registration in people:
        if not registration.candidate.email:
            no_address += 1
        elif keys[registration.id] not in told:
            link = issue_manage_link(session, registration, ManageLinkReason.EVENT_CHANGED, now)
            send_notice(registration, Notice.EVENT_CHANGED, link, once_key=keys[registration.id])
            queued += 1
    return NoticeBatch(people[-1].id, queued, no_address)


def record_run(session: Session, event_id: int, queued: int, no_address: int) -> None:
    """The audit trail says how many were told (never who)."""
    event = session.get(Event, event_id)
    if event is not None:
        audit.record(session, "event.change_notices", obj=event, sent=queued, no_address=no_address,
                     sequence=event.ics_sequence)


def start_notifying(event_id: int) -> bool:
    """Put the notices on the job queue; call it after the change is committed. Returns False
    when the queue cannot be reached (logged; staff are told to save the change again)."""
    from app.jobs import send_event_change_notices
    from app.queue import enqueue_safely

    return enqueue_safely(send_event_change_notices, event_id)
