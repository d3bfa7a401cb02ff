"""Survey results: rates, counts and percentages, averages, the recommend score, text answers, the
employers' pain points, and the CSV export."""

import csv
import io
from datetime import timedelta

import pytest

from app.models import (
    Audience,
    CheckIn,
    CheckInKind,
    Interview,
    InterviewSource,
    Language,
    Outcome,
    Phase,
    RegistrationStatus,
)
from app.services import survey_results as results, surveys
from tests import factories

AFTER = factories.EVENT_START + timedelta(days=1)


@pytest.fixture
def event(db):
    event = factories.make_event(db.session)
    surveys.add_default_surveys(db.session, event)
    return event


def survey_of(db, event, audience=Audience.CANDIDATE, phase=Phase.POST):
    return surveys.event_survey(db.session, event, audience, phase)


def check_in(db, registration, n=[0]):  # noqa: B006 - a counter for unique nonces
    n[0] += 1
    scan = CheckIn(
        event_id=registration.event_id,
        registration=registration,
        scanned_at=factories.EVENT_START,
        nonce=f"results-{n[0]}",
        kind=CheckInKind.ENTRY,
        successful=True,
    )
    db.session.add(scan)
    db.session.flush()
    return scan


def seekers_answer(db, event, answer_sets):
    survey = survey_of(db, event)
    people = []
    for answers in answer_sets:
        registration = factories.make_registration(db.session, event)
        surveys.answer_survey(
            db.session,
            survey,
            answers,
            AFTER,
            registration=registration,
            language=Language(answers.pop("_lang", "en")) if "_lang" in answers else Language.EN,
        )
        people.append(registration)
    return survey, people


def question(result, key):
    return next(q for q in result.questions if q.key == key)


def test_counts_percentages_averages_and_the_recommend_score(db, event):
    survey, _ = seekers_answer(db, event, [
        {"satisfaction": "5", "recommend": "10", "interviews": "2", "comments": "Great day"},
        {"satisfaction": "4", "recommend": "9", "interviews": "2"},
        {"satisfaction": "2", "recommend": "3", "interviews": "0", "comments": "Long lines", "_lang": "es"},
        {"satisfaction": "3", "recommend": "7"},
    ])
    result = results.survey_results(db.session, survey)

    satisfaction = question(result, "satisfaction")
    assert satisfaction.answered == 4 and satisfaction.average == 3.5
    assert [(o.value, o.count, o.percent) for o in satisfaction.options] == [
        ("1", 0, 0.0), ("2", 1, 25.0), ("3", 1, 25.0), ("4", 1, 25.0), ("5", 1, 25.0)]

    recommend = question(result, "recommend")
    # 2 promoters, 1 passive, 1 detractor of 4: 50 % − 25 % = 25.
    assert (recommend.recommend.promoters, recommend.recommend.passives, recommend.recommend.detractors) == (
        2,
        1,
        1,
    )
    assert recommend.recommend.score == 25.0 and recommend.average == 7.25

    interviews = question(result, "interviews")
    assert interviews.answered == 3
    assert {o.value: (o.count, o.percent) for o in interviews.options} == {
        "0": (1, 33.3), "1": (0, 0.0), "2": (2, 66.7), "3_plus": (0, 0.0)}
    assert interviews.options[0].label_es == "Ninguna"

    comments = question(result, "comments")
    assert [(t.text, t.language, t.employer) for t in comments.texts] == [
        ("Great day", "en", None),
        ("Long lines", "es", None),
    ]
    assert question(result, "offers").answered == 0 and question(result, "offers").options[0].percent is None


def test_the_post_survey_rate_counts_attendees_once_anyone_is_checked_in(db, event):
    survey, people = seekers_answer(db, event, [{"satisfaction": "4"}])
    for _ in range(3):
        factories.make_registration(db.session, event)
    factories.make_registration(db.session, event, status=RegistrationStatus.CANCELLED, cancelled_at=AFTER)
    # No one scanned at the door: everyone with a place was asked.
    assert (
        results.survey_results(db.session, survey).eligible,
        results.survey_results(db.session, survey).response_rate,
    ) == (4, 25.0)
    check_in(db, people[0])
    check_in(db, factories.make_registration(db.session, event))
    result = results.survey_results(db.session, survey)
    assert (result.eligible, result.responses, result.response_rate) == (2, 1, 50.0)


def test_an_empty_survey_has_no_rate_and_no_averages(db, event):
    result = results.survey_results(db.session, survey_of(db, event))
    assert (result.eligible, result.responses, result.response_rate) == (0, 0, None)
    assert question(result, "satisfaction").average is None
    assert question(result, "recommend").recommend.score is None
    assert [r.audience + "/" + r.phase for r in results.event_results(db.session, event)] == [
        "candidate/pre", "candidate/post", "employer/pre", "employer/post"]
    assert results.event_results(db.session, event)[0].as_dict()["questions"][0]["key"] == "employment_status"


def test_employer_pain_points_are_ranked_across_both_surveys(db, event):
    pre, post = (
        survey_of(db, event, Audience.EMPLOYER, Phase.PRE),
        survey_of(db, event, Audience.EMPLOYER, Phase.POST),
    )
    a, b, c = (factories.make_participation(db.session, event) for _ in range(3))
    surveys.answer_survey(db.session, pre, {"openings": "1_5", "pain_points": ["no_shows", "retention"]},
                          event.starts_at - timedelta(days=1), participation=a)
    surveys.answer_survey(db.session, pre, {"openings": "1_5", "pain_points": ["retention"]},
                          event.starts_at - timedelta(days=1), participation=b)
    surveys.answer_survey(db.session, post, {"satisfaction": "4", "pain_points": ["retention", "language"],
                                             "comments": "=HYPERLINK(\"x\")"}, AFTER, participation=a)
    surveys.answer_survey(db.session, post, {"satisfaction": "3"}, AFTER, participation=c)

    ranked = results.employer_pain_points(db.session, event)
    assert [(p.value, p.pre, p.post, p.employers, p.percent) for p in ranked[:3]] == [
        ("retention", 2, 1, 2, 100.0),
        ("language", 0, 1, 1, 50.0),
        ("no_shows", 1, 0, 1, 50.0),
    ]  # ties: after first
    assert ranked[-1].employers == 0

    comments = question(results.survey_results(db.session, post), "comments")
    assert comments.texts[0].employer == a.organization.name


def test_the_csv_has_a_row_per_response_and_a_column_per_question(db, event):
    survey, _ = seekers_answer(db, event, [
        {"satisfaction": "5", "interviews": "3_plus", "comments": "=cmd|' /C calc'!A0"},
        {"satisfaction": "1", "_lang": "es"},
    ])
    body = results.results_csv(db.session, survey)
    assert body.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["response", "submitted_at", "updated_at", "language", "satisfaction", "usefulness",
                       "interviews", "offers", "recommend", "comments"]
    assert rows[1][0] == "1" and rows[1][3:] == ["en", "5", "", "3 or more", "", "", "'=cmd|' /C calc'!A0"]
    assert rows[2][3:5] == ["es", "1"]
    assert len(rows) == 3

    employer_csv = results.results_csv(db.session, survey_of(db, event, Audience.EMPLOYER)).decode(
        "utf-8-sig"
    )
    assert employer_csv.splitlines()[0].startswith(
        "response,submitted_at,updated_at,language,employer,satisfaction"
    )


def test_someone_interviewed_without_a_door_scan_is_asked_after_the_event(db, event):
    """Attended is the funnel's checked-in stage, as on the dashboard: a booth checks in whom it
    interviews, so the post-event survey counts that person even when the door never scanned them."""
    survey, people = seekers_answer(db, event, [{"satisfaction": "5"}])
    check_in(db, people[0])
    booth = factories.make_participation(db.session, event)
    db.session.add(Interview(registration=factories.make_registration(db.session, event), participation=booth,
                             source=InterviewSource.WALK_UP, queued_at=AFTER, started_at=AFTER,
                             outcome=Outcome.NOT_SELECTED, recorded_at=AFTER))
    factories.make_registration(db.session, event)  # stayed home
    db.session.flush()

    result = results.survey_results(db.session, survey)

    assert (result.eligible, result.responses, result.response_rate) == (2, 1, 50.0)
