"""Getting the employer surveys to employers: each employer at the event gets a personal link
e-mailed to its contact (``Organization.contact_email``), on the job worker a batch at a time, and
answers without the booth tablet. Links are the record of who was sent one: sending again reaches
only employers not sent one yet. Answers land beside those given on the booth tablet (one
response per employer), so the results page counts both."""

from collections import Counter
from datetime import datetime

from flask import render_template
from flask_babel import force_locale, gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import (
    Audience,
    BatchJob,
    Event,
    Participation,
    Phase,
    Survey,
    SurveyLink,
    SurveyLinkPurpose,
    User,
)
from app.services import audit, batch_jobs
from app.services.batch_jobs import Step
from app.services.mail import Mail, queue
from app.services.surveys import audience, audience_size, event_survey, issue_link, open_to_send
from app.urls import public_url

INVITATIONS = "employer_survey_invitations"
#: Employers per batch: their links and e-mails commit together.
BATCH = 50


def invite_employers(session: Session, event: Event, phase: Phase, now: datetime, *,
                     actor: User | None = None) -> BatchJob:
    """Start e-mailing each employer at the event not sent this survey yet its personal link (the
    worker sends once the caller commits). ``DomainError`` while the survey is not open."""
    survey = open_to_send(event_survey(session, event, Audience.EMPLOYER, phase), now, "The employer survey")
    return batch_jobs.start(session, event, INVITATIONS, now, actor=actor, options={"survey_id": survey.id})


def survey_url(secret: str) -> str:
    return public_url(f"/s/{secret}")


def _mail(survey: Survey, participation: Participation, secret: str) -> Mail:
    organization = participation.organization
    event = survey.event
    with force_locale("en"):  # employers' contacts are written to in English, like their booth link
        context = {"organization": organization, "event": event, "survey": survey, "link": survey_url(secret),
                   "after": survey.phase == Phase.POST}
        return Mail(
            to=organization.contact_email or "",
            subject=_("Your feedback on %(event)s", event=event.name) if survey.phase == Phase.POST
            else _("Before %(event)s: your hiring needs", event=event.name),
            text=render_template("surveys/email/employer_survey.txt", **context),
            html=render_template("surveys/email/employer_survey.html", **context),
        )


def _sent_before(session: Session, survey: Survey, participation_ids: list[int]) -> set[int]:
    return set(session.scalars(
        select(SurveyLink.participation_id).where(
            SurveyLink.survey_id == survey.id, SurveyLink.participation_id.in_(participation_ids),
            SurveyLink.purpose == SurveyLinkPurpose.INVITATION,
        )
    ))


def _invitation_batch(session: Session, job: BatchJob, now: datetime) -> Step | None:
    """The next employers: a link e-mailed to each contact not sent one yet."""
    survey = session.get_one(Survey, job.options["survey_id"])
    employers = list(session.scalars(
        audience(session, survey).where(Participation.id > job.cursor)
        .options(selectinload(Participation.organization)).order_by(Participation.id).limit(BATCH)
    ))
    if not employers:
        return None
    sent_before = _sent_before(session, survey, [p.id for p in employers])
    counts: Counter[str] = Counter()
    for participation in employers:
        if participation.id in sent_before:
            counts["skipped"] += 1
        elif not participation.organization.contact_email:
            counts["without_email"] += 1
        else:
            secret = issue_link(session, survey, participation, SurveyLinkPurpose.INVITATION, now)
            queue(session, _mail(survey, participation, secret), "employer_survey")
            counts["sent"] += 1
    return Step(employers[-1].id, len(employers), dict(counts))


def _employer_count(session: Session, job: BatchJob) -> int:
    return audience_size(session, session.get_one(Survey, job.options["survey_id"]))


def _finish(session: Session, job: BatchJob) -> None:
    audit.record(session, "survey.invite_employers", actor_user=batch_jobs.actor_of(session, job),
                 obj=session.get(Survey, job.options["survey_id"]), event_id=job.event_id,
                 sent=job.counts.get("sent", 0), without_email=job.counts.get("without_email", 0))


def invitation_summary(job: BatchJob) -> str:
    counts = job.counts
    return (f"Employer survey sent to {counts.get('sent', 0):,} employers "
            f"({counts.get('skipped', 0):,} sent it before, {counts.get('without_email', 0):,} "
            "without a contact e-mail: they can answer from their booth link).")


INVITATION_JOB = batch_jobs.Kind(_employer_count, _invitation_batch, _finish, invitation_summary,
                                 "Sending the employer survey")


def sent_count(session: Session, survey: Survey) -> int:
    """For the staff surveys page: employers e-mailed a link to ``survey``."""
    employers = func.count(func.distinct(SurveyLink.participation_id))
    return session.scalar(select(employers).where(SurveyLink.survey_id == survey.id)) or 0
