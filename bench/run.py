"""Foundation benchmarks, printed as JSON: demo load time, and page latency under real gunicorn
with the demo loaded. ``make bench``; ``BENCH_DATABASE_URL`` runs it on PostgreSQL instead of a
fresh SQLite file (the database's public schema is replaced)."""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]
PAGES = ["/healthz", "/", "/events/hospitality-hires-chicago/", "/login"]
REQUESTS_PER_PAGE = 400
CONCURRENCY = 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _fresh_database(env: dict) -> None:
    url = env["DATABASE_URL"]
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")


def _latencies(base: str, path: str) -> list[float]:
    def one(_: int) -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(base + path, timeout=10) as response:
            response.read()
            assert response.status == 200, (path, response.status)
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return list(pool.map(one, range(REQUESTS_PER_PAGE)))


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="hireday-bench-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"}
    _fresh_database(env)
    result: dict = {"database": url.split(":")[0], "cpus": os.cpu_count()}
    result["migrate_s"] = round(_timed([*FLASK, "db", "upgrade"], env), 2)
    result["demo_load_s"] = round(_timed([*FLASK, "demo"], env), 2)
    result["demo_second_run_s"] = round(_timed([*FLASK, "demo"], env), 2)

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_config", "wsgi:app"],
        cwd=ROOT, env={**env, "PORT": str(port)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        pages = {}
        for path in PAGES:
            _latencies(base, path)  # warm up every worker
            started = time.perf_counter()
            samples = sorted(_latencies(base, path))
            elapsed = time.perf_counter() - started
            pages[path] = {
                "requests": len(samples),
                "concurrency": CONCURRENCY,
                "req_per_s": round(len(samples) / elapsed),
                "p50_ms": round(statistics.median(samples), 1),
                "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 1),
            }
        result["pages"] = pages
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
