"""The event-day mix against real gunicorn, printed as JSON: 800 check-ins in bursts from 8 door
devices (the JSON API), 60 booth tablets starting interviews and recording outcomes, 10 staff
dashboards polling, and registrations trickling in. p50/p99 per kind of request and the error
count. Goal: no errors, check-in p99 ≤ 100 ms. ``BENCH_DATABASE_URL`` measures PostgreSQL.

The doors' time runs ``BENCH_SPEEDUP`` (default 10) times faster than at a real door, where a
volunteer scans a badge every 2–3 seconds at best and a line comes every half minute or so; the
booths' far faster still (an interview every 5–15 s, not every 10–15 minutes). So this is the
busiest hour of Hospitality Hires squeezed into about a minute. ``BENCH_SPEEDUP=0`` drops every
pause: each client sends as fast as it can, a stress test of the 2 cores rather than an event day.

The load runs in this process's threads on the same machine as the server, so the clients take
some of its CPU: on 2 cores the numbers are a floor, not a ceiling."""

import http.cookiejar
import json
import os
import random
import re
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from datetime import UTC, datetime

import sqlalchemy as sa

from bench.server import FLASK, ROOT, demo_environment, gunicorn

SLUG = "hospitality-hires-chicago"
DOORS, BOOTHS, DASHBOARDS = 8, 60, 10
CHECKINS = 800
INTERVIEWS_PER_BOOTH = 4
SPEEDUP = float(os.environ.get("BENCH_SPEEDUP", "10"))


def _pause(real_seconds: float) -> None:
    """Wait ``real_seconds`` of event time, compressed by SPEEDUP (none at all when it is 0)."""
    if SPEEDUP:
        time.sleep(real_seconds / SPEEDUP)
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HX_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


class Recorder:
    def __init__(self):
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()

    def timed(self, kind: str, call, ok=lambda status: status < 400):
        started = time.perf_counter()
        try:
            status = call()
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
        except OSError:
            status = 599
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.samples[kind].append(elapsed)
            if not ok(status):
                self.errors[kind] += 1
        return status

    def summary(self) -> dict:
        result = {}
        for kind, samples in sorted(self.samples.items()):
            samples.sort()
            result[kind] = {
                "requests": len(samples),
                "errors": self.errors.get(kind, 0),
                "p50_ms": round(statistics.median(samples), 1),
                "p99_ms": round(samples[max(0, int(len(samples) * 0.99) - 1)], 1),
            }
        return result


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
    )


def _status(opener, url: str, data: bytes | None = None, headers: dict | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with opener.open(request, timeout=30) as response:
        response.read()
        return response.status


def _setup(env: dict) -> dict:
    """Tokens and people for the load: 8 device tokens, one booth link per employer, badge codes."""
    devices = []
    for n in range(DOORS):
        printed = subprocess.run([*FLASK, "device-token", SLUG, "--name", f"Door {n + 1}"], cwd=ROOT, env=env,
                                 check=True, capture_output=True, text=True).stdout
        devices.append(printed.strip().splitlines()[-1])
    links = subprocess.run(
        [*FLASK, "links", SLUG], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    booths = re.findall(r"/booth/([A-Za-z0-9_-]+)", links)[:BOOTHS]
    engine = sa.create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        people = connection.execute(sa.text(
            "SELECT r.id, r.badge_code FROM registrations r JOIN events e ON e.id = r.event_id "
            "WHERE e.slug = :slug AND r.status = 'registered' ORDER BY r.id"), {"slug": SLUG}).all()
    engine.dispose()
    return {"devices": devices, "booths": booths, "people": people}


def _door(base, recorder, device, codes):
    headers = {"Authorization": f"Bearer {device}", "Content-Type": "application/json"}
    opener = _opener()
    for n, code in enumerate(codes):
        body = json.dumps(
            {"code": code, "nonce": uuid.uuid4().hex, "scanned_at": datetime.now(UTC).isoformat()}
        )
        recorder.timed(
            "checkin",
            lambda: _status(opener, f"{base}/api/v1/events/{SLUG}/checkins", body.encode(), headers),
        )
        _pause(2.5)  # the next person in line steps up
        if n % 10 == 9:
            _pause(random.uniform(10, 40))  # a line at the door comes in bursts


def _booth(base, recorder, token, registration_ids):
    opener = _opener()
    page = {}

    def load():
        with opener.open(f"{base}/booth/{token}", timeout=30) as response:
            page["html"] = response.read().decode()
            return response.status

    _pause(random.uniform(0, 50))  # the tablets are opened one after another
    recorder.timed("booth_page", load)
    csrf = TOKEN.search(page.get("html", "")) or HX_TOKEN.search(page.get("html", ""))
    if csrf is None:
        return
    for registration_id in registration_ids:
        form = urllib.parse.urlencode({"csrf_token": csrf.group(1), "registration_id": registration_id,
                                       "nonce": uuid.uuid4().hex}).encode()
        location = {}

        def start():
            try:
                opener.open(f"{base}/booth/{token}/start", data=form, timeout=30).close()
                return 200
            except urllib.error.HTTPError as redirect:
                location["url"] = redirect.headers.get("Location", "")
                redirect.close()
                return redirect.code

        recorder.timed("booth_start", start, ok=lambda status: status in (200, 302, 303))
        match = re.search(r"/interviews/(\d+)", location.get("url", ""))
        if match:
            outcome = urllib.parse.urlencode({"csrf_token": csrf.group(1), "outcome": "not_selected",
                                              "nonce": uuid.uuid4().hex}).encode()
            recorder.timed(
                "booth_outcome",
                lambda: _status(opener, f"{base}/booth/{token}/interviews/{match.group(1)}", outcome),
                ok=lambda status: status in (200, 302, 303),
            )
        _pause(random.uniform(50, 150))  # the recruiter talks to the person


def _signed_in_staff(base):
    opener = _opener()
    with opener.open(f"{base}/login", timeout=30) as response:
        csrf = TOKEN.search(response.read().decode()).group(1)
    body = urllib.parse.urlencode(
        {"csrf_token": csrf, "email": "staff@demo.hireday.org", "password": "hireday-staff"}
    ).encode()
    try:
        opener.open(f"{base}/login", data=body, timeout=30).close()
    except urllib.error.HTTPError as redirect:
        redirect.close()
    return opener


def _warm_up(base, world) -> None:
    """Each gunicorn worker compiles its templates and opens its database connection on its first
    requests. A server that has run all morning did that long before the door opened, so every
    kind of request is made a few times, by several clients at once, before the clock starts."""

    def visit():
        staff = _signed_in_staff(base)
        scan = json.dumps({"code": "warm-up-" + uuid.uuid4().hex, "nonce": uuid.uuid4().hex}).encode()
        headers = {"Authorization": f"Bearer {world['devices'][0]}", "Content-Type": "application/json"}
        for _ in range(3):
            for token in world["booths"][:3]:
                _status(staff, f"{base}/booth/{token}")
            _status(staff, f"{base}/events/{SLUG}/register")
            _status(staff, f"{base}/staff/events/{SLUG}/dashboard/live")
            try:
                _status(staff, f"{base}/api/v1/events/{SLUG}/checkins", scan, headers)
            except urllib.error.HTTPError as unknown_badge:  # 404: the warm-up's badge is nobody's
                unknown_badge.close()

    threads = [threading.Thread(target=visit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _dashboard(base, recorder, stop, opener):
    """One staff member's dashboard page, opened at some moment and polling every 5 s from then on
    (ten of them polling in step would be a coincidence, not an event day)."""
    stop.wait(random.uniform(0, 5))
    while not stop.is_set():
        recorder.timed(
            "dashboard_poll", lambda: _status(opener, f"{base}/staff/events/{SLUG}/dashboard/live")
        )
        stop.wait(5)  # the dashboard page polls every 5 s


def _registrations(base, recorder, stop):
    opener = _opener()
    with opener.open(f"{base}/events/{SLUG}/register", timeout=30) as response:
        csrf = TOKEN.search(response.read().decode()).group(1)
    n = 0
    while not stop.is_set():
        n += 1
        body = urllib.parse.urlencode(
            {
                "csrf_token": csrf,
                "first_name": "Walk",
                "last_name": f"Up{n}",
                "email": f"trickle.{n}@example.com",
                "zip_code": "60608",
                "language": "en",
                "q_employment_status": "unemployed",
                "consent_share_profile": "y",
                "referral_code": "",
            }
        ).encode()

        def post():
            try:
                opener.open(f"{base}/events/{SLUG}/register", data=body, timeout=30).close()
                return 200
            except urllib.error.HTTPError as redirect:
                redirect.close()
                return redirect.code

        recorder.timed("registration", post, ok=lambda status: status == 302)
        stop.wait(1)


def main() -> None:
    env, result = demo_environment(
        REGISTRATION_RATE_LIMIT="100000/minute", CHECKIN_RATE_LIMIT="100000/minute"
    )
    result["speedup"] = SPEEDUP or "none: as fast as the clients can send"
    world = _setup(env)
    people = world["people"]
    codes = [code for _, code in people[:CHECKINS]]
    interviewees = [registration_id for registration_id, _ in people[:CHECKINS]]
    recorder = Recorder()
    stop = threading.Event()
    with gunicorn(env) as base:
        _warm_up(base, world)
        # Staff signed in before the doors opened (signing in is deliberately slow: password hashing).
        staff = [_signed_in_staff(base) for _ in range(DASHBOARDS)]
        background = [
            threading.Thread(target=_dashboard, args=(base, recorder, stop, opener)) for opener in staff
        ]
        background.append(threading.Thread(target=_registrations, args=(base, recorder, stop)))
        work = [threading.Thread(target=_door, args=(base, recorder, device, codes[n::DOORS]))
                for n, device in enumerate(world["devices"])]
        work += [
            threading.Thread(
                target=_booth,
                args=(
                    base,
                    recorder,
                    token,
                    interviewees[n * INTERVIEWS_PER_BOOTH : (n + 1) * INTERVIEWS_PER_BOOTH],
                ),
            )
            for n, token in enumerate(world["booths"])
        ]
        started = time.perf_counter()
        for thread in background + work:
            thread.start()
        for thread in work:
            thread.join()
        stop.set()
        for thread in background:
            thread.join()
        result["duration_s"] = round(time.perf_counter() - started, 1)
    result["requests"] = recorder.summary()
    result["errors"] = sum(recorder.errors.values())
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
