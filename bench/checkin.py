"""Check-in API throughput and latency against real gunicorn with the demo loaded, at 1, 8 and 32
concurrent clients, next to ``/healthz`` on the same server in the same run. Printed as JSON.
``BENCH_DATABASE_URL`` measures PostgreSQL instead of a fresh SQLite file.

The load comes from wrk (``bench/wrk_checkin.lua``), which costs the 2-core machine far less CPU
than a Python client would: every scan is a random badge of Hospitality Hires Chicago (2,500
people, cancelled ones left out) with a fresh nonce, so the first scan of a badge checks the
person in and later ones answer "already checked in", as at a real door. Any answer other than
200/201 counts as an error."""

import json
import os
import shutil
import subprocess
import tempfile

import sqlalchemy as sa

from bench.server import FLASK, ROOT, demo_environment, gunicorn

EVENT = "hospitality-hires-chicago"
LEVELS = (1, 8, 32)
SECONDS_PER_RUN = int(os.environ.get("BENCH_SECONDS", "10"))
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


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench/checkin.py needs wrk: run `make bench` (it installs it) or `sudo apt-get install wrk`.")
    env, result = demo_environment(CHECKIN_RATE_LIMIT="100000000/minute")
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as codes_file:
        codes_file.write("\n".join(badge_codes(env)) + "\n")
        codes_file.flush()
        scans = {"DEVICE_TOKEN": device_token(env), "CODES_FILE": codes_file.name}
        result["server"] = "gunicorn " + ("gthread" if env["DATABASE_URL"].startswith("postgres") else "sync") + " workers"
        result["load_generator"] = "wrk"
        runs = {}
        with gunicorn(env) as base:
            checkins = f"{base}/api/v1/events/{EVENT}/checkins"
            wrk(f"{base}/healthz", 8, 2)  # warm every worker up
            wrk(checkins, 8, 2, scans)
            for clients in LEVELS:
                healthz = wrk(f"{base}/healthz", clients, SECONDS_PER_RUN)
                checkin = wrk(checkins, clients, SECONDS_PER_RUN, scans)
                runs[str(clients)] = {
                    "healthz": healthz,
                    "checkin": checkin,
                    "checkin_vs_healthz_throughput": round(checkin["req_per_s"] / healthz["req_per_s"], 2),
                }
    result["clients"] = runs
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
