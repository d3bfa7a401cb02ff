"""Keeping personal data only as long as it is needed, and handing it over or removing it on a
person's request.

Removing someone keeps every number the reports count: their registrations, check-ins,
interviews, offers and survey choices stay, with the ZIP code; what goes is what identifies them
(name, e-mail, phone), what they wrote (accommodation needs, survey comments), what recruiters wrote
about them (interview notes), and every link that opened their records."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update

from app.database import Session
from app.models import (
    Answer,
    BatchJob,
    Candidate,
    CheckIn,
    Event,
    Interview,
    ManageLink,
    OutboundMessage,
    Referral,
    Registration,
    Response,
    SurveyLink,
    WebhookMessage,
)
from app.models.registration import name_key
from app.services import audit
from app.services.errors import DomainError

#: What a removed person's name becomes.
REMOVED = "Removed"


@dataclass
class PurgeResult:
    events: int
    registrations: int
    people: int


def _clear_registrations(session: Session, registration_ids: list[int]) -> None:
    """What a person wrote or others wrote about them, and the links to their records."""
    if not registration_ids:
        return
    session.execute(
        update(Registration).where(Registration.id.in_(registration_ids)).values(accessibility_needs="")
    )
    session.execute(delete(ManageLink).where(ManageLink.registration_id.in_(registration_ids)))
    session.execute(update(Interview).where(Interview.registration_id.in_(registration_ids)).values(notes=""))
    responses = select(Response.id).where(Response.registration_id.in_(registration_ids))
    session.execute(
        update(Answer).where(Answer.response_id.in_(responses), Answer.text.is_not(None)).values(text=None)
    )
    session.execute(delete(SurveyLink).where(SurveyLink.registration_id.in_(registration_ids)))
    # Messages hold addresses and links: those not sent yet are not sent, and none is kept.
    session.execute(delete(OutboundMessage).where(OutboundMessage.registration_id.in_(registration_ids)))
    # Webhook payloads name the person: the partner's own system has them by now, or never will.
    session.execute(delete(WebhookMessage).where(WebhookMessage.registration_id.in_(registration_ids)))


def _remove_identity(session: Session, candidate_ids: list[int], now: datetime) -> None:
    if candidate_ids:
        session.execute(
            update(Candidate)
            .where(Candidate.id.in_(candidate_ids))
            .values(
                first_name=REMOVED,
                last_name="",
                name_key=name_key(REMOVED, ""),
                email=None,
                phone=None,
                purged_at=now,
            )
        )


def purge(session: Session, older_than: timedelta, now: datetime) -> PurgeResult:
    """Remove the personal data of events that ended more than ``older_than`` ago. People who also
    registered for a later event keep their name and contact details (that registration still
    needs them); their old registrations are cleared all the same."""
    if older_than < timedelta(days=1):
        raise DomainError("too_recent", "Keep at least one day: purge --older-than takes 1 or more days.")
    cutoff = now - older_than
    old_events = select(Event.id).where(Event.ends_at < cutoff)
    registration_ids = list(
        session.scalars(select(Registration.id).where(Registration.event_id.in_(old_events)))
    )
    still_active = select(Registration.candidate_id).where(Registration.event_id.not_in(old_events))
    candidate_ids = list(
        session.scalars(
            select(Candidate.id)
            .join(Registration, Registration.candidate_id == Candidate.id)
            .where(
                Registration.event_id.in_(old_events),
                Candidate.purged_at.is_(None),
                Candidate.id.not_in(still_active),
            )
            .distinct()
        )
    )
    _clear_registrations(session, registration_ids)
    _remove_identity(session, candidate_ids, now)
    # A stopped import still holds its file (names, contacts).
    session.execute(update(BatchJob).where(BatchJob.event_id.in_(old_events)).values(payload=None))
    result = PurgeResult(
        events=session.scalar(select(func.count()).select_from(Event).where(Event.ends_at < cutoff)) or 0,
        registrations=len(registration_ids),
        people=len(candidate_ids),
    )
    audit.record(session, "retention.purge", events=result.events, registrations=result.registrations,
                 people=result.people, older_than_days=older_than.days)
    session.flush()
    return result


def person_data(session: Session, candidate: Candidate) -> dict:
    """Everything HireDay holds about one person, for their request to see it (JSON-ready)."""
    registrations = session.scalars(
        select(Registration)
        .where(Registration.candidate_id == candidate.id)
        .order_by(Registration.created_at)
    ).all()
    data: dict[str, Any] = {
        "first_name": candidate.first_name, "last_name": candidate.last_name, "email": candidate.email,
        "phone": candidate.phone, "zip_code": candidate.zip_code, "language": candidate.language.value,
        "registrations": [],
    }
    for r in registrations:
        scans = session.scalars(
            select(CheckIn).where(CheckIn.registration_id == r.id).order_by(CheckIn.scanned_at)
        ).all()
        interviews = session.scalars(select(Interview).where(Interview.registration_id == r.id)).all()
        answers = session.execute(
            select(Answer).join(Answer.response).where(Response.registration_id == r.id)
        ).scalars().all()
        data["registrations"].append(
            {
                "event": r.event.name,
                "event_date": r.event.starts_at.isoformat(),
                "status": r.status.value,
                "source": r.source.value,
                "registered_at": r.created_at.isoformat(),
                "employment_status": r.employment_status,
                "sectors_of_interest": r.sectors_of_interest,
                "how_heard": r.how_heard,
                "accessibility_needs": r.accessibility_needs,
                "consent_share_profile": r.consent_share_profile,
                "consent_email": r.consent_email,
                "consent_sms": r.consent_sms,
                "positions_of_interest": [p.title for p in r.positions_of_interest],
                "referred_by": [
                    ref.partnership.organization.name
                    for ref in session.scalars(select(Referral).where(Referral.registration_id == r.id))
                ],
                "check_ins": [
                    {"at": s.scanned_at.isoformat(), "kind": s.kind.value, "successful": s.successful}
                    for s in scans
                ],
                "interviews": [
                    {
                        "employer": i.participation.organization.name,
                        "outcome": i.outcome.value if i.outcome else None,
                        "position": i.position.title if i.position else None,
                        "offer_wage_cents": i.offer_wage_cents,
                        "offer_wage_unit": i.offer_wage_unit.value if i.offer_wage_unit else None,
                        "hire_status": i.hire_status.value if i.hire_status else None,
                        "notes": i.notes,
                    }
                    for i in interviews
                ],
                "survey_answers": [
                    {
                        "question": a.question.prompt_en,
                        "number": a.number,
                        "choices": a.choices,
                        "text": a.text,
                    }
                    for a in answers
                ],
            }
        )
    return data


def forget_person(session: Session, candidate: Candidate, now: datetime, *, actor=None) -> None:
    """Remove one person's identifying data at their request, across every event."""
    registration_ids = list(
        session.scalars(select(Registration.id).where(Registration.candidate_id == candidate.id))
    )
    _clear_registrations(session, registration_ids)
    _remove_identity(session, [candidate.id], now)
    audit.record(
        session,
        "retention.forget_person",
        actor_user=actor,
        obj=candidate,
        registrations=len(registration_ids),
    )
    session.flush()
    session.expire(candidate)
