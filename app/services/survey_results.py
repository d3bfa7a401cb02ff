"""Survey results: response rates, counts and percentages per question, averages, the recommend
score, text answers and the employers' ranked hiring pain points, as plain data. The results page,
the CSV export and the event report all read them from here.

Percentages are of the people who answered the question (a multiple-choice question's add up to
more than 100). The recommend score is the share of promoters (9–10) minus the share of
detractors (0–6), from −100 to 100."""

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from app.database import Session
from app.models import (
    Answer,
    Audience,
    Event,
    Organization,
    Participation,
    Phase,
    QuestionKind,
    Response,
    Survey,
)
from app.services.spreadsheet import Cell, to_csv, zoned_time
from app.services.surveys import CHOICE_KINDS, SCALES, SURVEY_ORDER, audience_size


@dataclass
class OptionCount:
    """One choice (or one number on a scale) and how many chose it."""

    value: str
    label_en: str
    label_es: str
    count: int
    #: Of the people who answered the question; None when nobody did.
    percent: float | None


@dataclass
class RecommendScore:
    promoters: int
    passives: int
    detractors: int
    #: % promoters − % detractors, one decimal; None without answers.
    score: float | None


@dataclass
class TextAnswer:
    text: str
    language: str
    #: The employer's name, for employer surveys (career seekers stay anonymous here).
    employer: str | None = None


@dataclass
class QuestionResult:
    key: str
    kind: str
    prompt_en: str
    prompt_es: str
    required: bool
    #: How many respondents answered this question.
    answered: int
    #: Choice and scale questions: every option, in the question's order, chosen or not.
    options: list[OptionCount] = field(default_factory=list)
    #: Scale and recommend questions: the mean, two decimals.
    average: float | None = None
    recommend: RecommendScore | None = None
    texts: list[TextAnswer] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey_id: int
    audience: str
    phase: str
    title_en: str
    title_es: str
    #: People asked (``surveys.audience``).
    eligible: int
    responses: int
    #: responses / eligible in percent, one decimal; None when nobody was eligible.
    response_rate: float | None
    questions: list[QuestionResult]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class PainPoint:
    value: str
    label_en: str
    label_es: str
    #: Employers choosing it before / after the event, and at either time.
    pre: int
    post: int
    employers: int
    #: Of the employers who answered a pain-point question at all.
    percent: float | None


def _percent(part: int, whole: int, digits: int = 1) -> float | None:
    return round(100 * part / whole, digits) if whole else None


def _option(choice: dict, count: int, answered: int) -> OptionCount:
    return OptionCount(choice["value"], choice["en"], choice["es"], count, _percent(count, answered))


def survey_results(session: Session, survey: Survey) -> SurveyResults:
    """Everything the results page shows for one survey. Reads plain columns, not ORM objects:
    a big event's survey has thousands of answers."""
    responses = {
        response_id: (participation_id, language)
        for response_id, participation_id, language in session.execute(
            select(Response.id, Response.participation_id, Response.language).where(
                Response.survey_id == survey.id
            )
        )
    }
    employers: dict[int, str] = {}
    if survey.audience == Audience.EMPLOYER and responses:
        employers = dict(
            session.execute(
                select(Participation.id, Organization.name).join(Participation.organization)
                .where(Participation.event_id == survey.event_id)
            ).all()
        )
    answers_by_question: dict[int, list[tuple]] = defaultdict(list)
    for question_id, response_id, number, choices, text in session.execute(
        select(Answer.question_id, Answer.response_id, Answer.number, Answer.choices, Answer.text)
        .join(Response).where(Response.survey_id == survey.id).order_by(Answer.id)
    ):
        answers_by_question[question_id].append((response_id, number, choices or [], text))

    results = []
    for question in survey.questions:
        answers = answers_by_question.get(question.id, [])
        answered = len(answers)
        result = QuestionResult(
            question.key,
            question.kind.value,
            question.prompt_en,
            question.prompt_es,
            question.required,
            answered,
        )
        if question.kind in CHOICE_KINDS:
            counts = Counter(value for _, _, choices, _ in answers for value in choices)
            result.options = [_option(c, counts[c["value"]], answered) for c in question.choices]
        elif question.kind in SCALES:
            numbers = [number for _, number, _, _ in answers if number is not None]
            counts = Counter(numbers)
            result.options = [
                _option({"value": str(n), "en": str(n), "es": str(n)}, counts[n], answered)
                for n in SCALES[question.kind]
            ]
            result.average = round(sum(numbers) / len(numbers), 2) if numbers else None
            if question.kind == QuestionKind.RECOMMEND:
                promoters = sum(1 for n in numbers if n >= 9)
                detractors = sum(1 for n in numbers if n <= 6)
                score = None
                if numbers:
                    score = round(100 * (promoters - detractors) / len(numbers), 1)
                result.recommend = RecommendScore(
                    promoters, len(numbers) - promoters - detractors, detractors, score
                )
        else:
            for response_id, _, _, text in answers:
                participation_id, language = responses[response_id]
                employer = employers.get(participation_id) if participation_id else None
                result.texts.append(TextAnswer(text or "", language.value, employer))
        results.append(result)

    eligible = audience_size(session, survey)
    return SurveyResults(
        survey.id, survey.audience.value, survey.phase.value, survey.title_en, survey.title_es,
        eligible, len(responses), _percent(len(responses), eligible), results,
    )


def event_results(session: Session, event: Event) -> list[SurveyResults]:
    """The results of each of the event's surveys, career seekers' first, pre before post."""
    found = {
        (s.audience, s.phase): s for s in session.scalars(select(Survey).where(Survey.event_id == event.id))
    }
    return [survey_results(session, found[key]) for key in SURVEY_ORDER if key in found]


def employer_pain_points(session: Session, event: Event, key: str = "pain_points") -> list[PainPoint]:
    """The employers' hiring pain points (the ``pain_points`` checklist of both employer surveys),
    most often named first. An employer naming one before and after counts once in ``employers``."""
    surveys = {
        s.phase: s for s in session.scalars(
            select(Survey).where(Survey.event_id == event.id, Survey.audience == Audience.EMPLOYER)
        )
    }
    labels: dict[str, tuple[str, str]] = {}
    # Keyed by booth: an employer's answers always have one (the database checks who answered).
    chosen: dict[Phase, dict[str, set[int | None]]] = {
        Phase.PRE: defaultdict(set),
        Phase.POST: defaultdict(set),
    }
    answering: set[int | None] = set()
    for phase, survey in surveys.items():
        question = next((q for q in survey.questions if q.key == key), None)
        if question is None or question.kind != QuestionKind.MULTIPLE_CHOICE:
            continue
        for choice in question.choices:
            labels.setdefault(choice["value"], (choice["en"], choice["es"]))
        rows = session.execute(
            select(Response.participation_id, Answer.choices)
            .join(Answer.response)
            .where(Answer.question_id == question.id)
        )
        for participation_id, values in rows:
            answering.add(participation_id)
            for value in values:
                chosen[phase][value].add(participation_id)
    points = []
    for value, (en, es) in labels.items():
        pre, post = chosen[Phase.PRE][value], chosen[Phase.POST][value]
        employers = len(pre | post)
        points.append(
            PainPoint(value, en, es, len(pre), len(post), employers, _percent(employers, len(answering)))
        )
    order = list(labels)
    return sorted(points, key=lambda p: (-p.employers, -p.post, order.index(p.value)))


# --- CSV --------------------------------------------------------------------------------------------


def results_csv(session: Session, survey: Survey) -> bytes:
    """One row per response: when, in which language, (for employers) who, then one column per
    question (its key) holding the answer: English choice labels joined by "; ", a number, or text."""
    questions = list(survey.questions)
    labels = {q.id: {c["value"]: c["en"] for c in q.choices} for q in questions}
    employer_survey = survey.audience == Audience.EMPLOYER
    responses = session.execute(
        select(
            Response.id,
            Response.submitted_at,
            Response.updated_at,
            Response.language,
            Response.participation_id,
        )
        .where(Response.survey_id == survey.id)
        .order_by(Response.id)
    ).all()
    names: dict[int | None, str] = {}
    if employer_survey:
        names = dict(
            session.execute(
                select(Participation.id, Organization.name).join(Participation.organization)
                .where(Participation.event_id == survey.event_id)
            ).all()
        )
    answers = {
        (response_id, question_id): (number, choices or [], text)
        for response_id, question_id, number, choices, text in session.execute(
            select(Answer.response_id, Answer.question_id, Answer.number, Answer.choices, Answer.text)
            .join(Response).where(Response.survey_id == survey.id)
        )
    }
    zone = survey.event.timezone
    header = [
        "response",
        "submitted_at",
        "updated_at",
        "language",
        *(["employer"] if employer_survey else []),
        *(q.key for q in questions),
    ]
    rows: list[list[Cell]] = []
    for number, (response_id, submitted_at, updated_at, language, participation_id) in enumerate(
        responses, start=1
    ):
        row: list[Cell] = [
            number,
            zoned_time(submitted_at, zone),
            zoned_time(updated_at, zone),
            language.value,
        ]
        if employer_survey:
            row.append(names.get(participation_id, ""))
        for question in questions:
            answer = answers.get((response_id, question.id))
            if answer is None:
                row.append("")
            elif question.kind in CHOICE_KINDS:
                row.append("; ".join(labels[question.id].get(v, v) for v in answer[1]))
            elif question.kind in SCALES:
                row.append(answer[0])
            else:
                row.append(answer[2] or "")
        rows.append(row)
    return to_csv(header, rows)
