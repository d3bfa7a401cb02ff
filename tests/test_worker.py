"""The job queue for real: web processes and a worker process, sharing one database and one Redis
(as on several hosts). Nothing here runs in the test's own process but the checks."""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select, update

from app.models import MessageStatus, OutboundMessage, Role, utcnow
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def hosts(app, committed, tmp_path):
    """``start_web()`` and ``start_worker()`` on the test's database and a queue of this test's own
    on Redis; every process is stopped afterwards."""
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE_NAME": f"hireday-test-{secrets.token_hex(4)}",
        "JOBS_IMMEDIATE": "0",
        "OUTBOX_PATH": str(tmp_path / "outbox"),
        "MAIL_SERVER": "",
        "BASE_URL": "https://hireday.test",
        "WEB_CONCURRENCY": "1",
        "REGISTRATION_RATE_LIMIT": "1000/minute",
        "LOGIN_RATE_LIMIT": "1000/minute",
    }
    processes: list[subprocess.Popen] = []

    def start_web() -> str:
        port = _free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_config", "wsgi:app"],
            cwd=ROOT, env={**env, "PORT": str(port)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))
        base = f"http://127.0.0.1:{port}"
        _wait_until(lambda: _answers(base + "/healthz"), "the web process did not start")
        return base

    def start_worker() -> subprocess.Popen:
        with open(tmp_path / f"worker-{len(processes)}.log", "w") as log:  # read when a test fails
            worker = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--workers", "2"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        processes.append(worker)
        return worker

    yield start_web, start_worker, tmp_path / "outbox"
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"huey.*{env['JOBS_QUEUE_NAME'].replace('-', '')}*"):
        client.delete(key)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def _wait_until(condition, message: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(message)


def _csrf(session: requests.Session, url: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', session.get(url).text)
    assert found, f"{url} has no CSRF token"
    return found.group(1)


def _sign_in(session: requests.Session, base: str, email: str) -> None:
    answer = session.post(base + "/login", data={"email": email, "password": factories.PASSWORD,
                                                 "csrf_token": _csrf(session, base + "/login")})
    assert answer.status_code == 200 and "Sign out" in answer.text


def test_a_badge_sheet_started_on_one_host_is_downloaded_from_another(hosts, committed):
    start_web, start_worker, _outbox = hosts
    event = factories.make_event(committed.session, slug="hh", name="Hospitality Hires Chicago")
    for n in range(8):
        factories.make_registration(
            committed.session, event, factories.make_candidate(committed.session, last_name=f"Zed{n}")
        )
    staff = factories.make_user(committed.session, Role.STAFF)
    committed.session.commit()
    first, second = start_web(), start_web()
    start_worker()

    browser = requests.Session()
    _sign_in(browser, first, staff.email)
    started = browser.post(
        first + "/staff/events/hh/badges",
        allow_redirects=False,
        data={"csrf_token": _csrf(browser, first + "/staff/events/hh/badges"), "start_at": "1"},
    )
    job_id = started.headers["Location"].split("job=")[1]
    # The other host knows the job (its progress is in the database, not in a file of the first host).
    _wait_until(
        lambda: "8 badges are ready" in browser.get(f"{second}/staff/events/hh/badges/jobs/{job_id}").text,
        "the worker did not finish the sheet",
    )
    download = browser.get(f"{second}/staff/events/hh/badges/jobs/{job_id}.pdf")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download.headers["Content-Disposition"] == "attachment; filename=badges-hh.pdf"


def test_the_worker_writes_confirmations_and_a_restarted_worker_sends_nothing_twice(hosts, committed):
    start_web, start_worker, outbox = hosts
    factories.make_event(committed.session, slug="hh", name="Hospitality Hires Chicago", capacity=None)
    committed.session.commit()
    web = start_web()

    def register(n: int) -> None:
        person = requests.Session()
        answer = person.post(web + "/events/hh/register", allow_redirects=False, data={
            "csrf_token": _csrf(person, web + "/events/hh/register"), "first_name": "Lucía",
            "last_name": f"Hernández{n}", "email": f"lucia{n}@example.com", "phone": f"773-555-01{n:02d}",
            "zip_code": "60623", "language": "es", "consent_share_profile": "y", "referral_code": "",
        })
        assert answer.status_code == 302

    # No worker yet: the registrations are taken all the same, their e-mails wait in the queue.
    register(1)
    register(2)
    assert not outbox.exists()
    worker = start_worker()
    _wait_until(
        lambda: outbox.exists() and len(list(outbox.glob("*.eml"))) == 2, "the worker wrote no e-mail"
    )

    # The worker dies hard, with one message taken but not recorded as sent (killed mid-send).
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    register(3)
    committed.session.execute(
        update(OutboundMessage).where(OutboundMessage.recipient == "lucia3@example.com")
        .values(attempts=1, attempted_at=utcnow() - timedelta(minutes=11))
    )
    committed.session.commit()
    sent_before = sorted(p.name for p in outbox.glob("*.eml"))

    # Started again: the lost message goes out, and none of those recorded as sent goes again.
    restarted = start_worker()
    _wait_until(lambda: len(list(outbox.glob("*.eml"))) == 3, "the restarted worker lost a message")
    time.sleep(1.5)
    assert len(list(outbox.glob("*.eml"))) == 3
    assert sorted(p.name for p in outbox.glob("*.eml"))[:2] == sent_before
    committed.session.expire_all()
    statuses = committed.session.scalars(select(OutboundMessage.status)).all()
    assert statuses == [MessageStatus.SENT] * 3
    restarted.terminate()
    assert restarted.wait(timeout=20) == 0
