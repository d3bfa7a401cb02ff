"""Getting the post-event survey to career seekers: their personal link in an invitation when the
event closes (or when staff press send), a reminder to those who have not answered, a fresh link
for anyone who identifies themselves at the exit poster's page, and the poster itself.

Each e-mail carries a fresh secret (``surveys.issue_link``) and the links are the record of who
was invited and reminded, so sending again only reaches people not invited yet. Invitations and
reminders run on the job worker a batch at a time (``services.batch_jobs``): a batch's links and
e-mails, in each person's own language, commit together with the job's progress."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from weasyprint import HTML

from app.database import Session
from app.models import (
    Audience,
    BatchJob,
    Candidate,
    Event,
    Phase,
    Registration,
    Response,
    Survey,
    SurveyLink,
    SurveyLinkPurpose,
    User,
    badge_code_is,
)
from app.services import audit, badges, batch_jobs
from app.services.batch_jobs import Step
from app.services.contact import normalize_email
from app.services.errors import DomainError
from app.services.mail import Mail, queue
from app.services.surveys import audience, audience_size, event_survey, issue_link, open_to_send
from app.urls import public_url

#: A reminder goes only to people whose last survey e-mail is at least this old.
REMINDER_GAP = timedelta(hours=20)


@dataclass
class SurveyLetter:
    """One e-mail to send: whose, the link's secret, and why."""

    registration_id: int
    secret: str
    purpose: SurveyLinkPurpose


def open_post_survey(session: Session, event: Event, now: datetime) -> Survey:
    return open_to_send(
        event_survey(session, event, Audience.CANDIDATE, Phase.POST), now, "The post-event survey"
    )


# --- Invitations and reminders, on the job worker (``services.batch_jobs``) -------------------------

INVITATIONS = "survey_invitations"
REMINDERS = "survey_reminders"
#: Attendees per batch: a batch's links and e-mails commit together.
BATCH = 100


def invite_attendees(session: Session, event: Event, now: datetime, *, actor: User | None = None) -> str:
    """Start e-mailing every attendee not invited yet their personal link (staff pressing "send",
    or closing the event); the worker sends once the caller commits. Returns what staff are told."""
    try:
        survey = open_post_survey(session, event, now)
    except DomainError as error:
        return f"Post-event survey not sent: {error.message}"
    batch_jobs.start(session, event, INVITATIONS, now, actor=actor, options={"survey_id": survey.id})
    return (
        "Sending the post-event survey to attendees not invited yet; the surveys page shows how far it "
        "has got."
    )


def remind_attendees(session: Session, event: Event, now: datetime, *, actor: User | None = None) -> BatchJob:
    """Start reminding invited attendees who have not answered (at most once per ``REMINDER_GAP``)."""
    survey = open_post_survey(session, event, now)
    return batch_jobs.start(session, event, REMINDERS, now, actor=actor, options={"survey_id": survey.id})


def _next_attendees(session: Session, job: BatchJob) -> tuple[Survey, list[Registration]]:
    survey = session.get_one(Survey, job.options["survey_id"])
    query = (audience(session, survey).where(Registration.id > job.cursor)
             .options(selectinload(Registration.candidate)).order_by(Registration.id).limit(BATCH))
    return survey, list(session.scalars(query))


def _last_mailed(session: Session, survey: Survey, people: list[Registration]) -> dict[int, datetime]:
    """When each of ``people`` was last e-mailed an invitation or reminder."""
    rows = session.execute(
        select(SurveyLink.registration_id, func.max(SurveyLink.created_at))
        .where(SurveyLink.survey_id == survey.id, SurveyLink.registration_id.in_([r.id for r in people]),
               SurveyLink.purpose.in_([SurveyLinkPurpose.INVITATION, SurveyLinkPurpose.REMINDER]))
        .group_by(SurveyLink.registration_id)
    )
    return {registration_id: last for registration_id, last in rows if registration_id is not None}


def _letter(session: Session, survey: Survey, registration: Registration, purpose: SurveyLinkPurpose,
            now: datetime) -> SurveyLetter:
    return SurveyLetter(
        registration.id, issue_link(session, survey, registration, purpose, now, flush=False), purpose
    )


def _invitation_batch(session: Session, job: BatchJob, now: datetime) -> Step | None:
    """The next attendees: a personal link for each with an e-mail address not invited yet."""
    survey, people = _next_attendees(session, job)
    if not people:
        return None
    invited = _last_mailed(session, survey, people)
    counts: Counter[str] = Counter()
    letters = []
    for registration in people:
        if registration.id in invited:
            counts["skipped"] += 1
        elif not registration.candidate.email:
            counts["without_email"] += 1
        else:
            letters.append(_letter(session, survey, registration, SurveyLinkPurpose.INVITATION, now))
    session.flush()
    counts["sent"] = send_letters(session, letters)
    return Step(people[-1].id, len(people), dict(counts))


def _reminder_batch(session: Session, job: BatchJob, now: datetime) -> Step | None:
    """The next attendees: a fresh link for each invited one who has not answered and was not
    e-mailed about the survey in the last ``REMINDER_GAP``."""
    survey, people = _next_attendees(session, job)
    if not people:
        return None
    mailed = _last_mailed(session, survey, people)
    answered = set(session.scalars(
        select(Response.registration_id)
        .where(Response.survey_id == survey.id, Response.registration_id.in_([r.id for r in people]))
    ))
    counts: Counter[str] = Counter()
    letters = []
    for registration in people:
        last = mailed.get(registration.id)
        if last is None:
            continue  # never invited: the invitation is what they need
        if registration.id in answered or last > now - REMINDER_GAP:
            counts["skipped"] += 1
        elif not registration.candidate.email:
            counts["without_email"] += 1
        else:
            letters.append(_letter(session, survey, registration, SurveyLinkPurpose.REMINDER, now))
    session.flush()
    counts["sent"] = send_letters(session, letters)
    return Step(people[-1].id, len(people), dict(counts))


def _attendee_count(session: Session, job: BatchJob) -> int:
    return audience_size(session, session.get_one(Survey, job.options["survey_id"]))


def _audited(action: str) -> Callable[[Session, BatchJob], None]:
    def finish(session: Session, job: BatchJob) -> None:
        survey = session.get(Survey, job.options["survey_id"])
        audit.record(
            session,
            action,
            actor_user=batch_jobs.actor_of(session, job),
            obj=survey,
            event_id=job.event_id,
            sent=job.counts.get("sent", 0),
            without_email=job.counts.get("without_email", 0),
        )

    return finish


def invitation_summary(job: BatchJob) -> str:
    counts = job.counts
    return (
        f"Post-event survey sent to {counts.get('sent', 0):,} attendees ({counts.get('skipped', 0):,} "
        "invited before, "
        f"{counts.get('without_email', 0):,} without an e-mail address)."
    )


def reminder_summary(job: BatchJob) -> str:
    counts = job.counts
    return (f"Reminder sent to {counts.get('sent', 0):,} attendees who have not answered"
            f" ({counts.get('skipped', 0):,} answered already or were e-mailed in the last day).")


INVITATION_JOB = batch_jobs.Kind(
    _attendee_count,
    _invitation_batch,
    _audited("survey.invite"),
    invitation_summary,
    "Sending the post-event survey",
)
REMINDER_JOB = batch_jobs.Kind(_attendee_count, _reminder_batch, _audited("survey.remind"), reminder_summary,
                               "Sending the survey reminder")


def badge_code_of(raw: str) -> str:
    """A badge code as typed or scanned: the bare code, or the whole ``…/b/<code>`` address."""
    value = raw.strip()
    if "/b/" in value:
        value = value.rsplit("/b/", 1)[1]
    return value.split("?", 1)[0].strip("/ ")[:64]


def entry_by_badge(session: Session, event: Event, raw_code: str, now: datetime) -> str:
    """At the exit poster's page: a person shows who they are with their badge code and gets a
    personal link straight away (the badge code is itself a secret only they hold)."""
    survey = open_post_survey(session, event, now)
    code = badge_code_of(raw_code)
    registration = session.scalar(
        select(Registration).where(badge_code_is(code), Registration.event_id == event.id)
    ) if code else None
    if registration is None:
        raise DomainError(
            "unknown_badge",
            _l("We could not find that badge code for this event. Check it and try again."),
            field="badge_code",
        )
    return issue_link(session, survey, registration, SurveyLinkPurpose.ENTRY, now)


def entry_by_email(session: Session, event: Event, raw_email: str, now: datetime) -> SurveyLetter | None:
    """At the exit poster's page: a link e-mailed to the address a person registered with. None
    when no registration of this event has it (the page says the same either way)."""
    survey = open_post_survey(session, event, now)
    email = normalize_email(raw_email)
    registration = session.scalar(
        select(Registration).join(Registration.candidate)
        .where(Registration.event_id == event.id, Candidate.email == email)
    )
    if registration is None:
        return None
    return SurveyLetter(
        registration.id,
        issue_link(session, survey, registration, SurveyLinkPurpose.ENTRY, now),
        SurveyLinkPurpose.ENTRY,
    )


# --- Sending ---------------------------------------------------------------------------------------


def survey_link_url(secret: str, language: str) -> str:
    return public_url(f"/s/{secret}?lang={language}")


def _subject(purpose: SurveyLinkPurpose, event_name: str) -> str:
    if purpose == SurveyLinkPurpose.REMINDER:
        return _("Reminder: tell us how %(event)s went", event=event_name)
    return _("How did %(event)s go?", event=event_name)


def send_letters(session: Session, letters: list[SurveyLetter]) -> int:
    """Queue an e-mail of each letter in its person's language (the worker sends them once the
    caller commits). Returns how many were queued."""
    registrations = (
        {
            r.id: r
            for r in session.scalars(
                select(Registration)
                .options(selectinload(Registration.candidate), selectinload(Registration.event))
                .where(Registration.id.in_([letter.registration_id for letter in letters]))
            )
        }
        if letters
        else {}
    )
    sent = 0
    for letter in letters:
        registration = registrations.get(letter.registration_id)
        if registration is None or not registration.candidate.email:
            continue
        language = registration.language.value
        with force_locale(language):
            context = {
                "purpose": letter.purpose.value,
                "candidate": registration.candidate,
                "event": registration.event,
                "link": survey_link_url(letter.secret, language),
                "language": language,
            }
            mail = Mail(
                to=registration.candidate.email,
                subject=_subject(letter.purpose, registration.event.name),
                text=render_template("surveys/email/survey_link.txt", **context),
                html=render_template("surveys/email/survey_link.html", **context),
            )
        queue(session, mail, f"survey_{letter.purpose.value}", registration_id=registration.id)
        sent += 1
    return sent


@dataclass
class MailingCounts:
    attendees: int
    invited: int
    reminded: int
    answered: int


def mailing_counts(session: Session, event: Event) -> MailingCounts | None:
    """For the staff surveys page: how far the post-event survey has gone out."""
    survey = event_survey(session, event, Audience.CANDIDATE, Phase.POST)
    if survey is None:
        return None

    def people(purpose: SurveyLinkPurpose) -> int:
        return session.scalar(
            select(func.count(func.distinct(SurveyLink.registration_id)))
            .where(SurveyLink.survey_id == survey.id, SurveyLink.purpose == purpose)
        ) or 0

    answered = session.scalar(select(func.count()).where(Response.survey_id == survey.id)) or 0
    return MailingCounts(audience_size(session, survey), people(SurveyLinkPurpose.INVITATION),
                         people(SurveyLinkPurpose.REMINDER), answered)


def entry_url(event: Event) -> str:
    """The public page the exit poster's QR code opens."""
    return public_url(f"/events/{event.slug}/survey")


def poster_pdf(event: Event) -> bytes:
    """A US Letter poster for the exit, in English and Spanish, with a QR code to the entry page."""
    url = entry_url(event)
    html = render_template("surveys/poster_pdf.html", event=event, url=url, qr=badges.qr_svg(url))
    return HTML(string=html).write_pdf()
