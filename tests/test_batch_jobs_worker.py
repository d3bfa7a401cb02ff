"""A partner import on a real worker process, killed halfway: what it committed stays, nothing is
imported twice, and the worker started again finishes the file."""

import signal

import requests
from sqlalchemy import func, select, update

from app.models import BatchJob, FileJobStatus, Registration, Role, utcnow
from tests import factories
from tests.test_worker import _csrf, _sign_in, _wait_until, hosts  # noqa: F401 (the fixture)

ROWS = 800


def _job(session) -> BatchJob | None:
    session.rollback()  # a new snapshot: SQLite keeps showing an open transaction its old one
    return session.scalar(select(BatchJob))


def test_an_import_survives_its_worker_being_killed(hosts, committed):  # noqa: F811
    start_web, start_worker, _outbox = hosts
    event = factories.make_event(
        committed.session, slug="hh", name="Hospitality Hires Chicago", capacity=None
    )
    partner = factories.make_partnership(committed.session, event, referral_code="PILSEN26")
    staff = factories.make_user(committed.session, Role.STAFF)
    committed.session.commit()
    web = start_web()
    lines = ["first_name,last_name,email,consent"] + [
        f"Rosa,Nowak{n},rosa.nowak{n}@example.com,yes" for n in range(ROWS)]

    browser = requests.Session()
    _sign_in(browser, web, staff.email)
    path = f"{web}/staff/events/hh/import"
    started = browser.post(path + "/confirm", allow_redirects=False, data={
        "csrf_token": _csrf(browser, path), "partnership_id": str(partner.id), "csv_text": "\n".join(lines)})
    assert started.status_code == 302
    assert "waiting for the job worker" in browser.get(path).text  # the page answered; nothing imported yet

    worker = start_worker()
    _wait_until(lambda: (job := _job(committed.session)) is not None and job.done >= 100,
                "the worker imported nothing", timeout=120)
    worker.send_signal(signal.SIGKILL)  # dies hard, halfway through the file
    worker.wait(timeout=10)
    job = _job(committed.session)
    assert job.status == FileJobStatus.RUNNING and job.done < ROWS
    imported = committed.session.scalar(select(func.count()).select_from(Registration))
    assert imported == job.done  # every committed batch holds its rows and its progress, together
    assert f"{job.done:,} of {ROWS:,} done" in browser.get(path).text

    # Nobody has heard from the job for a while: the restarted worker's sweep queues it again.
    committed.session.execute(update(BatchJob).values(heartbeat_at=utcnow().replace(year=2025)))
    committed.session.commit()
    start_worker()
    _wait_until(lambda: _job(committed.session).status == FileJobStatus.FINISHED,
                "the restarted worker did not finish the import", timeout=150)
    job = _job(committed.session)
    assert job.counts == {"created": ROWS}
    assert committed.session.scalar(select(func.count()).select_from(Registration)) == ROWS
    assert f"Imported {ROWS} new registrations" in browser.get(path).text
