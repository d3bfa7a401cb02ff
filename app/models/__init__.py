"""Every model, importable from one place (and registered on the metadata for Alembic)."""

from app.models.audit import AuditEntry
from app.models.base import Base, utcnow
from app.models.batch_job import BatchJob
from app.models.checkin import CheckIn, CheckInKind
from app.models.event import (
    EmploymentType,
    Event,
    EventKind,
    EventStatus,
    Participation,
    Partnership,
    Position,
    WageUnit,
)
from app.models.interview import (
    Booking,
    HireStatus,
    Interview,
    InterviewSlot,
    InterviewSource,
    Outcome,
    OutcomeKind,
)
from app.models.organization import Organization, OrganizationKind, Sector
from app.models.outbound import Channel, FileJob, FileJobStatus, MessageStatus, OutboundMessage
from app.models.rate_limit import RateLimitCounter
from app.models.registration import (
    Candidate,
    Language,
    ManageLink,
    ManageLinkReason,
    Referral,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    badge_code_is,
    position_interests,
)
from app.models.reminder import ReminderPlan
from app.models.survey import (
    Answer,
    Audience,
    Phase,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyLink,
    SurveyLinkPurpose,
)
from app.models.token import AccessToken, TokenScope
from app.models.user import Role, User, UserSession
from app.models.webhook import WebhookEndpoint, WebhookMessage, WebhookStatus

__all__ = [
    "AccessToken",
    "Answer",
    "Audience",
    "AuditEntry",
    "Base",
    "BatchJob",
    "Booking",
    "Candidate",
    "Channel",
    "CheckIn",
    "CheckInKind",
    "EmploymentType",
    "Event",
    "EventKind",
    "EventStatus",
    "FileJob",
    "FileJobStatus",
    "HireStatus",
    "Interview",
    "InterviewSlot",
    "InterviewSource",
    "Language",
    "ManageLink",
    "ManageLinkReason",
    "MessageStatus",
    "Organization",
    "OrganizationKind",
    "OutboundMessage",
    "Outcome",
    "OutcomeKind",
    "Participation",
    "Partnership",
    "Phase",
    "Position",
    "Question",
    "QuestionKind",
    "RateLimitCounter",
    "Referral",
    "Registration",
    "RegistrationSource",
    "RegistrationStatus",
    "ReminderPlan",
    "Response",
    "Role",
    "Sector",
    "Survey",
    "SurveyLink",
    "SurveyLinkPurpose",
    "TokenScope",
    "User",
    "UserSession",
    "WageUnit",
    "WebhookEndpoint",
    "WebhookMessage",
    "WebhookStatus",
    "badge_code_is",
    "position_interests",
    "utcnow",
]
