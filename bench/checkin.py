"""Check-in API throughput and latency against real gunicorn with the demo loaded, at 1, 8 and 32
concurrent clients, next to ``/healthz`` on the same server in the same run. Printed as JSON.
``BENCH_DATABASE_URL`` measures PostgreSQL instead of a fresh SQLite file.

Each client is a thread with its own keep-alive connection; the clients are spread over a few
processes so Python's GIL on the client side does not cap the numbers. Every scan has a fresh
nonce and a random badge of Hospitality Hires Chicago (2,500 people): the first scan of a badge
checks the person in, later ones answer "already checked in", as at a real door."""

import http.client
import json
import multiprocessing
import os
import random
import secrets
import subprocess
import time
from urllib.parse import urlsplit

import sqlalchemy as sa

from bench.server import FLASK, ROOT, demo_environment, gunicorn, summary

EVENT = "hospitality-hires-chicago"
LEVELS = (1, 8, 32)
SECONDS_PER_RUN = float(os.environ.get("BENCH_SECONDS", "6"))


def _device_token(env: dict) -> str:
    out = subprocess.run([*FLASK, "device-token", EVENT, "--name", "Bench door"], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1].strip()


def _badge_codes(env: dict) -> list[str]:
    engine = sa.create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        codes = connection.execute(sa.text(
            "SELECT r.badge_code FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = :slug"
        ), {"slug": EVENT}).scalars().all()
    engine.dispose()
    return list(codes)


def _client(args: tuple) -> list[tuple[float, int]]:
    """One client thread's loop: (latency ms, status) per request until the deadline."""
    base, path, token, codes, deadline, seed = args
    parts = urlsplit(base)
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    samples = []
    while time.time() < deadline:
        if token:
            body = json.dumps({"code": rng.choice(codes), "nonce": secrets.token_hex(16),
                               "scanned_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            method = "POST"
        else:
            body, headers, method = None, {}, "GET"
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (http.client.HTTPException, OSError):
            connection.close()
            status = 0
        samples.append(((time.perf_counter() - started) * 1000, status))
    connection.close()
    return samples


def _process(args: tuple) -> list[tuple[float, int]]:
    threads, *rest = args
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads) as pool:
        results = pool.map(_client, [(*rest[:-1], rest[-1] + n) for n in range(threads)])
        return [s for batch in results for s in batch]


def _run(base: str, path: str, token: str | None, codes: list[str], clients: int) -> dict:
    processes = min(clients, 4)
    per_process = [clients // processes + (1 if n < clients % processes else 0) for n in range(processes)]
    deadline = time.time() + SECONDS_PER_RUN
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        batches = pool.map(_process, [(t, base, path, token, codes, deadline, 1000 * n) for n, t in enumerate(per_process)])
    elapsed = time.perf_counter() - started
    samples = [s for batch in batches for s in batch]
    statuses: dict[str, int] = {}
    for _, status in samples:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {**summary([ms for ms, _ in samples], elapsed, clients), "statuses": statuses}


def main() -> None:
    env, result = demo_environment(CHECKIN_RATE_LIMIT="100000000/minute")
    token = _device_token(env)
    codes = _badge_codes(env)
    checkins = f"/api/v1/events/{EVENT}/checkins"
    result["server"] = "gunicorn " + ("gthread" if env["DATABASE_URL"].startswith("postgres") else "sync") + " workers"
    runs = {}
    with gunicorn(env) as base:
        _run(base, "/healthz", None, codes, 8)  # warm every worker up
        _run(base, checkins, token, codes, 8)
        for clients in LEVELS:
            healthz = _run(base, "/healthz", None, codes, clients)
            checkin = _run(base, checkins, token, codes, clients)
            runs[str(clients)] = {
                "healthz": healthz,
                "checkin": checkin,
                "checkin_vs_healthz_throughput": round(checkin["req_per_s"] / healthz["req_per_s"], 2),
            }
    result["clients"] = runs
    # The clients run on the same 2-core machine as the server, and take some of its CPU.
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
