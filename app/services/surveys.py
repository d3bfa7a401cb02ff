"""Surveys: the default pre- and post-event questionnaires every event starts with, for career
seekers and for employers, in English and Spanish.

Question ``key`` values and choice ``value`` codes are stable: reports compare them across events
of a series, so reword a prompt freely but never rename a key or a value."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from flask_babel import LazyString, force_locale, lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from app.database import Session
from app.models import (
    Answer,
    Audience,
    Event,
    Language,
    Participation,
    Phase,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Response,
    Sector,
    Survey,
    SurveyLink,
    SurveyLinkPurpose,
)
from app.services import audit, funnel, partner_events
from app.services.errors import DomainError, ProblemList
from app.services.tokens import hash_secret, new_secret


@dataclass(frozen=True)
class QuestionSpec:
    """One default question; ``position`` is its place in the survey's tuple."""

    key: str
    kind: QuestionKind
    prompt_en: str
    prompt_es: str
    required: bool = False
    choices: tuple[dict[str, str | LazyString], ...] = ()


@dataclass(frozen=True)
class SurveySpec:
    """One default survey: its titles and questions, in order."""

    title_en: str
    title_es: str
    questions: tuple[QuestionSpec, ...] = ()


def _choice(value: str, en: str | LazyString, es: str | LazyString) -> dict[str, str | LazyString]:
    """A choice of a default question; a label from an enum (``Sector.label``) is given for both
    languages and written in each from the catalogue when the survey is made."""
    return {"value": value, "en": en, "es": es}


def _written_in(language: str, text: str | LazyString) -> str:
    with force_locale(language):
        return str(text)

EMPLOYMENT_STATUS_CHOICES = (
    _choice("unemployed", "Not working and looking for work", "Sin trabajo y buscando empleo"),
    _choice("employed_part_time", "Working part time", "Trabajando medio tiempo"),
    _choice("employed_full_time", "Working full time", "Trabajando tiempo completo"),
    _choice("student", "In school or training", "Estudiando o en capacitación"),
    _choice("other", "Other", "Otro"),
)

EDUCATION_CHOICES = (
    _choice("less_than_high_school", "Less than high school", "Menos que preparatoria (high school)"),
    _choice("high_school", "High school diploma or GED", "Diploma de preparatoria o GED"),
    _choice("some_college", "Some college or a certificate", "Algo de universidad o un certificado"),
    _choice("associate", "Associate degree", "Título de asociado"),
    _choice("bachelor", "Bachelor's degree", "Licenciatura"),
    _choice("graduate", "Graduate degree", "Posgrado"),
)

SECTOR_CHOICES = tuple(_choice(sector.value, sector.label, sector.label) for sector in Sector)

BARRIER_CHOICES = (
    _choice("transportation", "Transportation", "Transporte"),
    _choice("childcare", "Childcare", "Cuidado infantil"),
    _choice("background", "A criminal background record", "Antecedentes penales"),
    _choice("language", "Language", "Idioma"),
    _choice("other", "Something else", "Otra cosa"),
)

HOW_HEARD_CHOICES = (
    _choice(
        "job_center",
        "An American Job Center or workforce center",
        "Un centro de empleo (American Job Center)",
    ),
    _choice("community_org", "A community organization", "Una organización comunitaria"),
    _choice("social_media", "Social media", "Redes sociales"),
    _choice("friend_family", "A friend or family member", "Un amigo o familiar"),
    _choice("employer", "An employer", "Un empleador"),
    _choice("flyer", "A flyer or poster", "Un volante o cartel"),
    _choice("radio_tv", "Radio or TV", "Radio o televisión"),
    _choice("other", "Other", "Otro"),
)

INTERVIEW_COUNT_CHOICES = (
    _choice("0", "None", "Ninguna"),
    _choice("1", "1", "1"),
    _choice("2", "2", "2"),
    _choice("3_plus", "3 or more", "3 o más"),
)

OFFER_COUNT_CHOICES = (
    _choice("0", "None", "Ninguna"),
    _choice("1", "1", "1"),
    _choice("2_plus", "2 or more", "2 o más"),
)

OPENINGS_CHOICES = (
    _choice("1_5", "1 to 5", "De 1 a 5"),
    _choice("6_10", "6 to 10", "De 6 a 10"),
    _choice("11_25", "11 to 25", "De 11 a 25"),
    _choice("26_50", "26 to 50", "De 26 a 50"),
    _choice("51_plus", "More than 50", "Más de 50"),
)

#: Ranges for how many offers an employer made, or how many hires it expects.
COUNT_RANGE_CHOICES = (
    _choice("0", "None", "Ninguna"),
    _choice("1_5", "1 to 5", "De 1 a 5"),
    _choice("6_10", "6 to 10", "De 6 a 10"),
    _choice("11_20", "11 to 20", "De 11 a 20"),
    _choice("21_plus", "More than 20", "Más de 20"),
)

PAIN_POINT_CHOICES = (
    _choice("not_enough_applicants", "Not enough applicants", "No hay suficientes solicitantes"),
    _choice("skills_gaps", "Applicants lack the skills we need",
            "A los solicitantes les faltan las habilidades que necesitamos"),
    _choice("no_shows", "Candidates not showing up to interviews or first shifts",
            "Candidatos que no se presentan a entrevistas o al primer turno"),
    _choice("retention", "Keeping new hires past 90 days", "Retener a los nuevos empleados más de 90 días"),
    _choice("wage_competition", "Competing with other employers on wages",
            "Competir con otros empleadores en salarios"),
    _choice("transportation", "Getting to our location (transit, shift times)",
            "Llegar a nuestro lugar de trabajo (transporte, horarios de turno)"),
    _choice("background_checks", "Candidates not passing background checks",
            "Candidatos que no pasan la verificación de antecedentes"),
    _choice("language", "Language barriers", "Barreras del idioma"),
    _choice("scheduling", "Filling nights, weekends and split shifts",
            "Cubrir noches, fines de semana y turnos partidos"),
    _choice("other", "Something else", "Otra cosa"),
)

YES_NO_MAYBE_CHOICES = (
    _choice("yes", "Yes", "Sí"),
    _choice("maybe", "Maybe", "Tal vez"),
    _choice("no", "No", "No"),
)


def _q(
    key: str,
    kind: QuestionKind,
    prompt_en: str,
    prompt_es: str,
    *,
    required: bool = False,
    choices: tuple[dict[str, str | LazyString], ...] = (),
) -> QuestionSpec:
    return QuestionSpec(key, kind, prompt_en, prompt_es, required, choices)


_COMMENTS = _q(
    "comments", QuestionKind.LONG_TEXT,
    "Anything else you would like to tell us?",
    "¿Hay algo más que quiera decirnos?",
)

#: The four surveys every event gets, by (audience, phase).
DEFAULT_SURVEYS: dict[tuple[Audience, Phase], SurveySpec] = {
    (Audience.CANDIDATE, Phase.PRE): SurveySpec(
        "Before the event: tell us about yourself",
        "Antes del evento: cuéntenos sobre usted",
        (
            _q(
                "employment_status",
                QuestionKind.SINGLE_CHOICE,
                "What is your current employment status?",
                "¿Cuál es su situación laboral actual?",
                required=True,
                choices=EMPLOYMENT_STATUS_CHOICES,
            ),
            _q(
                "education",
                QuestionKind.SINGLE_CHOICE,
                "What is the highest level of school you have completed?",
                "¿Cuál es el nivel de estudios más alto que ha completado?",
                choices=EDUCATION_CHOICES,
            ),
            _q(
                "sectors",
                QuestionKind.MULTIPLE_CHOICE,
                "Which kinds of jobs interest you? Choose all that apply.",
                "¿Qué tipos de empleo le interesan? Elija todos los que correspondan.",
                choices=SECTOR_CHOICES,
            ),
            _q(
                "barriers",
                QuestionKind.MULTIPLE_CHOICE,
                "Does anything make it hard for you to get or keep a job? Choose all that apply.",
                "¿Hay algo que le dificulte conseguir o mantener un empleo? Elija todo lo que corresponda.",
                choices=BARRIER_CHOICES,
            ),
            _q(
                "how_heard",
                QuestionKind.SINGLE_CHOICE,
                "How did you hear about this event?",
                "¿Cómo se enteró de este evento?",
                choices=HOW_HEARD_CHOICES,
            ),
        ),
    ),
    (Audience.CANDIDATE, Phase.POST): SurveySpec(
        "After the event: how did it go?",
        "Después del evento: ¿cómo le fue?",
        (
            _q(
                "satisfaction",
                QuestionKind.SCALE_5,
                "Overall, how satisfied are you with the event? (1 = not at all, 5 = very satisfied)",
                "En general, ¿qué tan satisfecho(a) está con el evento? (1 = nada, 5 = muy satisfecho(a))",
                required=True,
            ),
            _q(
                "usefulness",
                QuestionKind.SCALE_5,
                "How useful was the event for your job search? (1 = not useful, 5 = very useful)",
                "¿Qué tan útil fue el evento para su búsqueda de empleo? (1 = nada útil, 5 = muy útil)",
            ),
            _q(
                "interviews",
                QuestionKind.SINGLE_CHOICE,
                "How many interviews did you have at the event?",
                "¿Cuántas entrevistas tuvo en el evento?",
                choices=INTERVIEW_COUNT_CHOICES,
            ),
            _q(
                "offers",
                QuestionKind.SINGLE_CHOICE,
                "How many job offers (including conditional offers) did you receive?",
                "¿Cuántas ofertas de empleo (incluidas las ofertas condicionales) recibió?",
                choices=OFFER_COUNT_CHOICES,
            ),
            _q(
                "recommend",
                QuestionKind.RECOMMEND,
                "How likely are you to recommend this event to a friend? (0 = not at all likely, 10 = "
                "extremely likely)",
                "¿Qué tan probable es que recomiende este evento a un amigo? (0 = nada probable, 10 = muy "
                "probable)",
            ),
            _COMMENTS,
        ),
    ),
    (Audience.EMPLOYER, Phase.PRE): SurveySpec(
        "Before the event: your hiring needs",
        "Antes del evento: sus necesidades de contratación",
        (
            _q(
                "openings",
                QuestionKind.SINGLE_CHOICE,
                "How many openings do you hope to fill at this event?",
                "¿Cuántas vacantes espera cubrir en este evento?",
                required=True,
                choices=OPENINGS_CHOICES,
            ),
            _q(
                "hard_to_fill",
                QuestionKind.SHORT_TEXT,
                "Which roles are hardest for you to fill?",
                "¿Qué puestos le cuesta más cubrir?",
            ),
            _q(
                "pain_points",
                QuestionKind.MULTIPLE_CHOICE,
                "What makes hiring hard for you right now? Choose all that apply.",
                "¿Qué le dificulta contratar en este momento? Elija todo lo que corresponda.",
                choices=PAIN_POINT_CHOICES,
            ),
            _q(
                "pain_points_other",
                QuestionKind.LONG_TEXT,
                "If you chose “something else”, tell us more.",
                "Si eligió “otra cosa”, cuéntenos más.",
            ),
            _q(
                "skills_gaps",
                QuestionKind.LONG_TEXT,
                "Which skills do applicants most often lack?",
                "¿Qué habilidades les faltan con más frecuencia a los solicitantes?",
            ),
        ),
    ),
    (Audience.EMPLOYER, Phase.POST): SurveySpec(
        "After the event: your results",
        "Después del evento: sus resultados",
        (
            _q(
                "satisfaction",
                QuestionKind.SCALE_5,
                "Overall, how satisfied are you with the event? (1 = not at all, 5 = very satisfied)",
                "En general, ¿qué tan satisfecho(a) está con el evento? (1 = nada, 5 = muy satisfecho(a))",
                required=True,
            ),
            _q(
                "candidate_quality",
                QuestionKind.SCALE_5,
                "How well did the candidates you met match your openings? (1 = poorly, 5 = very well)",
                "¿Qué tan bien se ajustaron los candidatos a sus vacantes? (1 = mal, 5 = muy bien)",
            ),
            _q(
                "offers_made",
                QuestionKind.SINGLE_CHOICE,
                "How many offers (including conditional offers) did you make at the event?",
                "¿Cuántas ofertas (incluidas las condicionales) hizo en el evento?",
                choices=COUNT_RANGE_CHOICES,
            ),
            _q(
                "hires_expected",
                QuestionKind.SINGLE_CHOICE,
                "How many people from this event do you expect to hire?",
                "¿A cuántas personas de este evento espera contratar?",
                choices=COUNT_RANGE_CHOICES,
            ),
            _q(
                "pain_points",
                QuestionKind.MULTIPLE_CHOICE,
                "What still makes hiring hard for you? Choose all that apply.",
                "¿Qué le sigue dificultando contratar? Elija todo lo que corresponda.",
                choices=PAIN_POINT_CHOICES,
            ),
            _q(
                "would_return",
                QuestionKind.SINGLE_CHOICE,
                "Would you take part in a future event?",
                "¿Participaría en un evento futuro?",
                choices=YES_NO_MAYBE_CHOICES,
            ),
            _COMMENTS,
        ),
    ),
}


#: The order surveys are listed in: career seekers first, before the event first.
SURVEY_ORDER: tuple[tuple[Audience, Phase], ...] = tuple(DEFAULT_SURVEYS)


def add_default_surveys(session: Session, event: Event) -> list[Survey]:
    """Create the event's default surveys (career seeker and employer, before and after), skipping
    any (audience, phase) the event already has. Returns the surveys created, flushed, in the order
    of ``DEFAULT_SURVEYS``."""
    existing: set[tuple[Audience, Phase]] = set()
    if event.id is not None:
        existing = {
            (audience, phase)
            for audience, phase in session.execute(
                select(Survey.audience, Survey.phase).where(Survey.event_id == event.id)
            )
        }
    created = []
    for (audience, phase), spec in DEFAULT_SURVEYS.items():
        if (audience, phase) in existing:
            continue
        survey = Survey(
            event=event, audience=audience, phase=phase, title_en=spec.title_en, title_es=spec.title_es
        )
        survey.questions = [
            Question(
                key=q.key,
                position=position,
                kind=q.kind,
                prompt_en=q.prompt_en,
                prompt_es=q.prompt_es,
                required=q.required,
                choices=[
                    {"value": c["value"], "en": _written_in("en", c["en"]), "es": _written_in("es", c["es"])}
                    for c in q.choices
                ],
            )
            for position, q in enumerate(spec.questions)
        ]
        session.add(survey)
        created.append(survey)
    session.flush()
    return created


# --- Answering -------------------------------------------------------------------------------------

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000
#: The numbers a scale question takes, by kind: what the form offers, the service accepts and the
#: results count.
SCALES: dict[QuestionKind, range] = {QuestionKind.SCALE_5: range(1, 6), QuestionKind.RECOMMEND: range(11)}
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


def question_field(question: Question) -> str:
    """The form field name a question's answer arrives in."""
    return f"q_{question.key}"


def _answer_for(question: Question, value: object) -> Answer | None:
    """The answer's values (an unsaved ``Answer``), None when left blank, or a ``DomainError`` on
    the question's field."""
    field = question_field(question)
    blank = value is None or value == "" or value == []
    if blank:
        if question.required:
            raise DomainError("answer_required", _l("Please answer this question."), field=field)
        return None
    kind = question.kind
    if kind in CHOICE_KINDS:
        values = [value] if isinstance(value, str) else list(cast(Iterable[str], value))
        allowed = {c["value"] for c in question.choices}
        if (
            not values
            or any(v not in allowed for v in values)
            or (kind == QuestionKind.SINGLE_CHOICE and len(values) > 1)
        ):
            raise DomainError("invalid_choice", _l("Choose from the options given."), field=field)
        return Answer(choices=list(dict.fromkeys(values)))
    if kind in SCALES:
        scale = SCALES[kind]
        try:
            number = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            number = None
        if number not in scale:
            raise DomainError("invalid_number", _l("Choose a number from %(low)d to %(high)d.", low=scale[0],
                                                   high=scale[-1]), field=field)
        return Answer(number=number)
    text = str(value).strip()
    limit = SHORT_TEXT_MAX if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
    if len(text) > limit:
        raise DomainError(
            "text_too_long", _l("Please keep this under %(n)d characters.", n=limit), field=field
        )
    if not text:
        return _answer_for(question, None)
    return Answer(text=text)


def check_answers(survey: Survey, answers: dict[str, object]) -> None:
    """Raise every problem with ``answers`` (``DomainErrors`` when there are several), without
    writing: a person with two unanswered questions is told about both at once."""
    problems = ProblemList()
    for question in survey.questions:
        problems.check(_answer_for, question, answers.get(question.key))
    problems.raise_any()


def record_response(
    session: Session,
    survey: Survey,
    answers: dict[str, object],
    *,
    registration: Registration | None = None,
    participation: Participation | None = None,
    language: Language = Language.EN,
) -> Response:
    """Save one respondent's answers (keyed by question key), replacing any earlier answers of
    theirs: one response per person per survey, editable. Every answer is checked first, so a bad
    one saves nothing."""
    if (registration is None) == (participation is None):
        raise ValueError("a response belongs to a registration or to a participation")
    checked = [(q, row) for q in survey.questions if (row := _answer_for(q, answers.get(q.key))) is not None]
    respondent: Registration | Participation | None = registration or participation
    response = None
    if respondent is not None and respondent.id is not None:
        column = Response.registration_id if registration is not None else Response.participation_id
        response = session.scalar(
            select(Response).where(Response.survey_id == survey.id, column == respondent.id)
        )
    if response is None:
        response = Response(survey=survey, registration=registration, participation=participation)
        session.add(response)
    response.language = language
    # Update answers in place: replacing the rows would insert before deleting and trip the
    # one-answer-per-question rule.
    kept = {answer.question_id: answer for answer in response.answers}
    new_answers = []
    for question, row in checked:
        answer = kept.get(question.id) or Answer(question=question)
        answer.number, answer.choices, answer.text = row.number, row.choices or [], row.text
        new_answers.append(answer)
    response.answers = new_answers
    session.flush()
    return response


# --- Respondents, windows and personal links --------------------------------------------------------

#: A post-event survey without its own closing time stays open this long after the event ends.
POST_SURVEY_DAYS = 14


def event_survey(session: Session, event: Event, audience: Audience, phase: Phase) -> Survey | None:
    return session.scalar(
        select(Survey).where(Survey.event_id == event.id, Survey.audience == audience, Survey.phase == phase)
    )


def audience(session: Session, survey: Survey) -> Select:
    """Who ``survey`` is for, as a SELECT: the employers at the event (employer surveys); everyone
    not cancelled (the career seekers' pre-event survey); the people who attended, by the funnel's
    checked-in stage, or everyone with a place when the event has no arrivals at all (an event run
    without scanning) — the career seekers' post-event survey."""
    event = survey.event
    if survey.audience == Audience.EMPLOYER:
        return select(Participation).where(Participation.event_id == event.id)
    people = select(Registration).where(Registration.event_id == event.id)
    if survey.phase == Phase.PRE:
        return people.where(Registration.status != RegistrationStatus.CANCELLED)
    attended = funnel.for_event(session, event).checked_in
    if attended:
        return people.where(Registration.id.in_(attended))
    return people.where(Registration.status == RegistrationStatus.REGISTERED)


def audience_size(session: Session, survey: Survey) -> int:
    """How many people ``survey`` is for (the response rate's denominator)."""
    return session.scalar(select(func.count()).select_from(audience(session, survey).subquery())) or 0


def survey_window(survey: Survey) -> tuple[datetime | None, datetime | None]:
    """When the survey takes answers, ``(opens, closes)``, None meaning no limit. Staff may set
    both; otherwise a pre-event survey is open until the event ends, and a post-event survey from
    the event's start until ``POST_SURVEY_DAYS`` after its end."""
    event = survey.event
    if survey.phase == Phase.PRE:
        return survey.opens_at, survey.closes_at or event.ends_at
    return survey.opens_at or event.starts_at, survey.closes_at or event.ends_at + timedelta(
        days=POST_SURVEY_DAYS
    )


def window_warning(survey: Survey) -> str | None:
    """A post-event survey that closes before the event is over could never be answered; staff
    hear so when they save it (it is saved all the same)."""
    closes = survey_window(survey)[1]
    if survey.phase != Phase.POST or closes is None or closes > survey.event.ends_at:
        return None
    when = closes.astimezone(ZoneInfo(survey.event.timezone)).strftime("%B %-d, %Y at %-I:%M %p")
    return (
        f"The post-event survey closes {when}, before {survey.event.name} is over: nobody can answer it. "
        "Set it to close after the event (or leave “closes” empty for the default)."
    )


def is_open(survey: Survey, now: datetime) -> bool:
    opens, closes = survey_window(survey)
    return (opens is None or opens <= now) and (closes is None or now < closes)


def open_to_send(survey: Survey | None, now: datetime, name: str) -> Survey:
    """``survey`` if it takes answers now, so that links to it may go out; else a ``DomainError``
    telling staff why (``name`` is how they call it: "The post-event survey")."""
    if survey is None:
        raise DomainError("no_survey", f"{name} is not one of this event's surveys.")
    if not is_open(survey, now):
        closes = survey_window(survey)[1]
        when = "has closed" if closes and now >= closes else "is not open yet"
        raise DomainError("survey_not_open", f"{name} {when}; change its dates in the survey editor first.")
    return survey


def issue_link(
    session: Session, survey: Survey, respondent: Registration | Participation, purpose: SurveyLinkPurpose,
    now: datetime | None = None,
    *,
    flush: bool = True,
) -> str:
    """A fresh personal link to ``survey`` for one of its respondents: a career seeker (their
    registration) or an employer (its participation). Returns its secret (shown or e-mailed once,
    stored only as a hash). Earlier links keep working. ``flush=False`` lets a caller making
    hundreds of links flush them all at once."""
    employer = isinstance(respondent, Participation)
    if (
        survey.audience != (Audience.EMPLOYER if employer else Audience.CANDIDATE)
        or respondent.event_id != survey.event_id
    ):
        raise ValueError("a personal survey link is for a respondent of the survey's event")
    secret = new_secret()
    link = SurveyLink(survey_id=survey.id, token_hash=hash_secret(secret), purpose=purpose,
                      participation_id=respondent.id if employer else None,
                      registration_id=None if employer else respondent.id)
    if now is not None:
        link.created_at = now
    session.add(link)
    if flush:
        session.flush()
    return secret


def find_link(session: Session, secret: str) -> SurveyLink | None:
    if not secret or len(secret) > 100:
        return None
    return session.scalar(select(SurveyLink).where(SurveyLink.token_hash == hash_secret(secret)))


def response_of(
    session: Session,
    survey: Survey,
    *,
    registration: Registration | None = None,
    participation: Participation | None = None,
) -> Response | None:
    """The respondent's response to ``survey``, if they have answered."""
    if registration is not None:
        where = Response.registration_id == registration.id
    elif participation is not None:
        where = Response.participation_id == participation.id
    else:
        raise ValueError("a response belongs to a registration or to a participation")
    return session.scalar(select(Response).where(Response.survey_id == survey.id, where))


def answers_of(response: Response | None) -> dict[str, object]:
    """A response's answers keyed by question key, in the shape ``record_response`` takes (and a
    form shows): a choice value or list of them, a number, or text."""
    if response is None:
        return {}
    values: dict[str, object] = {}
    for answer in response.answers:
        question = answer.question
        if question.kind == QuestionKind.SINGLE_CHOICE:
            values[question.key] = answer.choices[0] if answer.choices else None
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            values[question.key] = list(answer.choices)
        elif question.kind in SCALES:
            values[question.key] = answer.number
        else:
            values[question.key] = answer.text
    return values


def answer_survey(
    session: Session,
    survey: Survey,
    answers: dict[str, object],
    now: datetime,
    *,
    registration: Registration | None = None,
    participation: Participation | None = None,
    language: Language = Language.EN,
) -> Response:
    """A respondent answers (or changes their answers to) a survey while it is open: a career
    seeker of the event for a career-seeker survey, an employer at it for an employer survey.
    One response per person, even when two submits race; a bad answer saves nothing
    (``DomainError`` on its field)."""
    respondent = registration if registration is not None else participation
    expected = Audience.CANDIDATE if registration is not None else Audience.EMPLOYER
    if respondent is None or survey.audience != expected or respondent.event_id != survey.event_id:
        raise DomainError("not_a_respondent", _l("This survey is not for you."))
    if not is_open(survey, now):
        raise DomainError("survey_closed", _l("This survey is closed."))
    existed = response_of(session, survey, registration=registration, participation=participation) is not None
    try:
        with session.begin_nested():
            response = record_response(
                session,
                survey,
                answers,
                registration=registration,
                participation=participation,
                language=language,
            )
    except IntegrityError:
        # The same person's other tab or double tap saved their first response a moment ago (the
        # database allows one): save these answers over it.
        existed = True
        response = record_response(
            session,
            survey,
            answers,
            registration=registration,
            participation=participation,
            language=language,
        )
    audit.record(
        session,
        "survey.update" if existed else "survey.respond",
        obj=response,
        event_id=survey.event_id,
        survey_id=survey.id,
    )
    if registration is not None and not existed and survey.phase == Phase.POST:
        partner_events.emit(session, registration.id, partner_events.PartnerEvent.SURVEY_COMPLETED, now)
    return response
