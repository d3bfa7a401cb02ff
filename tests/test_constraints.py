"""The database itself refuses bad data: every CHECK, UNIQUE and partial unique index in the models,
a foreign key, and the UTC-only timestamp type, each proven by writing the row that breaks it.

A service that forgets a rule, a script that writes rows directly, or two requests racing each
other must all hit the same wall. Each refused write runs in a savepoint (``begin_nested``) so the
test's session stays usable afterwards, and each test first writes the valid twin of the bad row,
so it fails if a rule refuses good data or names the wrong reason."""

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from app.models import (
    AccessToken,
    Answer,
    Audience,
    Base,
    BatchJob,
    Booking,
    Candidate,
    Channel,
    CheckIn,
    CheckInKind,
    Event,
    FileJob,
    FileJobStatus,
    HireStatus,
    Interview,
    InterviewSlot,
    InterviewSource,
    ManageLink,
    ManageLinkReason,
    MessageStatus,
    OrganizationKind,
    OutboundMessage,
    Outcome,
    Phase,
    Question,
    QuestionKind,
    RateLimitCounter,
    Referral,
    Registration,
    RegistrationStatus,
    Response,
    Survey,
    SurveyLink,
    SurveyLinkPurpose,
    TokenScope,
    User,
    UserSession,
    WageUnit,
    WebhookEndpoint,
    WebhookMessage,
    WebhookStatus,
)
from app.services.tokens import hash_secret, new_badge_code, new_secret
from tests.factories import (
    EVENT_START,
    make_candidate,
    make_event,
    make_organization,
    make_participation,
    make_partnership,
    make_position,
    make_registration,
    make_user,
)

Fields = dict[str, Any]

_seq = itertools.count(1)


# --- One valid row of every table, any field overridden ------------------------------------------


def _pop(fields: Fields, name: str, default: Callable[[], Any]) -> Any:
    """``fields[name]`` if the test gave it (even ``None``), else ``default()``: parent rows a test
    overrides are never built."""
    return fields.pop(name) if name in fields else default()


def _saved(session: Session, row):
    session.add(row)
    session.flush()
    return row


def _registration(session: Session, **fields) -> Registration:
    return make_registration(session, _pop(fields, "event", lambda: make_event(session)), **fields)


def _participation(session: Session, **fields):
    return make_participation(session, _pop(fields, "event", lambda: make_event(session)), **fields)


def _partnership(session: Session, **fields):
    return make_partnership(session, _pop(fields, "event", lambda: make_event(session)), **fields)


def _position(session: Session, **fields):
    return make_position(session, _pop(fields, "participation", lambda: _participation(session)), **fields)


def make_slot(session: Session, **fields) -> InterviewSlot:
    participation = _pop(fields, "participation", lambda: _participation(session))
    starts_at = fields.pop("starts_at", EVENT_START + timedelta(hours=1))
    return _saved(
        session,
        InterviewSlot(
            participation=participation,
            starts_at=starts_at,
            ends_at=fields.pop("ends_at", starts_at + timedelta(minutes=10)),
            capacity=fields.pop("capacity", 3),
            **fields,
        ),
    )


def make_booking(session: Session, **fields) -> Booking:
    """A booking of the next free seat, by a new registration for the slot's event, unless told."""
    slot = _pop(fields, "slot", lambda: make_slot(session))
    registration = _pop(fields, "registration", lambda: make_registration(session, slot.participation.event))
    seat = _pop(
        fields,
        "seat",
        lambda: (
            1
            + session.scalars(
                sa.select(sa.func.coalesce(sa.func.max(Booking.seat), 0)).where(
                    Booking.slot_id == slot.id, Booking.cancelled_at.is_(None)
                )
            ).one()
        ),
    )
    return _saved(session, Booking(slot=slot, registration=registration, seat=seat, **fields))


def make_check_in(session: Session, **fields) -> CheckIn:
    """A successful entry scan of a registration at its own event."""
    registration = _pop(fields, "registration", lambda: _registration(session))
    event_id = _pop(
        fields, "event_id", lambda: registration.event_id if registration else make_event(session).id
    )
    return _saved(
        session,
        CheckIn(
            event_id=event_id,
            registration=registration,
            scanned_at=fields.pop("scanned_at", EVENT_START),
            nonce=fields.pop("nonce", f"scan-{next(_seq):04d}"),
            successful=fields.pop("successful", True),
            **fields,
        ),
    )


def make_interview(session: Session, **fields) -> Interview:
    """A walk-up interview still in the queue, or the interview of a booking when given one."""
    booking = fields.get("booking")
    participation = _pop(
        fields, "participation", lambda: booking.slot.participation if booking else _participation(session)
    )
    registration = _pop(
        fields,
        "registration",
        lambda: booking.registration if booking else make_registration(session, participation.event),
    )
    source = fields.pop("source", InterviewSource.BOOKED if booking else InterviewSource.WALK_UP)
    return _saved(
        session, Interview(registration=registration, participation=participation, source=source, **fields)
    )


def make_access_token(session: Session, **fields) -> AccessToken:
    """A scanner-device link for an event."""
    return _saved(
        session,
        AccessToken(
            token_hash=fields.pop("token_hash", hash_secret(new_secret())),
            scope=fields.pop("scope", TokenScope.DEVICE),
            name=fields.pop("name", "Door 2"),
            event=_pop(fields, "event", lambda: make_event(session)),
            **fields,
        ),
    )


def make_survey(session: Session, **fields) -> Survey:
    return _saved(
        session,
        Survey(
            event=_pop(fields, "event", lambda: make_event(session)),
            audience=fields.pop("audience", Audience.CANDIDATE),
            phase=fields.pop("phase", Phase.POST),
            title_en="How did today go?",
            title_es="¿Cómo le fue hoy?",
            **fields,
        ),
    )


def make_question(session: Session, **fields) -> Question:
    n = next(_seq)
    return _saved(
        session,
        Question(
            survey=_pop(fields, "survey", lambda: make_survey(session)),
            key=fields.pop("key", f"question_{n}"),
            position=fields.pop("position", n),
            kind=fields.pop("kind", QuestionKind.RECOMMEND),
            prompt_en="How likely are you to recommend this event to a friend?",
            prompt_es="¿Qué tan probable es que recomiende este evento a un amigo?",
            **fields,
        ),
    )


def make_response(session: Session, **fields) -> Response:
    """A career seeker's response, or an employer's when given a participation."""
    survey = _pop(fields, "survey", lambda: make_survey(session))
    participation = fields.pop("participation", None)
    registration = _pop(
        fields, "registration", lambda: None if participation else make_registration(session, survey.event)
    )
    return _saved(
        session, Response(survey=survey, registration=registration, participation=participation, **fields)
    )


def make_answer(session: Session, **fields) -> Answer:
    response = _pop(fields, "response", lambda: make_response(session))
    return _saved(
        session,
        Answer(
            response=response,
            question=_pop(fields, "question", lambda: make_question(session, survey=response.survey)),
            number=fields.pop("number", 9),
            **fields,
        ),
    )


def make_referral(session: Session, **fields) -> Referral:
    registration = _pop(fields, "registration", lambda: _registration(session))
    partnership = _pop(fields, "partnership", lambda: make_partnership(session, registration.event))
    return _saved(session, Referral(registration=registration, partnership=partnership, **fields))


def make_survey_link(session: Session, **fields) -> SurveyLink:
    survey = _pop(fields, "survey", lambda: make_survey(session))
    return _saved(
        session,
        SurveyLink(
            survey=survey,
            registration=_pop(fields, "registration", lambda: make_registration(session, survey.event)),
            token_hash=fields.pop("token_hash", hash_secret(new_secret())),
            purpose=fields.pop("purpose", SurveyLinkPurpose.INVITATION),
            **fields,
        ),
    )


def make_manage_link(session: Session, **fields) -> ManageLink:
    return _saved(
        session,
        ManageLink(
            registration=_pop(fields, "registration", lambda: _registration(session)),
            token_hash=fields.pop("token_hash", hash_secret(new_secret())),
            reason=fields.pop("reason", ManageLinkReason.REGISTERED),
            **fields,
        ),
    )


def make_outbound_message(session: Session, **fields) -> OutboundMessage:
    """A queued e-mail to a new registration."""
    return _saved(
        session,
        OutboundMessage(
            channel=fields.pop("channel", Channel.EMAIL),
            recipient=fields.pop("recipient", "maria@example.com"),
            purpose=fields.pop("purpose", "registered"),
            body=fields.pop("body", b"Subject: You're registered"),
            registration_id=_pop(fields, "registration_id", lambda: _registration(session).id),
            **fields,
        ),
    )


def make_webhook_endpoint(session: Session, **fields) -> WebhookEndpoint:
    """A partner's endpoint."""
    return _saved(
        session,
        WebhookEndpoint(
            organization=_pop(
                fields, "organization", lambda: make_organization(session, OrganizationKind.JOB_CENTER)
            ),
            url=fields.pop("url", "https://cases.example.org/hireday"),
            secret=fields.pop("secret", "whsec_" + "A" * 44),
            **fields,
        ),
    )


def make_webhook_message(session: Session, **fields) -> WebhookMessage:
    """A message waiting for its first attempt."""
    return _saved(
        session,
        WebhookMessage(
            endpoint=_pop(fields, "endpoint", lambda: make_webhook_endpoint(session)),
            message_id=fields.pop("message_id", f"msg_{next(_seq):06d}"),
            event_type=fields.pop("event_type", "referral.registered"),
            payload=fields.pop("payload", "{}"),
            **fields,
        ),
    )


def make_file_job(session: Session, **fields) -> FileJob:
    """A badge sheet waiting for the worker."""
    return _saved(
        session,
        FileJob(
            id=fields.pop("id", f"job{next(_seq):04d}"),
            kind=fields.pop("kind", "badge_sheet"),
            event_id=_pop(fields, "event_id", lambda: make_event(session).id),
            filename=fields.pop("filename", "badges.pdf"),
            total=fields.pop("total", 10),
            **fields,
        ),
    )


def make_batch_job(session: Session, **fields) -> BatchJob:
    """Survey e-mails waiting for the worker."""
    return _saved(
        session,
        BatchJob(
            id=fields.pop("id", f"batch{next(_seq):04d}"),
            kind=fields.pop("kind", "survey_invitations"),
            event_id=_pop(fields, "event_id", lambda: make_event(session).id),
            total=fields.pop("total", 10),
            **fields,
        ),
    )


def make_user_session(session: Session, **fields) -> UserSession:
    return _saved(
        session,
        UserSession(
            user_id=_pop(fields, "user_id", lambda: make_user(session).id),
            token_hash=fields.pop("token_hash", hash_secret(new_secret())),
            created_at=EVENT_START,
            **fields,
        ),
    )


def make_rate_limit_counter(session: Session, **fields) -> RateLimitCounter:
    return _saved(
        session,
        RateLimitCounter(
            key=fields.pop("key", new_secret()),
            hits=fields.pop("hits", 1),
            expires_at=fields.pop("expires_at", 1e9),
            **fields,
        ),
    )


#: How to write one valid row of each table: ``ROWS[table](session, **overrides)``.
ROWS: dict[str, Callable[..., Any]] = {
    "access_tokens": make_access_token,
    "answers": make_answer,
    "bookings": make_booking,
    "candidates": make_candidate,
    "checkins": make_check_in,
    "events": make_event,
    "batch_jobs": make_batch_job,
    "file_jobs": make_file_job,
    "interview_slots": make_slot,
    "interviews": make_interview,
    "manage_links": make_manage_link,
    "organizations": make_organization,
    "outbound_messages": make_outbound_message,
    "webhook_endpoints": make_webhook_endpoint,
    "webhook_messages": make_webhook_message,
    "participations": _participation,
    "partnerships": _partnership,
    "positions": _position,
    "questions": make_question,
    "rate_limit_counters": make_rate_limit_counter,
    "referrals": make_referral,
    "registrations": _registration,
    "responses": make_response,
    "survey_links": make_survey_link,
    "surveys": make_survey,
    "users": make_user,
    "user_sessions": make_user_session,
}


# --- Which rule refused the row ------------------------------------------------------------------


def _rules_in_the_models() -> dict[str, tuple[str, list[str]]]:
    """Every named CHECK, UNIQUE, unique index and foreign key: name -> (table, columns)."""
    rules = {}
    for table in Base.metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, sa.CheckConstraint | sa.UniqueConstraint | sa.ForeignKeyConstraint):
                rules[str(constraint.name)] = (table.name, [column.name for column in constraint.columns])
        for index in table.indexes:
            if index.unique:
                on_columns = all(isinstance(element, sa.Column) for element in index.expressions)
                rules[str(index.name)] = (
                    table.name,
                    [column.name for column in index.columns] if on_columns else [],
                )
    return rules


RULES = _rules_in_the_models()


def assert_refused_by(db, error: IntegrityError, rule: str) -> None:
    """The database says which rule refused the row. PostgreSQL names every constraint; SQLite
    names a CHECK, lists a UNIQUE's columns, and says only "FOREIGN KEY" for a foreign key."""
    assert rule in RULES, f"{rule} is not a rule in the models"
    if db.session.get_bind().dialect.name == "postgresql":
        assert error.orig.diag.constraint_name == rule  # type: ignore[union-attr]  # psycopg's error
        return
    table, columns = RULES[rule]
    if rule.startswith("ck_"):
        expected = f"CHECK constraint failed: {rule}"
    elif rule.startswith("fk_"):
        expected = "FOREIGN KEY constraint failed"
    elif not columns:  # a unique index on an expression: SQLite names the index
        expected = f"UNIQUE constraint failed: index '{rule}'"
    else:
        expected = "UNIQUE constraint failed: " + ", ".join(f"{table}.{column}" for column in columns)
    assert str(error.orig) == expected


def _resolve(fields: Fields | Callable[..., Fields], *args) -> Fields:
    return fields(*args) if callable(fields) else dict(fields)


# --- CHECK constraints ---------------------------------------------------------------------------

LATER = EVENT_START + timedelta(hours=2)


def breaks(rule: str, table: str, overrides: Fields | Callable[[Session], Fields], id: str):
    """A row of ``table`` that, with ``overrides`` (fields, or a function of the session that
    builds them), breaks ``rule``."""
    return pytest.param(rule, table, overrides, id=id)


def _both_respondents(session: Session) -> Fields:
    event = make_event(session)
    return {
        "registration": make_registration(session, event),
        "participation": make_participation(session, event),
    }


CHECK_CASES = [
    breaks(
        "ck_access_tokens_booth_has_participation",
        "access_tokens",
        {"scope": TokenScope.BOOTH},
        id="booth link for no employer",
    ),
    breaks(
        "ck_access_tokens_partner_has_organization",
        "access_tokens",
        {"scope": TokenScope.PARTNER},
        id="partner link for no partner",
    ),
    breaks(
        "ck_access_tokens_device_has_event",
        "access_tokens",
        {"event": None},
        id="scanner device for no event",
    ),
    breaks(
        "ck_access_tokens_token_hash_is_sha256",
        "access_tokens",
        {"token_hash": "the-secret-itself"},
        id="token stored without hashing",
    ),
    breaks("ck_answers_number_range", "answers", {"number": 11}, id="answer above 10"),
    breaks("ck_answers_number_range", "answers", {"number": -1}, id="answer below 0"),
    breaks("ck_bookings_seat_positive", "bookings", {"seat": 0}, id="booking seat 0"),
    breaks(
        "ck_candidates_has_contact",
        "candidates",
        {"email": None, "phone": None},
        id="candidate with neither email nor phone",
    ),
    breaks("ck_candidates_phone_e164", "candidates", {"phone": "(312) 555-0100"}, id="phone not in E.164"),
    breaks("ck_candidates_phone_e164", "candidates", {"phone": "+"}, id="phone of a plus sign alone"),
    breaks(
        "ck_candidates_first_name_not_empty", "candidates", {"first_name": ""}, id="candidate without a name"
    ),
    breaks(
        "ck_checkins_identifies_something",
        "checkins",
        {"registration": None, "raw_code": None},
        id="scan of nothing",
    ),
    breaks(
        "ck_checkins_error_code_iff_failed",
        "checkins",
        {"successful": False},
        id="failed scan without a reason",
    ),
    breaks(
        "ck_checkins_error_code_iff_failed",
        "checkins",
        {"error_code": "cancelled"},
        id="successful scan with an error",
    ),
    breaks("ck_checkins_undo_names_its_scan", "checkins", {"kind": CheckInKind.UNDO}, id="undo of no scan"),
    breaks(
        "ck_checkins_undo_names_its_scan",
        "checkins",
        lambda s: {"undoes_id": make_check_in(s).id},
        id="entry scan claiming to undo another",
    ),
    breaks("ck_checkins_nonce_not_empty", "checkins", {"nonce": ""}, id="scan with an empty nonce"),
    breaks("ck_events_ends_after_start", "events", {"ends_at": EVENT_START}, id="event ending as it starts"),
    breaks(
        "ck_events_registration_window_order",
        "events",
        {
            "registration_opens_at": EVENT_START - timedelta(days=1),
            "registration_closes_at": EVENT_START - timedelta(days=2),
        },
        id="registration closing before it opens",
    ),
    breaks("ck_events_capacity_positive", "events", {"capacity": 0}, id="event capacity 0"),
    breaks(
        "ck_events_max_bookings_not_negative",
        "events",
        {"max_bookings_per_candidate": -1},
        id="negative bookings per candidate",
    ),
    breaks("ck_events_slug_not_empty", "events", {"slug": ""}, id="event without a slug"),
    breaks(
        "ck_interview_slots_ends_after_start",
        "interview_slots",
        {"starts_at": LATER, "ends_at": LATER},
        id="slot ending as it starts",
    ),
    breaks("ck_interview_slots_capacity_positive", "interview_slots", {"capacity": 0}, id="slot capacity 0"),
    breaks(
        "ck_interviews_booked_iff_booking",
        "interviews",
        {"source": InterviewSource.BOOKED},
        id="booked interview without a booking",
    ),
    breaks(
        "ck_interviews_booked_iff_booking",
        "interviews",
        lambda s: {"source": InterviewSource.WALK_UP, "booking": make_booking(s)},
        id="walk-up interview with a booking",
    ),
    breaks(
        "ck_interviews_outcome_has_time",
        "interviews",
        {"outcome": Outcome.NOT_SELECTED},
        id="outcome without when it was recorded",
    ),
    breaks(
        "ck_interviews_offer_has_wage",
        "interviews",
        {"outcome": Outcome.CONDITIONAL_OFFER, "recorded_at": LATER, "offer_wage_unit": WageUnit.HOUR},
        id="offer without a wage",
    ),
    breaks(
        "ck_interviews_offer_has_wage",
        "interviews",
        {"outcome": Outcome.HIRED_ON_THE_SPOT, "recorded_at": LATER, "offer_wage_cents": 1900},
        id="hire without a wage unit",
    ),
    breaks(
        "ck_interviews_offer_wage_not_negative",
        "interviews",
        {"offer_wage_cents": -1},
        id="negative offer wage",
    ),
    breaks(
        "ck_interviews_hire_status_needs_offer",
        "interviews",
        {"outcome": Outcome.NOT_SELECTED, "recorded_at": LATER, "hire_status": HireStatus.HIRED},
        id="hired without an offer",
    ),
    breaks(
        "ck_interviews_later_offer_on_hire_path",
        "interviews",
        {"outcome": Outcome.NO_SHOW, "recorded_at": LATER, "later_offer_at": LATER},
        id="an offer after the event to someone who never came",
    ),
    breaks(
        "ck_participations_interview_minutes_range",
        "participations",
        {"interview_minutes": 0},
        id="interviews of 0 minutes",
    ),
    breaks(
        "ck_participations_interview_minutes_range",
        "participations",
        {"interview_minutes": 241},
        id="interviews over 4 hours",
    ),
    breaks(
        "ck_participations_interviewers_positive",
        "participations",
        {"interviewers": 0},
        id="booth with no interviewers",
    ),
    breaks(
        "ck_participations_interview_window_order",
        "participations",
        {"interview_starts_at": LATER, "interview_ends_at": LATER},
        id="interviewing window ending as it starts",
    ),
    breaks("ck_positions_openings_positive", "positions", {"openings": 0}, id="job with no openings"),
    breaks("ck_positions_wage_min_not_negative", "positions", {"wage_min_cents": -1}, id="negative wage"),
    breaks(
        "ck_positions_wage_max_not_negative",
        "positions",
        {"wage_min_cents": None, "wage_max_cents": -500},
        id="negative top of the wage range",
    ),
    breaks(
        "ck_manage_links_token_hash_is_sha256",
        "manage_links",
        {"token_hash": "the-secret-itself"},
        id="a manage link's secret kept instead of its hash",
    ),
    breaks(
        "ck_registrations_checkin_number_positive",
        "registrations",
        {"checkin_number": 0},
        id="check-in number zero",
    ),
    breaks(
        "ck_survey_links_token_hash_is_sha256",
        "survey_links",
        {"token_hash": "the-secret-itself"},
        id="survey link stored in the clear",
    ),
    breaks(
        "ck_surveys_window_order",
        "surveys",
        {"opens_at": EVENT_START, "closes_at": EVENT_START - timedelta(days=1)},
        id="survey closing before it opens",
    ),
    breaks("ck_users_name_not_empty", "users", {"name": ""}, id="account without a name"),
    breaks("ck_access_tokens_name_not_empty", "access_tokens", {"name": ""}, id="link without a name"),
    breaks(
        "ck_bookings_seat_within_capacity",
        "bookings",
        lambda s: {"slot": make_slot(s, capacity=1), "seat": 2},
        id="booking a seat the slot does not have",
    ),
    breaks(
        "ck_positions_wage_range_order",
        "positions",
        {"wage_min_cents": 2200, "wage_max_cents": 1800},
        id="wage range upside down",
    ),
    breaks("ck_positions_wage_has_unit", "positions", {"wage_unit": None}, id="wage without a unit"),
    breaks("ck_positions_title_not_empty", "positions", {"title": ""}, id="job without a title"),
    breaks("ck_questions_position_not_negative", "questions", {"position": -1}, id="question at position -1"),
    breaks(
        "ck_rate_limit_counters_hits_not_negative",
        "rate_limit_counters",
        {"hits": -1},
        id="a rate-limit count below zero",
    ),
    breaks(
        "ck_registrations_cancelled_at_iff_cancelled",
        "registrations",
        {"status": RegistrationStatus.CANCELLED},
        id="cancelled without a cancellation time",
    ),
    breaks(
        "ck_registrations_cancelled_at_iff_cancelled",
        "registrations",
        {"cancelled_at": EVENT_START},
        id="cancellation time on a live registration",
    ),
    breaks(
        "ck_registrations_profile_sharing_consented",
        "registrations",
        {"consent_share_profile": False},
        id="registration without consent to share",
    ),
    breaks(
        "ck_registrations_badge_code_long_enough",
        "registrations",
        {"badge_code": "GUESSABLE1"},
        id="badge code too short to be unguessable",
    ),
    breaks(
        "ck_responses_exactly_one_respondent", "responses", {"registration": None}, id="response from nobody"
    ),
    breaks(
        "ck_responses_exactly_one_respondent",
        "responses",
        _both_respondents,
        id="response from seeker and employer at once",
    ),
    breaks(
        "ck_outbound_messages_sent_at_iff_sent",
        "outbound_messages",
        {"status": MessageStatus.SENT},
        id="message sent at no time",
    ),
    breaks(
        "ck_outbound_messages_sent_at_iff_sent",
        "outbound_messages",
        {"sent_at": EVENT_START},
        id="queued message with a sending time",
    ),
    breaks(
        "ck_outbound_messages_attempts_not_negative",
        "outbound_messages",
        {"attempts": -1},
        id="message tried -1 times",
    ),
    breaks(
        "ck_webhook_endpoints_secret_is_whsec",
        "webhook_endpoints",
        {"secret": "hunter2"},
        id="webhook secret not in the Standard Webhooks form",
    ),
    breaks(
        "ck_webhook_endpoints_previous_secret_is_whsec",
        "webhook_endpoints",
        {"previous_secret": "hunter2"},
        id="rotated-out webhook secret not in the Standard Webhooks form",
    ),
    breaks(
        "ck_webhook_endpoints_url_not_empty",
        "webhook_endpoints",
        {"url": ""},
        id="webhook endpoint without a URL",
    ),
    breaks(
        "ck_webhook_messages_attempts_not_negative",
        "webhook_messages",
        {"attempts": -1},
        id="webhook tried -1 times",
    ),
    breaks(
        "ck_webhook_messages_delivered_at_iff_delivered",
        "webhook_messages",
        {"status": WebhookStatus.DELIVERED},
        id="webhook delivered at no time",
    ),
    breaks(
        "ck_webhook_messages_delivered_at_iff_delivered",
        "webhook_messages",
        {"delivered_at": EVENT_START},
        id="waiting webhook with a delivery time",
    ),
    breaks(
        "ck_webhook_messages_payload_once_attempted",
        "webhook_messages",
        {"attempts": 1, "payload": None},
        id="webhook sent without a body",
    ),
    breaks("ck_file_jobs_done_within_total", "file_jobs", {"done": 11}, id="job done past its total"),
    breaks("ck_batch_jobs_done_within_total", "batch_jobs", {"done": 11}, id="batch job done past its total"),
    breaks(
        "ck_survey_links_exactly_one_respondent",
        "survey_links",
        {"registration": None},
        id="survey link for nobody",
    ),
    breaks(
        "ck_survey_links_exactly_one_respondent",
        "survey_links",
        _both_respondents,
        id="survey link for a seeker and an employer at once",
    ),
    breaks(
        "ck_file_jobs_content_iff_finished",
        "file_jobs",
        {"status": FileJobStatus.FINISHED},
        id="finished job without its file",
    ),
    breaks(
        "ck_file_jobs_content_iff_finished", "file_jobs", {"content": b"%PDF"}, id="queued job with a file"
    ),
]


@pytest.mark.parametrize(("rule", "table", "overrides"), CHECK_CASES)
def test_a_check_constraint_refuses_the_row_that_breaks_it(db, rule, table, overrides):
    make = ROWS[table]
    make(db.session)  # the same row without the override is accepted
    bad_fields = _resolve(overrides, db.session)

    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
        make(db.session, **bad_fields)

    assert_refused_by(db, refused.value, rule)


# --- Enum columns: a CHECK on every database, tested past the ORM's own validation ---------------


def enum_value(
    rule: str,
    table: str,
    column: str,
    refused: str,
    accepted: str,
    row: Fields | Callable[[Session], Fields] | None = None,
):
    """``table.column`` refuses ``refused`` (a plausible value that fits the column but is not in the
    enum) and takes ``accepted``; ``row`` sets up a row where ``accepted`` breaks no other rule."""
    return pytest.param(rule, table, column, refused, accepted, row or {}, id=f"{table}.{column} = {refused}")


AN_OFFER = {
    "outcome": Outcome.CONDITIONAL_OFFER,
    "recorded_at": LATER,
    "offer_wage_cents": 1900,
    "offer_wage_unit": WageUnit.HOUR,
}

ENUM_CASES = [
    enum_value(
        "ck_access_tokens_token_scope",
        "access_tokens",
        "scope",
        "admin",
        "partner",
        row=lambda s: {"organization": make_organization(s, OrganizationKind.JOB_CENTER)},
    ),
    enum_value("ck_candidates_language", "candidates", "language", "fr", "es"),
    enum_value("ck_checkins_check_in_kind", "checkins", "kind", "break", "exit"),
    enum_value("ck_events_event_kind", "events", "kind", "job_fair", "techapalooza"),
    enum_value("ck_events_event_status", "events", "status", "cancelled", "closed"),
    # Any other source would break booked_iff_booking, so the walk-up keeps its own.
    enum_value("ck_interviews_interview_source", "interviews", "source", "phone", "walk_up"),
    enum_value(
        "ck_interviews_outcome", "interviews", "outcome", "offer", "no_show", row={"recorded_at": LATER}
    ),
    enum_value("ck_interviews_wage_unit", "interviews", "offer_wage_unit", "week", "year"),
    enum_value("ck_interviews_hire_status", "interviews", "hire_status", "started", "hired", row=AN_OFFER),
    enum_value("ck_organizations_organization_kind", "organizations", "kind", "school", "job_center"),
    enum_value("ck_organizations_sector", "organizations", "sector", "retail", "healthcare"),
    enum_value("ck_positions_sector", "positions", "sector", "retail", "hospitality"),
    enum_value("ck_positions_wage_unit", "positions", "wage_unit", "week", "year"),
    enum_value("ck_positions_employment_type", "positions", "employment_type", "volunteer", "part_time"),
    enum_value("ck_questions_question_kind", "questions", "kind", "file_upload", "scale_5"),
    enum_value("ck_registrations_registration_status", "registrations", "status", "attended", "waitlisted"),
    enum_value("ck_registrations_registration_source", "registrations", "source", "phone", "walk_in"),
    enum_value("ck_registrations_language", "registrations", "language", "fr", "es"),
    enum_value("ck_responses_language", "responses", "language", "fr", "es"),
    enum_value("ck_manage_links_manage_link_reason", "manage_links", "reason", "spam", "resent"),
    enum_value("ck_survey_links_survey_link_purpose", "survey_links", "purpose", "spam", "reminder"),
    enum_value("ck_surveys_audience", "surveys", "audience", "volunteer", "employer"),
    enum_value("ck_surveys_phase", "surveys", "phase", "mid", "pre"),
    enum_value("ck_users_role", "users", "role", "admin", "volunteer"),
    enum_value("ck_outbound_messages_channel", "outbound_messages", "channel", "fax", "sms"),
    enum_value("ck_outbound_messages_message_status", "outbound_messages", "status", "bounced", "withdrawn"),
    enum_value("ck_file_jobs_file_job_status", "file_jobs", "status", "paused", "running"),
    enum_value("ck_batch_jobs_file_job_status", "batch_jobs", "status", "paused", "running"),
    enum_value("ck_webhook_messages_webhook_status", "webhook_messages", "status", "bounced", "failed"),
]


@pytest.mark.parametrize(("rule", "table", "column", "refused", "accepted", "row"), ENUM_CASES)
def test_an_enum_column_refuses_a_value_outside_the_enum(db, rule, table, column, refused, accepted, row):
    record = ROWS[table](db.session, **_resolve(row, db.session))
    # Raw SQL: the ORM's Enum type would refuse the value in Python before the database saw it.
    set_value = sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id")

    db.session.execute(set_value, {"value": accepted, "id": record.id})
    with pytest.raises(IntegrityError) as refused_by, db.session.begin_nested():
        db.session.execute(set_value, {"value": refused, "id": record.id})

    assert_refused_by(db, refused_by.value, rule)
    stored = db.session.scalar(sa.text(f"SELECT {column} FROM {table} WHERE id = :id"), {"id": record.id})
    assert stored == accepted


# --- Emails are stored lower-cased, so uniqueness ignores case -----------------------------------

EMAIL_CASES = [
    pytest.param(
        "ck_candidates_email_lowercase",
        Candidate,
        {"first_name": "Maria", "last_name": "Lopez", "name_key": "maria lopez"},
        id="candidates",
    ),
    pytest.param(
        "ck_users_email_lowercase", User, {"name": "Ada", "role": "staff", "password_hash": "x"}, id="users"
    ),
]


@pytest.mark.parametrize(("rule", "model", "fields"), EMAIL_CASES)
def test_an_upper_case_email_is_refused_so_no_one_registers_twice_by_changing_case(db, rule, model, fields):
    # Core inserts: the services lower-case emails first, so only a direct write can test the database.
    insert = sa.insert(model.__table__)
    db.session.execute(insert.values(email="maria.lopez@example.com", **fields))  # lower case: accepted

    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
        db.session.execute(insert.values(email="Maria.Lopez@Example.com", **fields))

    assert_refused_by(db, refused.value, rule)


# --- UNIQUE constraints and partial unique indexes ------------------------------------------------


def unique(rule: str, table: str, same, differ, id: str):
    """Two rows of ``table`` sharing the fields ``same`` builds break ``rule``; the twin that changes
    what ``differ`` builds is accepted. ``same`` is fields or ``f(session)``; ``differ`` is fields or
    ``f(session, same)``."""
    return pytest.param(rule, table, same, differ, id=id)


def _an_event_and(make_other):
    return lambda s: {"event": make_event(s), **make_other(s)}


def _registration_and_partnership(session: Session) -> Fields:
    registration = _registration(session)
    return {"registration": registration, "partnership": make_partnership(session, registration.event)}


def _response_and_question(session: Session) -> Fields:
    response = make_response(session)
    return {"response": response, "question": make_question(session, survey=response.survey)}


def _survey_and_registration(session: Session) -> Fields:
    survey = make_survey(session)
    return {"survey": survey, "registration": make_registration(session, survey.event)}


def _survey_and_participation(session: Session) -> Fields:
    survey = make_survey(session, audience=Audience.EMPLOYER)
    return {"survey": survey, "participation": make_participation(session, survey.event)}


def _interview_person_and_booth(session: Session) -> Fields:
    participation = _participation(session)
    return {"participation": participation, "registration": make_registration(session, participation.event)}


def _slot_and_registration(session: Session) -> Fields:
    slot = make_slot(session)
    return {"slot": slot, "registration": make_registration(session, slot.participation.event)}


UNIQUE_CASES = [
    unique(
        "uq_access_tokens_token_hash",
        "access_tokens",
        {"token_hash": "a" * 64},
        {"token_hash": "b" * 64},
        id="two links with one secret",
    ),
    unique(
        "uq_answers_response_id_question_id",
        "answers",
        _response_and_question,
        lambda s, same: {"question": make_question(s, survey=same["response"].survey)},
        id="two answers to one question in one response",
    ),
    unique(
        "uq_bookings_slot_id_seat_active",
        "bookings",
        lambda s: {"slot": make_slot(s), "seat": 1},
        {"seat": 2},
        id="two live bookings of one seat",
    ),
    unique(
        "uq_bookings_registration_id_participation_id_active",
        "bookings",
        _slot_and_registration,
        lambda s, same: {"registration": make_registration(s, same["slot"].participation.event)},
        id="one person booked twice into one slot",
    ),
    unique(
        "uq_candidates_email_name_key",
        "candidates",
        {"email": "nunez.family@example.com", "first_name": "José", "last_name": "Núñez"},
        {"first_name": "Guadalupe"},
        id="one person twice under one email (a household member is not)",
    ),
    unique(
        "uq_candidates_phone_name_key",
        "candidates",
        {"phone": "+13125550142", "first_name": "José", "last_name": "Núñez"},
        {"first_name": "Guadalupe"},
        id="one person twice under one phone (a household member is not)",
    ),
    unique(
        "uq_checkins_undoes_id",
        "checkins",
        lambda s: {"kind": CheckInKind.UNDO, "undoes_id": make_check_in(s).id},
        lambda s, same: {"undoes_id": make_check_in(s).id},
        id="one scan undone twice",
    ),
    unique(
        "uq_checkins_nonce",
        "checkins",
        {"nonce": "door-2-scan-0001"},
        {"nonce": "door-2-scan-0002"},
        id="two scans with one nonce",
    ),
    unique(
        "uq_events_slug",
        "events",
        {"slug": "techapalooza-spring"},
        {"slug": "techapalooza-fall"},
        id="two events with one slug",
    ),
    unique(
        "uq_interview_slots_participation_id_starts_at",
        "interview_slots",
        lambda s: {"participation": _participation(s), "starts_at": LATER},
        {"starts_at": LATER + timedelta(minutes=10)},
        id="two slots at one booth and time",
    ),
    unique(
        "uq_interviews_booking_id",
        "interviews",
        # Finished interviews, so only the booking rule (not the one-open-interview rule) applies.
        lambda s: {"booking": make_booking(s), "outcome": Outcome.NO_SHOW, "recorded_at": EVENT_START},
        lambda s, same: {"booking": make_booking(s, slot=same["booking"].slot)},
        id="two interviews for one booking",
    ),
    unique(
        "uq_interviews_registration_id_participation_id_open",
        "interviews",
        _interview_person_and_booth,
        lambda s, same: {"participation": _participation(s, event=same["registration"].event)},
        id="one person queued twice at one booth",
    ),
    unique(
        "uq_interviews_client_nonce",
        "interviews",
        {"client_nonce": "booth-7-0001"},
        {"client_nonce": "booth-7-0002"},
        id="two interviews from one tablet write",
    ),
    unique(
        "uq_organizations_name_key",
        "organizations",
        {"name": "Hilton Chicago"},
        {"name": "Hilton Chicago Downtown"},
        id="two employers with one name",
    ),
    unique(
        "uq_organizations_name_key",
        "organizations",
        {"name": "Code Forward Chicago", "kind": OrganizationKind.COMMUNITY_ORG},
        {"name": "Code Forward Evanston"},
        id="one partner under two kinds",
    ),
    unique(
        "uq_participations_event_id_organization_id",
        "participations",
        _an_event_and(lambda s: {"organization": make_organization(s)}),
        lambda s, same: {"organization": make_organization(s)},
        id="one employer twice at an event",
    ),
    unique(
        "uq_participations_event_id_table_number",
        "participations",
        lambda s: {"event": make_event(s), "table_number": "12"},
        {"table_number": "14"},
        id="two employers at one table",
    ),
    unique(
        "uq_partnerships_event_id_organization_id",
        "partnerships",
        _an_event_and(lambda s: {"organization": make_organization(s, OrganizationKind.JOB_CENTER)}),
        lambda s, same: {"organization": make_organization(s, OrganizationKind.JOB_CENTER)},
        id="one partner twice at an event",
    ),
    unique(
        "uq_partnerships_referral_code",
        "partnerships",
        {"referral_code": "NORTHSIDE"},
        {"referral_code": "SOUTHSIDE"},
        id="two partners with one referral code",
    ),
    unique(
        "uq_questions_survey_id_key",
        "questions",
        lambda s: {"survey": make_survey(s), "key": "recommend"},
        {"key": "barriers"},
        id="two questions with one key in a survey",
    ),
    unique(
        "uq_referrals_registration_id_partnership_id",
        "referrals",
        _registration_and_partnership,
        lambda s, same: {"partnership": make_partnership(s, same["registration"].event)},
        id="one partner credited twice for one person",
    ),
    unique(
        "uq_registrations_event_id_candidate_id",
        "registrations",
        _an_event_and(lambda s: {"candidate": make_candidate(s)}),
        lambda s, same: {"event": make_event(s)},
        id="one person registered twice for an event",
    ),
    unique(
        "uq_manage_links_token_hash",
        "manage_links",
        {"token_hash": "a" * 64},
        {"token_hash": "b" * 64},
        id="two manage links with one secret",
    ),
    unique(
        "uq_registrations_event_id_checkin_number",
        "registrations",
        lambda s: {"event": make_event(s), "checkin_number": 7},
        {"checkin_number": 8},
        id="two badges of an event with one check-in number",
    ),
    unique(
        "uq_responses_survey_id_registration_id",
        "responses",
        _survey_and_registration,
        lambda s, same: {"registration": make_registration(s, same["survey"].event)},
        id="one seeker answering a survey twice",
    ),
    unique(
        "uq_responses_survey_id_participation_id",
        "responses",
        _survey_and_participation,
        lambda s, same: {"participation": make_participation(s, same["survey"].event)},
        id="one employer answering a survey twice",
    ),
    unique(
        "uq_survey_links_token_hash",
        "survey_links",
        {"token_hash": "a" * 64},
        {"token_hash": "b" * 64},
        id="two survey links with one secret",
    ),
    unique(
        "uq_surveys_event_id_audience_phase",
        "surveys",
        lambda s: {"event": make_event(s), "audience": Audience.CANDIDATE, "phase": Phase.POST},
        {"phase": Phase.PRE},
        id="two post-event surveys for seekers",
    ),
    unique(
        "uq_users_email",
        "users",
        {"email": "ada@example.org"},
        {"email": "grace@example.org"},
        id="two users with one email",
    ),
    unique(
        "uq_outbound_messages_once_key",
        "outbound_messages",
        {"once_key": "reminder_morning:1:1:email"},
        {"once_key": "reminder_morning:1:1:sms"},
        id="one reminder queued twice",
    ),
    unique(
        "uq_user_sessions_token_hash",
        "user_sessions",
        {"token_hash": "a" * 64},
        {"token_hash": "b" * 64},
        id="two signed-in sessions with one id",
    ),
    unique(
        "uq_webhook_messages_message_id",
        "webhook_messages",
        {"message_id": "msg_a"},
        {"message_id": "msg_b"},
        id="two webhook messages with one webhook-id",
    ),
]


@pytest.mark.parametrize(("rule", "table", "same", "differ"), UNIQUE_CASES)
def test_a_unique_rule_refuses_the_duplicate(db, rule, table, same, differ):
    make = ROWS[table]
    shared = _resolve(same, db.session)
    make(db.session, **shared)
    make(db.session, **(shared | _resolve(differ, db.session, shared)))  # one field apart: accepted

    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
        make(db.session, **shared)

    assert_refused_by(db, refused.value, rule)


def test_two_badge_codes_that_differ_only_in_case_are_one_code(db):
    """A scanner may type a code in any case, so no two badges may share one in any case."""
    event = make_event(db.session)
    make_registration(db.session, event, badge_code="Badge-Code-Of-22-Chars")
    make_registration(db.session, event, badge_code="Other-Code-Of-22-Chars")  # another code: accepted
    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
        make_registration(db.session, event, badge_code="BADGE-CODE-OF-22-CHARS")
    assert_refused_by(db, refused.value, "uq_registrations_badge_code_folded")
    # The same code as typed breaks both rules; each database names one of them.
    with pytest.raises(IntegrityError), db.session.begin_nested():
        make_registration(db.session, event, badge_code="Badge-Code-Of-22-Chars")


def test_a_cancelled_booking_frees_its_seat_and_its_person(db):
    slot = make_slot(db.session, capacity=2)
    first = make_booking(db.session, slot=slot, seat=1)
    other = make_registration(db.session, slot.participation.event)
    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
        make_booking(db.session, slot=slot, registration=other, seat=1)
    assert_refused_by(db, refused.value, "uq_bookings_slot_id_seat_active")

    first.cancelled_at = EVENT_START
    db.session.flush()
    make_booking(db.session, slot=slot, registration=other, seat=1)
    make_booking(db.session, slot=slot, registration=first.registration, seat=2)  # the canceller rebooks

    rows = db.session.execute(
        sa.select(Booking.registration_id, Booking.seat, Booking.cancelled_at.is_not(None))
        .where(Booking.slot_id == slot.id)
        .order_by(Booking.id)
    ).all()
    assert [tuple(row) for row in rows] == [
        (first.registration_id, 1, True),  # the cancelled booking stays, as history
        (other.id, 1, False),
        (first.registration_id, 2, False),
    ]


# --- Foreign keys --------------------------------------------------------------------------------


def test_a_registration_for_an_event_that_does_not_exist_is_refused(db):
    candidate = make_candidate(db.session)
    missing_event_id = (db.session.scalar(sa.select(sa.func.max(Event.id))) or 0) + 1

    def register(**event):
        registration = Registration(
            candidate=candidate,
            badge_code=new_badge_code(),
            checkin_number=1,
            consent_share_profile=True,
            **event,
        )
        return _saved(db.session, registration)

    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
        register(event_id=missing_event_id)
    assert_refused_by(db, refused.value, "fk_registrations_event_id_events")

    assert register(event_id=make_event(db.session).id).id is not None


def test_a_scan_cannot_name_a_registration_of_another_event(db):
    registration = _registration(db.session)
    other_event = make_event(db.session)
    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
        make_check_in(db.session, registration=registration, event_id=other_event.id)
    assert_refused_by(db, refused.value, "fk_checkins_registration_id_registrations")
    # Another event's badge is logged by its code instead.
    make_check_in(
        db.session,
        registration=None,
        raw_code=registration.badge_code,
        event_id=other_event.id,
        successful=False,
        error_code="wrong_event",
    )


def test_a_partner_of_another_event_gets_no_credit(db):
    registration = _registration(db.session)
    elsewhere = make_partnership(db.session, make_event(db.session))
    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
        _saved(db.session, Referral(registration=registration, partnership_id=elsewhere.id))
    assert_refused_by(db, refused.value, "fk_referrals_partnership_id_partnerships")
    make_referral(db.session, registration=registration)


def test_a_slot_cannot_shrink_below_its_booked_seats(db):
    slot = make_slot(db.session, capacity=3)
    booking = make_booking(db.session, slot=slot, seat=3)
    assert booking.slot_capacity == 3
    # The change and the flush that refuses it share one savepoint, which the refusal rolls back.
    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():  # noqa: PT012
        slot.capacity = 2
        db.session.flush()
    assert_refused_by(db, refused.value, "ck_bookings_seat_within_capacity")
    db.session.refresh(slot)

    slot.capacity = 4  # growing is fine, and the booking follows
    db.session.flush()
    db.session.refresh(booking)
    assert booking.slot_capacity == 4


# --- Times are UTC and timezone-aware ------------------------------------------------------------


def test_a_naive_datetime_is_refused_before_it_reaches_the_database(db):
    with pytest.raises(StatementError) as refused, db.session.begin_nested():
        make_event(db.session, starts_at=datetime(2026, 12, 10, 10, 0))  # noqa: DTZ001  (naive on purpose)

    assert isinstance(refused.value.orig, ValueError)
    assert "naive datetime" in str(refused.value.orig)


def test_times_come_back_timezone_aware_in_utc(db):
    ten_in_chicago = datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
    event = make_event(db.session, starts_at=ten_in_chicago)

    stored = db.session.scalar(sa.select(Event.starts_at).where(Event.id == event.id))

    assert stored.tzinfo == UTC
    assert stored == datetime(2026, 12, 10, 16, 0, tzinfo=UTC)


# --- Every rule has a test -----------------------------------------------------------------------


#: Unique keys on (id, …): they cannot be broken on their own (id is unique already); they exist as
#: targets of composite foreign keys, which the tests above prove.
FOREIGN_KEY_TARGETS = {
    "uq_registrations_id_event_id",
    "uq_partnerships_id_event_id",
    "uq_interview_slots_id_capacity",
    "uq_interview_slots_id_participation_id",
}
#: Unique rules another one implies, so no row can break them alone: a badge code unique in any
#: case is unique as typed. (Dropping the plain one would rebuild ``registrations`` on SQLite, and
#: the cascade would delete its check-ins: migration 0020.)
IMPLIED = {"uq_registrations_badge_code"}
#: Rules proven by a test of their own above (test_two_badge_codes_that_differ_only_in_case_are_one_code).
PROVEN_BY_THEIR_OWN_TEST = {"uq_registrations_badge_code_folded"}


def test_every_check_and_unique_rule_in_the_models_is_proven_here():
    proven = {
        case.values[0] for case in CHECK_CASES + ENUM_CASES + EMAIL_CASES + UNIQUE_CASES
    } | PROVEN_BY_THEIR_OWN_TEST
    rules = {name for name in RULES if not name.startswith("fk_")} - FOREIGN_KEY_TARGETS - IMPLIED

    assert rules - proven == set(), "add a case proving the database enforces these rules"
    assert proven - rules == set(), "these cases name rules the models do not have"


def test_one_person_holds_one_live_booking_per_employer(db):
    first = make_booking(db.session)
    later = make_slot(db.session, participation=first.slot.participation, starts_at=first.slot.ends_at)
    with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
        make_booking(db.session, slot=later, registration=first.registration)
    assert_refused_by(db, refused.value, "uq_bookings_registration_id_participation_id_active")
    first.cancelled_at = first.slot.starts_at  # given back, the booth can be booked again
    make_booking(db.session, slot=later, registration=first.registration)
