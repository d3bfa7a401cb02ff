"""Staff editing a survey: add, change, reorder and remove questions, in English and Spanish.

Once anyone has answered, the survey's structure is locked so its results stay comparable: the
questions, their kinds, order, required flags and choice codes stay as they are, and only wording
(prompts, choice labels, titles) and the answering window may change."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select

from app.database import Session
from app.models import Question, QuestionKind, Response, Survey, User
from app.services import audit
from app.services.errors import DomainError
from app.services.surveys import CHOICE_KINDS

KEY_MAX = 40
PROMPT_MAX = 500
CHOICE_LABEL_MAX = 200
MAX_CHOICES = 30


@dataclass
class QuestionDraft:
    """What staff typed for a question. ``choices`` are ``{"value", "en", "es"}`` dicts; a blank
    ``value`` is made from the English label."""

    kind: QuestionKind
    prompt_en: str
    prompt_es: str
    required: bool = False
    choices: list[dict[str, str]] = field(default_factory=list)


def _code(text: str, limit: int = KEY_MAX) -> str:
    """``"Hard-to-fill roles?"`` → ``hard_to_fill_roles``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:limit].strip("_") or "item"


def parse_choices(text: str) -> list[dict[str, str]]:
    """One choice a line, ``English | Español`` or ``code | English | Español`` (the code is what
    results and CSVs keep; it is made from the English label when left out)."""
    choices = []
    for number, line in enumerate((line.strip() for line in text.splitlines()), start=1):
        if not line:
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 2:
            parts = ["", *parts]
        if len(parts) != 3 or not parts[1] or not parts[2]:
            raise DomainError(
                "bad_choice_line",
                f"Line {number}: write “English | Español” (or “code | English | Español”).",
                field="choices",
            )
        choices.append({"value": parts[0], "en": parts[1], "es": parts[2]})
    return choices


def choices_text(choices: list[dict[str, str]]) -> str:
    """The choices as ``parse_choices`` reads them back."""
    return "\n".join(f"{c['value']} | {c['en']} | {c['es']}" for c in choices)


def _checked(draft: QuestionDraft) -> QuestionDraft:
    prompt_en, prompt_es = draft.prompt_en.strip(), draft.prompt_es.strip()
    if not prompt_en:
        raise DomainError("prompt_required", "Write the question in English.", field="prompt_en")
    if not prompt_es:
        raise DomainError("prompt_required", "Write the question in Spanish.", field="prompt_es")
    if len(prompt_en) > PROMPT_MAX or len(prompt_es) > PROMPT_MAX:
        raise DomainError(
            "prompt_too_long", f"Keep the question under {PROMPT_MAX} characters.", field="prompt_en"
        )
    choices: list[dict[str, str]] = []
    if draft.kind in CHOICE_KINDS:
        for choice in draft.choices:
            en, es = choice.get("en", "").strip(), choice.get("es", "").strip()
            if not en or not es or len(en) > CHOICE_LABEL_MAX or len(es) > CHOICE_LABEL_MAX:
                raise DomainError(
                    "bad_choice", "Every choice needs a short English and Spanish label.", field="choices"
                )
            choices.append({"value": _code(choice.get("value") or en), "en": en, "es": es})
        values = [c["value"] for c in choices]
        if len(choices) < 2:
            raise DomainError(
                "choices_required", "A choice question needs at least two choices.", field="choices"
            )
        if len(choices) > MAX_CHOICES:
            raise DomainError("too_many_choices", f"Offer at most {MAX_CHOICES} choices.", field="choices")
        if len(set(values)) != len(values):
            raise DomainError(
                "duplicate_choice", "Two choices have the same code; make them different.", field="choices"
            )
    return QuestionDraft(draft.kind, prompt_en, prompt_es, draft.required, choices)


def has_answers(session: Session, survey: Survey) -> bool:
    """Has anyone answered? Then the structure is locked."""
    return bool(session.scalar(select(exists().where(Response.survey_id == survey.id))))


def _refuse_if_locked(session: Session, survey: Survey) -> None:
    if has_answers(session, survey):
        raise DomainError(
            "structure_locked",
            "People have answered this survey, so its questions can only be reworded: adding, removing, "
            "reordering or changing a question's type or choices would make the results incomparable.",
        )


def _renumber(survey: Survey) -> None:
    for position, question in enumerate(sorted(survey.questions, key=lambda q: (q.position, q.id or 0))):
        question.position = position


def _unused_key(survey: Survey, prompt_en: str) -> str:
    base = _code(prompt_en)
    taken = {q.key for q in survey.questions}
    key, n = base, 2
    while key in taken:
        suffix = f"_{n}"
        key, n = base[: KEY_MAX - len(suffix)] + suffix, n + 1
    return key


def add_question(
    session: Session, survey: Survey, draft: QuestionDraft, *, actor: User | None = None
) -> Question:
    """Add a question at the end of the survey (refused once anyone has answered)."""
    _refuse_if_locked(session, survey)
    draft = _checked(draft)
    question = Question(
        key=_unused_key(survey, draft.prompt_en), position=len(survey.questions), kind=draft.kind,
        prompt_en=draft.prompt_en, prompt_es=draft.prompt_es, required=draft.required, choices=draft.choices,
    )
    survey.questions.append(question)
    session.flush()
    audit.record(session, "survey.question_add", actor_user=actor, obj=question, event_id=survey.event_id,
                 survey_id=survey.id)
    return question


def update_question(
    session: Session, question: Question, draft: QuestionDraft, *, actor: User | None = None
) -> Question:
    """Change a question. Once the survey has answers only the wording may change: the kind, the
    required flag and the choices' codes (and their order) must stay."""
    survey = question.survey
    locked = has_answers(session, survey)
    if locked and len(draft.choices) == len(question.choices):
        # A relabelled choice given without its code keeps the code of the choice in its place.
        draft.choices = [
            {**new, "value": new.get("value") or old["value"]}
            for old, new in zip(question.choices, draft.choices, strict=True)
        ]
    draft = _checked(draft)
    if locked:
        same_structure = (
            draft.kind == question.kind and draft.required == question.required
            and [c["value"] for c in draft.choices] == [c["value"] for c in question.choices]
        )
        if not same_structure:
            _refuse_if_locked(session, survey)
    question.kind, question.required = draft.kind, draft.required
    question.prompt_en, question.prompt_es = draft.prompt_en, draft.prompt_es
    question.choices = draft.choices
    session.flush()
    audit.record(session, "survey.question_update", actor_user=actor, obj=question, event_id=survey.event_id,
                 survey_id=survey.id)
    return question


def move_question(session: Session, question: Question, offset: int, *, actor: User | None = None) -> None:
    """Move a question up (``offset`` −1) or down (+1); at either end nothing moves."""
    survey = question.survey
    _refuse_if_locked(session, survey)
    ordered = sorted(survey.questions, key=lambda q: q.position)
    index = ordered.index(question)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, q in enumerate(ordered):
            q.position = position
        session.flush()
        audit.record(
            session,
            "survey.question_move",
            actor_user=actor,
            obj=question,
            event_id=survey.event_id,
            survey_id=survey.id,
        )


def remove_question(session: Session, question: Question, *, actor: User | None = None) -> None:
    survey = question.survey
    _refuse_if_locked(session, survey)
    survey.questions.remove(question)
    _renumber(survey)
    session.flush()
    audit.record(session, "survey.question_remove", actor_user=actor, obj=survey, event_id=survey.event_id,
                 survey_id=survey.id)


def update_survey(
    session: Session,
    survey: Survey,
    *,
    title_en: str,
    title_es: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    actor: User | None = None,
) -> None:
    """Titles and the answering window (None: the default, see ``surveys.survey_window``); always
    allowed, answers or not."""
    title_en, title_es = title_en.strip(), title_es.strip()
    if not title_en or not title_es:
        raise DomainError(
            "title_required", "Give the survey a title in English and in Spanish.", field="title_en"
        )
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError("window_order", "The survey must close after it opens.", field="closes_at")
    survey.title_en, survey.title_es = title_en[:200], title_es[:200]
    survey.opens_at, survey.closes_at = opens_at, closes_at
    session.flush()
    audit.record(session, "survey.update_settings", actor_user=actor, obj=survey, event_id=survey.event_id)
