"""Check-in API throughput and latency against real gunicorn with the demo loaded, at 1, 8 and 32
concurrent clients, next to ``/healthz`` on the same server in the same run. Printed as JSON.
``BENCH_DATABASE_URL`` measures PostgreSQL instead of a fresh SQLite file.

The load comes from wrk (``bench/wrk_checkin.lua``), which costs the 2-core machine far less CPU
than a Python client would: every scan is a random badge of Hospitality Hires Chicago (2,500
people, cancelled ones left out) with a fresh nonce, so the first scan of a badge checks the
person in and later ones answer "already checked in", as at a real door. Any answer other than
200/201 counts as an error.

This machine's speed drifts from second to second (a shared VM), so each level alternates
``/healthz`` and check-ins in short rounds and reports the median round: the ratio of the two is
taken within each pair of rounds, run back to back."""

import json
import os
import shutil
import statistics
import subprocess
import tempfile

import sqlalchemy as sa

from bench.server import FLASK, ROOT, demo_environment, gunicorn

EVENT = "hospitality-hires-chicago"
LEVELS = (1, 8, 32)
SECONDS_PER_ROUND = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SCRIPT = ROOT / "bench" / "wrk_checkin.lua"


def device_token(env: dict) -> str:
    out = subprocess.run([*FLASK, "device-token", EVENT, "--name", "Bench door"], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1].strip()


def badge_codes(env: dict) -> list[str]:
    """The badges a door would scan: everyone registered or waitlisted (not cancelled)."""
    engine = sa.create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        codes = connection.execute(sa.text(
            "SELECT r.badge_code FROM registrations r JOIN events e ON e.id = r.event_id"
            " WHERE e.slug = :slug AND r.status <> 'cancelled'"
        ), {"slug": EVENT}).scalars().all()
    engine.dispose()
    return list(codes)


def wrk(url: str, clients: int, seconds: int, extra_env: dict | None = None) -> dict:
    """One wrk run; its JSON line with requests/s added."""
    threads = min(clients, 2)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "-s", str(SCRIPT), url],
        env={**os.environ, **(extra_env or {})}, check=True, capture_output=True, text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["req_per_s"] = round(result["requests"] / result["seconds"])
    result["clients"] = clients
    return result


def median_round(rounds: list[dict]) -> dict:
    """The median of each figure over the rounds, with the worst p99 and every error counted."""
    keys = ("req_per_s", "p50_ms", "p99_ms")
    summary = {key: round(statistics.median(r[key] for r in rounds), 1) for key in keys}
    summary["worst_p99_ms"] = max(r["p99_ms"] for r in rounds)
    summary["requests"] = sum(r["requests"] for r in rounds)
    summary["errors"] = sum(r["non_2xx_3xx"] + r["socket_errors"] for r in rounds)
    return summary


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit(
            "bench/checkin.py needs wrk: run `make bench` (it installs it) or `sudo apt-get install wrk`."
        )
    env, result = demo_environment(CHECKIN_RATE_LIMIT="100000000/minute")
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as codes_file:
        codes_file.write("\n".join(badge_codes(env)) + "\n")
        codes_file.flush()
        scans = {"DEVICE_TOKEN": device_token(env), "CODES_FILE": codes_file.name}
        result["server"] = "gunicorn, app/gunicorn_config.py"
        result["load_generator"] = "wrk"
        result["rounds"] = f"{ROUNDS} x {SECONDS_PER_ROUND} s per endpoint and level"
        runs = {}
        with gunicorn(env) as base:
            checkins = f"{base}/api/v1/events/{EVENT}/checkins"
            wrk(f"{base}/healthz", 8, 2)  # warm every worker up
            wrk(checkins, 8, 2, scans)
            for clients in LEVELS:
                pairs = [
                    (
                        wrk(f"{base}/healthz", clients, SECONDS_PER_ROUND),
                        wrk(checkins, clients, SECONDS_PER_ROUND, scans),
                    )
                    for _ in range(ROUNDS)
                ]
                ratios = [checkin["req_per_s"] / healthz["req_per_s"] for healthz, checkin in pairs]
                runs[str(clients)] = {
                    "healthz": median_round([healthz for healthz, _ in pairs]),
                    "checkin": median_round([checkin for _, checkin in pairs]),
                    "checkin_vs_healthz_throughput": round(statistics.median(ratios), 2),
                    "ratio_per_round": [round(r, 2) for r in ratios],
                }
    result["clients"] = runs
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
