"""Does a partner's hanging webhook receiver slow the door? Check-ins against real gunicorn with
its job worker and the demo loaded. Half of Hospitality Hires' partners have a webhook endpoint
pointing at a receiver that accepts connections and never answers; rounds alternate between
scanning people none of them referred ("none": no endpoint hears of them) and people one of them
referred ("hanging": every check-in writes a webhook message, and the worker's deliveries sit on
the receiver until their timeout, then retry). Printed as JSON: p50 and p99 both ways.
``BENCH_DATABASE_URL`` measures PostgreSQL instead of a fresh SQLite file.

Every request is the first scan of a referred person's badge (each badge is scanned once). The
load is ``CLIENTS`` Python threads, the same in both modes; rounds alternate so that the shared
machine's drift hits both alike."""

import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import requests
import sqlalchemy as sa

from bench.checkin import device_token
from bench.server import FLASK, ROOT, demo_environment, gunicorn

EVENT = "hospitality-hires-chicago"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
#: First scans per round (default: every referred badge, shared out after the warm-up).
SCANS_PER_ROUND = int(os.environ.get("BENCH_SCANS", "0"))
WARM_UP = 40
TIMEOUT_S = 5


@contextmanager
def hanging_receiver():
    """A TCP server that accepts every connection and never answers; yields its URL and a count
    of the connections it holds."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/hooks", held
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


@contextmanager
def job_worker(env: dict):
    """The job worker beside gunicorn, without the periodic jobs (the demo's reminders would keep it
    busy for minutes and write beside the door in one mode and not the other), started and with
    whatever was queued before the measurement done first."""
    with open(os.path.join(os.path.dirname(env["JOBS_SQLITE_PATH"]), "worker.log"), "w") as log:
        worker = subprocess.Popen(
            [*FLASK, "worker", "--workers", "2", "--no-periodic"],
            cwd=ROOT,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 180
    while "consumer started" not in Path(log.name).read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    while queued_jobs(env["JOBS_SQLITE_PATH"]) and time.monotonic() < deadline:
        time.sleep(1)
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def queued_jobs(path: str) -> int:
    try:
        with sqlite3.connect(path) as connection:
            return connection.execute("SELECT count(*) FROM task").fetchone()[0]
    except sqlite3.Error:
        return 0


def badges_by_partner(engine: sa.Engine) -> dict[int, set[str]]:
    """Each partner organization's referred people who have a place (a waitlisted badge answers 409)."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT p.organization_id, r.badge_code FROM registrations r"
                " JOIN events e ON e.id = r.event_id"
                " JOIN referrals f ON f.registration_id = r.id JOIN partnerships p ON p.id = f.partnership_id"
                " WHERE e.slug = :slug AND r.status = 'registered'"
            ),
            {"slug": EVENT},
        ).all()
    found: dict[int, set[str]] = {}
    for organization_id, code in rows:
        found.setdefault(organization_id, set()).add(code)
    return found


def split_partners(by_partner: dict[int, set[str]]) -> tuple[list[int], list[str], list[str]]:
    """Half the partners (by how many people they referred, alternately) get an endpoint. Returns
    them, the badges of people none of them referred, and of people one of them did."""
    ranked = sorted(by_partner, key=lambda organization_id: -len(by_partner[organization_id]))
    listening = ranked[::2]
    heard = set().union(*(by_partner[o] for o in listening))
    unheard = set().union(*by_partner.values()) - heard
    return listening, sorted(unheard), sorted(heard)


def add_endpoints(engine: sa.Engine, organizations: list[int], url: str) -> None:
    """An endpoint at ``url`` for each of ``organizations``."""
    from app.services.webhook_endpoints import new_webhook_secret

    with engine.begin() as connection:
        for organization_id in organizations:
            connection.execute(
                sa.text(
                    "INSERT INTO webhook_endpoints"
                    " (organization_id, url, description, secret, enabled, created_at)"
                    " VALUES (:organization_id, :url, 'bench', :secret, :enabled, CURRENT_TIMESTAMP)"
                ),
                {
                    "organization_id": organization_id,
                    "url": url,
                    "secret": new_webhook_secret(),
                    "enabled": True,
                },
            )


def scan_all(base: str, token: str, codes: list[str]) -> tuple[list[float], int, float]:
    """Check each badge in once, ``CLIENTS`` at a time; latencies (ms), errors and elapsed seconds."""
    url = f"{base}/api/v1/events/{EVENT}/checkins"
    local = threading.local()

    def scan(code: str) -> tuple[float, bool]:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        started = time.perf_counter()
        answer = session.post(
            url,
            json={"code": code, "nonce": uuid.uuid4().hex},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        return (time.perf_counter() - started) * 1000, answer.status_code == 201

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(scan, codes))
    return [ms for ms, _ in results], sum(1 for _, ok in results if not ok), time.perf_counter() - started


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, max(0, int(len(ordered) * share) - 1))], 1)


def summary(rounds: list[tuple[list[float], int, float]]) -> dict:
    samples = [ms for latencies, _, _ in rounds for ms in latencies]
    return {
        "check_ins": len(samples),
        "errors": sum(errors for _, errors, _ in rounds),
        "p50_ms": percentile(samples, 0.50),
        "p99_ms": percentile(samples, 0.99),
        "p99_per_round_ms": [percentile(latencies, 0.99) for latencies, _, _ in rounds],
        "req_per_s_median": round(statistics.median(len(lat) / took for lat, _, took in rounds)),
    }


def webhook_messages(engine: sa.Engine) -> dict:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT status, coalesce(last_error, ''), count(*) FROM webhook_messages"
                " GROUP BY status, last_error"
            )
        ).all()
    return {f"{status} {error}".strip(): count for status, error, count in rows}


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="hireday-bench-webhooks-")
    env, result = demo_environment(
        CHECKIN_RATE_LIMIT="100000000/minute",
        WEBHOOK_ALLOW_PRIVATE_URLS="1",
        WEBHOOK_ALLOW_HTTP="1",
        WEBHOOK_TIMEOUT_S=str(TIMEOUT_S),
        JOBS_SQLITE_PATH=f"{workdir}/jobs.sqlite3",
    )
    engine = sa.create_engine(env["DATABASE_URL"])
    listening, unheard, heard = split_partners(badges_by_partner(engine))
    rng = random.Random(18)
    rng.shuffle(unheard)
    rng.shuffle(heard)
    per_round = SCANS_PER_ROUND or (min(len(unheard), len(heard)) - WARM_UP) // ROUNDS
    if per_round < 1 or min(len(unheard), len(heard)) < ROUNDS * per_round + WARM_UP:
        raise SystemExit(f"only {len(unheard)} and {len(heard)} badges; lower BENCH_ROUNDS or BENCH_SCANS")
    chunks = {
        "none": [unheard[i * per_round : (i + 1) * per_round] for i in range(ROUNDS)],
        "hanging": [heard[i * per_round : (i + 1) * per_round] for i in range(ROUNDS)],
    }
    runs: dict[str, list] = {"none": [], "hanging": []}
    with hanging_receiver() as (url, held):
        add_endpoints(engine, listening, url)
        result["partners_with_an_endpoint"] = len(listening)
        token = device_token(env)
        with gunicorn(env) as base, job_worker(env):
            scan_all(base, token, unheard[-WARM_UP:])  # warm every worker up
            for index in range(ROUNDS):
                for mode in ("none", "hanging") if index % 2 == 0 else ("hanging", "none"):
                    runs[mode].append(scan_all(base, token, chunks[mode][index]))
            time.sleep(TIMEOUT_S + 1)  # the last deliveries give up on the receiver
            result["receiver_connections"] = len(held)
            result["jobs_left_in_queue"] = queued_jobs(env["JOBS_SQLITE_PATH"])
            result["webhook_messages"] = webhook_messages(engine)
    engine.dispose()
    result["clients"] = CLIENTS
    result["rounds"] = f"{ROUNDS} per mode, {per_round} first scans each, alternating"
    result["webhook_timeout_s"] = TIMEOUT_S
    result["worker_log"] = str(Path(env["JOBS_SQLITE_PATH"]).parent / "worker.log")
    result["no_endpoints"] = summary(runs["none"])
    result["hanging_receiver"] = summary(runs["hanging"])
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
