"""Reminders that lift the show rate: a text on registration (where the person agreed to texts),
then an e-mail and a text two days before and on the morning of the event, at times staff set,
in the person's language, each with a personal line (their name, their interviews, what to bring),
a short "I can't come" link and (by e-mail) their calendar entry as it stands. Nobody who
cancelled or was checked in gets another.

Each reminder is queued at most once per person and channel (``once_key``), so the periodic task
may run as often as it likes, on as many workers as there are."""

import base64
import enum
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale, gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import (
    Candidate,
    Event,
    EventStatus,
    MessageStatus,
    OutboundMessage,
    Registration,
    RegistrationStatus,
    ReminderPlan,
)
from app.services import bookings, checkin, outbound, sms
from app.services.mail import Mail, queue
from app.services.registration_mail import calendar_attachment
from app.urls import public_url


class Reminder(enum.StrEnum):
    TWO_DAYS = "reminder_two_days"
    MORNING = "reminder_morning"


#: Purposes of the messages a cancellation or a check-in withdraws when not sent yet.
WITHDRAWN_ON_CANCEL = (Reminder.TWO_DAYS.value, Reminder.MORNING.value)


# --- The plan ---------------------------------------------------------------------------------------


def plan_for(session: Session, event: Event) -> ReminderPlan:
    """The event's reminder plan as staff set it, or the defaults."""
    return session.get(ReminderPlan, event.id) or ReminderPlan.defaults(event)


def save_plan(
    session: Session,
    event: Event,
    *,
    two_days_enabled: bool,
    two_days_at: time,
    morning_enabled: bool,
    morning_at: time,
    sms_enabled: bool,
    bring_en: str,
    bring_es: str,
) -> ReminderPlan:
    plan = session.get(ReminderPlan, event.id)
    if plan is None:
        plan = ReminderPlan(event_id=event.id)
        session.add(plan)
    plan.two_days_enabled, plan.two_days_at = two_days_enabled, two_days_at
    plan.morning_enabled, plan.morning_at = morning_enabled, morning_at
    plan.sms_enabled, plan.bring_en, plan.bring_es = sms_enabled, bring_en.strip(), bring_es.strip()
    session.flush()
    return plan


def due_at(plan: ReminderPlan, event: Event) -> dict[Reminder, datetime]:
    """When each enabled reminder goes out (UTC): local times on the event's day and two days before."""
    zone = ZoneInfo(event.timezone)
    day = event.starts_at.astimezone(zone).date()
    times = {}
    if plan.two_days_enabled:
        times[Reminder.TWO_DAYS] = datetime.combine(
            day - timedelta(days=2), plan.two_days_at, zone
        ).astimezone(UTC)
    if plan.morning_enabled:
        times[Reminder.MORNING] = datetime.combine(day, plan.morning_at, zone).astimezone(UTC)
    return times


# --- "I can't come" links ----------------------------------------------------------------------------


#: Characters of the link's HMAC-SHA256 kept (96 bits). itsdangerous' signatures are 27 or more
#: characters; in a text of two UCS-2 segments (134 characters) the 11 saved are the event's name.
_SIGNATURE_CHARS = 16


def _signature(registration_id: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"hireday.cant-come:{registration_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:_SIGNATURE_CHARS]


def cant_come_token(registration_id: int) -> str:
    """A short link secret that opens one registration's "I can't come" page (and nothing else)."""
    return f"{registration_id}.{_signature(str(registration_id))}"


def cant_come_url(registration_id: int) -> str:
    return public_url(f"/c/{cant_come_token(registration_id)}")


def registration_for_cant_come(session: Session, token: str) -> Registration | None:
    registration_id, _, signature = token[:40].partition(".")
    if not registration_id.isdigit() or not hmac.compare_digest(signature, _signature(registration_id)):
        return None
    return session.get(Registration, int(registration_id))


# --- Who gets one -------------------------------------------------------------------------------------


def still_wanted(session: Session, registration_id: int | None) -> bool:
    """A reminder still makes sense: the person holds a place and has not been checked in."""
    if registration_id is None:
        return False
    registration = session.get(Registration, registration_id)
    return (registration is not None and registration.status == RegistrationStatus.REGISTERED
            and registration_id not in set(session.scalars(checkin.checked_in_ids(registration.event_id))))


def _recipients(session: Session, event: Event, registered_before: datetime) -> list[Registration]:
    return list(session.scalars(
        select(Registration)
        .options(selectinload(Registration.candidate))
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.REGISTERED,
            Registration.created_at <= registered_before,
            Registration.id.not_in(checkin.checked_in_ids(event.id)),
        ).order_by(Registration.id)
    ))


@dataclass
class QueuedReminders:
    emails: int = 0
    texts: int = 0


@dataclass(frozen=True)
class DueReminders:
    """One reminder of one event whose time has come, and who may get it."""

    event_id: int
    reminder: Reminder
    registration_ids: list[int]


def due(session: Session, now: datetime) -> list[DueReminders]:
    """Every reminder whose time has come, for events not yet started, with the people holding a
    place and not checked in who registered before that time (the others got their confirmation
    instead). Reads only: the queuing is done in small batches (``queue_batch``)."""
    found = []
    events = session.scalars(
        select(Event).where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at <= now + timedelta(days=3),
        )
    ).all()
    for event in events:
        for reminder, at in due_at(plan_for(session, event), event).items():
            if at <= now:
                found.append(
                    DueReminders(event.id, reminder, [r.id for r in _recipients(session, event, at)])
                )
    return found


def queue_batch(session: Session, event_id: int, reminder: Reminder, registration_ids: list[int],
                now: datetime) -> QueuedReminders:
    """Queue ``reminder`` to each of ``registration_ids`` not sent it yet (e-mail, and text where
    they agreed). Run again, it adds nothing."""
    counts = QueuedReminders()
    event = session.get_one(Event, event_id)
    plan = plan_for(session, event)
    keys = [
        _key(reminder, event_id, rid, channel) for rid in registration_ids for channel in ("email", "sms")
    ]
    sent = {
        key
        for key in session.scalars(select(OutboundMessage.once_key).where(OutboundMessage.once_key.in_(keys)))
        if key
    }
    people = session.scalars(select(Registration).options(selectinload(Registration.candidate))
                             .where(Registration.id.in_(registration_ids)).order_by(Registration.id))
    for registration in people:
        queued = _queue_one(session, registration, reminder, plan, now, sent)
        counts.emails += queued.emails
        counts.texts += queued.texts
    return counts


#: People per transaction when queuing reminders: on SQLite each batch holds the write lock (about
#: 4 ms a person), so registrations and check-ins never wait long behind 2,500 reminders.
BATCH = 50


def queue_due(session: Session, now: datetime) -> QueuedReminders:
    """Queue every reminder whose time has come and that was not queued yet, in one transaction
    (the scheduled job, ``app.jobs.send_due_reminders``, commits each batch instead)."""
    counts = QueuedReminders()
    for work in due(session, now):
        for start in range(0, len(work.registration_ids), BATCH):
            queued = queue_batch(session, work.event_id, work.reminder,
                                 work.registration_ids[start:start + BATCH], now)
            counts.emails += queued.emails
            counts.texts += queued.texts
    return counts


def _key(reminder: Reminder, event_id: int, registration_id: int, channel: str) -> str:
    return f"{reminder.value}:{event_id}:{registration_id}:{channel}"


def _queue_one(
    session: Session,
    registration: Registration,
    reminder: Reminder,
    plan: ReminderPlan,
    now: datetime,
    sent: set[str],
) -> QueuedReminders:
    counts = QueuedReminders()
    candidate = registration.candidate
    event = registration.event
    interviews = bookings.live_bookings(session, registration)
    language = registration.language.value
    bring = plan.bring_es if language == "es" and plan.bring_es else plan.bring_en
    link = cant_come_url(registration.id)
    with force_locale(language):
        if candidate.email and _key(reminder, event.id, registration.id, "email") not in sent:
            context = {
                "reminder": reminder.value,
                "candidate": candidate,
                "event": event,
                "interviews": interviews,
                "bring": bring,
                "cant_come_link": link,
                "registration": registration,
            }
            mail = Mail(to=candidate.email, subject=_reminder_subject(reminder, event),
                        text=render_template("registration/email/reminder.txt", **context),
                        html=render_template("registration/email/reminder.html", **context),
                        attachments=[calendar_attachment(registration, public_url(f"/events/{event.slug}/"))])
            if queue(session, mail, reminder.value, registration_id=registration.id,
                     once_key=_key(reminder, event.id, registration.id, "email")):
                counts.emails += 1
        if (
            plan.sms_enabled
            and sms.can_text(registration)
            and _key(reminder, event.id, registration.id, "sms") not in sent
        ):
            text = reminder_text(reminder, candidate, event, len(interviews), link)
            if sms.queue_text(session, registration, text, reminder.value, now,
                              once_key=_key(reminder, event.id, registration.id, "sms")):
                counts.texts += 1
    return counts


def _reminder_subject(reminder: Reminder, event: Event) -> str:
    if reminder == Reminder.MORNING:
        return _("Today: %(event)s", event=event.name)
    return _("In two days: %(event)s", event=event.name)


def _when(event: Event) -> str:
    from app.formatting import local_datetime

    return local_datetime(
        event.starts_at, event.timezone, "EEE d MMM, h:mm a" if _locale() == "en" else "EEE d MMM, HH:mm"
    )


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "en")


def reminder_text(reminder: Reminder, candidate: Candidate, event: Event, interviews: int, link: str) -> str:
    """The reminder as a text of at most two segments (the event's name is cut to fit)."""
    if reminder == Reminder.MORNING:
        opening = _("Hi %(name)s, today:", name=candidate.first_name)
    else:
        opening = _("Hi %(name)s, reminder:", name=candidate.first_name)
    booked = _("%(count)s interviews booked.", count=interviews) if interviews else ""
    parts = [opening, event.name, _when(event) + ".", booked, _("Bring your QR badge. Can't come?"), link]
    return sms.fit(parts, shrinkable=1, optional=(3, 2))


def registered_text(registration: Registration) -> str:
    """The text a person who agreed to texts gets on registering (in their language)."""
    event = registration.event
    with force_locale(registration.language.value):
        parts = [_("You're booked:"), event.name, _when(event) + ".", _("Good luck! Can't come?"),
                 cant_come_url(registration.id)]
        return sms.fit(parts, shrinkable=1, optional=(2,))


def text_registered(session: Session, registration: Registration, now: datetime) -> None:
    """On registration, a text to those who agreed to texts (a place, not the waitlist)."""
    if (
        registration.status == RegistrationStatus.REGISTERED
        and plan_for(session, registration.event).sms_enabled
    ):
        sms.queue_text(session, registration, registered_text(registration), "registered_sms", now)


def text_promoted(session: Session, registration: Registration, manage_token: str, now: datetime) -> None:
    """At once, to a person given a place from the waitlist (if they agreed to texts)."""
    event = registration.event
    with force_locale(registration.language.value):
        parts = [_("A place opened for you:"), event.name, _when(event) + ".", _("Your badge:"),
                 public_url(f"/r/{manage_token}")]
        text = sms.fit(parts, shrinkable=1, optional=(2,))
    sms.queue_text(session, registration, text, "promoted_sms", now)


def withdraw(session: Session, registration: Registration) -> int:
    """Reminders queued for ``registration`` and not sent yet are not sent (they cancelled)."""
    return outbound.withdraw_for_registration(session, registration.id, WITHDRAWN_ON_CANCEL)


def is_reminder(message: OutboundMessage) -> bool:
    return message.purpose in WITHDRAWN_ON_CANCEL and message.status == MessageStatus.QUEUED


def sent_counts(session: Session, event: Event) -> dict[str, dict[str, int]]:
    """For the staff page: reminders of ``event`` by kind and state (queued, sent, failed …)."""
    from sqlalchemy import func

    rows = session.execute(
        select(OutboundMessage.purpose, OutboundMessage.status, func.count())
        .join(Registration, Registration.id == OutboundMessage.registration_id)
        .where(Registration.event_id == event.id, OutboundMessage.purpose.in_(WITHDRAWN_ON_CANCEL))
        .group_by(OutboundMessage.purpose, OutboundMessage.status)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for purpose, status, count in rows:
        counts.setdefault(purpose, {})[status.value] = count
    return counts
