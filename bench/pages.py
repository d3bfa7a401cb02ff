"""Page latency under real gunicorn with the demo loaded, printed as JSON (``make bench``).
``BENCH_DATABASE_URL`` measures PostgreSQL instead of a fresh SQLite file (its public schema
is replaced)."""

import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from bench.server import demo_environment, gunicorn, summary

PAGES = ["/healthz", "/", "/events/hospitality-hires-chicago/", "/login"]
REQUESTS_PER_PAGE = 400
CONCURRENCY = 8


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
    env, result = demo_environment()
    with gunicorn(env) as base:
        pages = {}
        for path in PAGES:
            _latencies(base, path)  # warm up every worker
            started = time.perf_counter()
            samples = _latencies(base, path)
            pages[path] = summary(samples, time.perf_counter() - started, CONCURRENCY)
        result["pages"] = pages
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
