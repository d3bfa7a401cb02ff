"""Registration POST throughput and latency: 8 clients at once, each loading the form once (for its
session cookie and CSRF token) and then submitting new people as fast as the server answers,
against real gunicorn with the demo loaded and the job worker beside it, mail going to a local
SMTP server that takes ``BENCH_SMTP_DELAY_MS`` (300 by default) per message, as a remote relay
does. Also how long after the last POST the worker had sent every confirmation. Printed as JSON.
``BENCH_DATABASE_URL`` measures PostgreSQL."""

import http.cookiejar
import json
import os
import re
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from bench.server import demo_environment, gunicorn, job_worker, smtp_sink, summary

#: ``BENCH_CLIENTS=1`` shows one person's wait alone; 8 is a busy registration hour.
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
PER_CLIENT = 40
FORM = "/events/hospitality-hires-chicago/register"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _client(base: str, client: int) -> list[float]:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
    )
    with opener.open(base + FORM, timeout=10) as response:
        found = TOKEN.search(response.read().decode())
        assert found, "the form has no CSRF token"
        token = found.group(1)
    samples = []
    for n in range(PER_CLIENT):
        body = urllib.parse.urlencode({
            "csrf_token": token, "first_name": "Bench", "last_name": f"Client{client}",
            "email": f"bench.{client}.{n}@example.com", "phone": "", "zip_code": "60608",
            "language": "en", "q_employment_status": "unemployed", "consent_share_profile": "y",
            "referral_code": "",
        }).encode()
        started = time.perf_counter()
        try:
            opener.open(base + FORM, data=body, timeout=30).close()
        except urllib.error.HTTPError as redirect:  # the 302 to the new registration's page
            assert redirect.code == 302, redirect.code
            assert "/r/" in redirect.headers["Location"]
            redirect.close()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    delay_ms = int(os.environ.get("BENCH_SMTP_DELAY_MS", "300"))
    with smtp_sink(delay_ms / 1000) as (port, received):
        env, result = demo_environment(REGISTRATION_RATE_LIMIT="1000000/minute", MAIL_SERVER="127.0.0.1",
                                       MAIL_PORT=str(port), MAIL_USE_TLS="0")
        with gunicorn(env) as base, job_worker(env) as worker:
            _client(base, 99)  # warm up
            started = time.perf_counter()
            with ThreadPoolExecutor(CLIENTS) as pool:
                samples = [s for batch in pool.map(lambda c: _client(base, c), range(CLIENTS)) for s in batch]
            posted = time.perf_counter()
            # The clients run on the same 2-core machine as the server, and take some of its CPU.
            result["registration_post"] = summary(samples, posted - started, CLIENTS)
            expected = (CLIENTS + 1) * PER_CLIENT
            while len(received) < expected and time.perf_counter() - posted < 600:
                time.sleep(0.1)
            result["smtp_delay_ms"] = delay_ms
            result["confirmations_sent"] = len(received)
            result["e_mail"] = "by the job worker" if worker else "inside the request"
            result["all_sent_s_after_last_post"] = round(time.perf_counter() - posted, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
