"""Pre- and post-event surveys for career seekers and employers, and the answers they give."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, LabelledEnum, TimestampMixin, enum_type, utcnow
from app.models.event import Event, Participation
from app.models.registration import Language, Registration


class Audience(LabelledEnum):
    CANDIDATE = "candidate", _l("Career seekers")
    EMPLOYER = "employer", _l("Employers")


class Phase(LabelledEnum):
    PRE = "pre", _l("before the event")
    POST = "post", _l("after the event")


class QuestionKind(LabelledEnum):
    SINGLE_CHOICE = "single_choice", _l("Single choice (pick one)")
    MULTIPLE_CHOICE = "multiple_choice", _l("Multiple choice (pick any)")
    SCALE_5 = "scale_5", _l("Scale from 1 to 5")
    #: 0–10 likelihood to recommend.
    RECOMMEND = "recommend", _l("Likelihood to recommend, 0 to 10")
    SHORT_TEXT = "short_text", _l("Short text")
    LONG_TEXT = "long_text", _l("Long text")

    @property
    def is_number(self) -> bool:
        """Answered with a number on a scale (shown as buttons from its lowest to its highest)."""
        return self in (QuestionKind.SCALE_5, QuestionKind.RECOMMEND)


class Survey(TimestampMixin, Base):
    __tablename__ = "surveys"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "audience", "phase"),
        sa.CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at", name="window_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    audience: Mapped[Audience] = mapped_column(enum_type(Audience))
    phase: Mapped[Phase] = mapped_column(enum_type(Phase))
    title_en: Mapped[str] = mapped_column(sa.String(200))
    title_es: Mapped[str] = mapped_column(sa.String(200))
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    questions: Mapped[list["Question"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="Question.position"
    )


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "key"),
        sa.CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    #: Stable machine name (``barriers``, ``recommend``) that reports and comparisons rely on.
    key: Mapped[str] = mapped_column(sa.String(40))
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind))
    prompt_en: Mapped[str] = mapped_column(sa.Text)
    prompt_es: Mapped[str] = mapped_column(sa.Text)
    #: For choice questions: ``[{"value": "childcare", "en": "Childcare", "es": "Cuidado infantil"}, …]``.
    choices: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")


class Response(Base):
    """One respondent's answers to one survey: a registration (career seeker) or a participation
    (employer), never both, and at most one response each."""

    __tablename__ = "responses"
    __table_args__ = (
        sa.CheckConstraint(
            "(registration_id IS NULL) <> (participation_id IS NULL)", name="exactly_one_respondent"
        ),
        sa.UniqueConstraint("survey_id", "registration_id"),
        sa.UniqueConstraint("survey_id", "participation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    participation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participations.id", ondelete="CASCADE")
    )
    language: Mapped[Language] = mapped_column(enum_type(Language), default=Language.EN)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    survey: Mapped[Survey] = relationship()
    registration: Mapped[Registration | None] = relationship()
    participation: Mapped[Participation | None] = relationship()
    answers: Mapped[list["Answer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("response_id", "question_id"),
        sa.CheckConstraint("number IS NULL OR number BETWEEN 0 AND 10", name="number_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    #: Scale and recommend answers.
    number: Mapped[int | None]
    #: Choice values (one for single choice).
    choices: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    text: Mapped[str | None] = mapped_column(sa.Text)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class SurveyLinkPurpose(enum.StrEnum):
    """Why a personal survey link was made (each e-mail carries a fresh one)."""

    INVITATION = "invitation"
    REMINDER = "reminder"
    #: Asked for at the public entry page (the exit poster's QR code).
    ENTRY = "entry"


class SurveyLink(Base):
    """A respondent's personal link to a survey: ``/s/<secret>``, only the secret's SHA-256 kept. A
    career seeker's (``registration``) or an employer's (``participation``, e-mailed to its contact).

    Every e-mail carries a fresh link and the earlier ones keep working until the survey closes, so
    a reminder never breaks the invitation's link. Also the record of who was invited and reminded."""

    __tablename__ = "survey_links"
    __table_args__ = (
        sa.CheckConstraint("length(token_hash) = 64", name="token_hash_is_sha256"),
        sa.CheckConstraint(
            "(registration_id IS NULL) <> (participation_id IS NULL)", name="exactly_one_respondent"
        ),
        sa.Index("ix_survey_links_survey_id_registration_id", "survey_id", "registration_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    participation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[SurveyLinkPurpose] = mapped_column(enum_type(SurveyLinkPurpose))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship()
    registration: Mapped[Registration | None] = relationship()
    participation: Mapped[Participation | None] = relationship()
