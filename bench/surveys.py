"""Surveys at Hospitality Hires Chicago's size, in process on the demo: the results of the largest
survey and its CSV, starting the invitations to every attendee (what the staff request waits for),
then the job worker's half in this process (each attendee's link and e-mail, batch after batch), and
the exit poster. Printed as JSON. ``BENCH_DATABASE_URL`` measures PostgreSQL."""

import json
import os
import time
from datetime import timedelta

from bench.server import demo_environment

EVENT = "hospitality-hires-chicago"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def main() -> None:
    env, result = demo_environment()
    os.environ.update(env)
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Audience, Event, Phase, utcnow
    from app.services import batch_jobs, survey_distribution, survey_results, surveys

    app = create_app()
    with app.test_request_context():
        event = db.session.scalars(select(Event).where(Event.slug == EVENT)).one()
        pre = surveys.event_survey(db.session, event, Audience.CANDIDATE, Phase.PRE)
        assert pre is not None, f"{EVENT} has no pre-event survey"
        started = time.perf_counter()
        results = survey_results.survey_results(db.session, pre)
        result["results_ms"] = _ms(started)
        result["results_responses"] = results.responses
        started = time.perf_counter()
        csv_text = survey_results.results_csv(db.session, pre)
        result["csv_ms"] = _ms(started)
        result["csv_rows"] = csv_text.count(b"\n") - 1

        # The event is upcoming: open its post survey now, as if it had just ended.
        post = surveys.event_survey(db.session, event, Audience.CANDIDATE, Phase.POST)
        assert post is not None, f"{EVENT} has no post-event survey"
        post.opens_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        started = time.perf_counter()
        survey_distribution.invite_attendees(db.session, event, utcnow())
        db.session.commit()
        result["invite_request_ms"] = _ms(started)
        job = batch_jobs.latest(db.session, event, (survey_distribution.INVITATIONS,))
        assert job is not None, "no invitation job was started"
        started = time.perf_counter()
        batch_jobs.run(db.session, job.id, utcnow)  # what the worker does with the job
        elapsed = time.perf_counter() - started
        db.session.refresh(job)
        result["invitations"] = job.done
        result["worker_s"] = round(elapsed, 2)
        result["worker_mails_per_s"] = round(job.done / elapsed, 1)
        started = time.perf_counter()
        pdf = survey_distribution.poster_pdf(event)
        result["poster_pdf_ms"] = _ms(started)
        result["poster_pdf_bytes"] = len(pdf)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
