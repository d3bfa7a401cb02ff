"""The report PDF and the live dashboard for the demo's Hospitality Hires Chicago (2,500
registrations, 60 employers, 150 positions) under real gunicorn, printed as JSON. Goals: the PDF
in ≤ 3 s, the dashboard in ≤ 300 ms. ``BENCH_DATABASE_URL`` measures PostgreSQL."""

import http.cookiejar
import json
import re
import statistics
import time
import urllib.parse
import urllib.request

from bench.server import demo_environment, gunicorn

SLUG = "hospitality-hires-chicago"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _signed_in(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(base + "/login") as response:
        found = TOKEN.search(response.read().decode())
        assert found, "the form has no CSRF token"
        token = found.group(1)
    body = urllib.parse.urlencode(
        {"csrf_token": token, "email": "staff@demo.hireday.org", "password": "hireday-staff"}
    ).encode()
    opener.open(base + "/login", data=body).close()
    return opener


def _timings(opener, url: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        with opener.open(url, timeout=60) as response:
            response.read()
            assert response.status == 200, response.status
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    env, result = demo_environment(WEB_CONCURRENCY="2")
    with gunicorn(env) as base:
        opener = _signed_in(base)
        for name, path, runs in [
            ("report_pdf", f"/staff/events/{SLUG}/report.pdf", 5),
            ("dashboard", f"/staff/events/{SLUG}/dashboard", 20),
            ("dashboard_live", f"/staff/events/{SLUG}/dashboard/live", 20),
        ]:
            _timings(opener, base + path, 2)  # warm both workers
            samples = sorted(_timings(opener, base + path, runs))
            result[name] = {
                "runs": runs,
                "median_ms": round(statistics.median(samples), 1),
                "max_ms": round(samples[-1], 1),
            }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
