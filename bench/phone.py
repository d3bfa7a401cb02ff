"""A cheap phone on slow 3G, printed as JSON: the event page's bytes transferred and first paint
(first visit and return visit), and the door scanner's offline roster for Hospitality Hires
Chicago (2,500 registrations): its size and how soon it is ready.

Real Chromium (the system's, at /usr/bin/chromium) at 360×740 against real gunicorn with the demo
loaded, throttled over the DevTools protocol the way Chromium's own "Slow 3G" preset is: 2 s
round trip, 50 kB/s down and up, and the CPU slowed 4×. Each figure is the median of ``RUNS``
runs, each in a new browser context (an empty cache)."""

import json
import os
import statistics
import urllib.parse
import urllib.request

from playwright.sync_api import sync_playwright

from bench.server import demo_environment, gunicorn

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50 * 1024, "uploadThroughput": 50 * 1024,
           "connectionType": "cellular3g"}
CPU_SLOWDOWN = 4
RUNS = int(os.environ.get("BENCH_PHONE_RUNS", "3"))
EVENT = "hospitality-hires-chicago"
VOLUNTEER = ("volunteer@demo.hireday.org", "hireday-volunteer")


class Phone:
    """One browser context at 360×740, counting the bytes that cross the (throttled) network."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context(
            base_url=base, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
        )
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.transferred: dict[str, tuple[str, int]] = {}  # request id -> (url, bytes)
        urls: dict[str, str] = {}
        self.cdp.on(
            "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
        )
        self.cdp.on("Network.loadingFinished", lambda e: self.transferred.__setitem__(
            e["requestId"], (urls.get(e["requestId"], ""), int(e["encodedDataLength"]))))

    def throttle(self) -> None:
        self.cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})

    def unthrottle(self) -> None:
        self.cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "latency": 0, "downloadThroughput": -1,
                                                           "uploadThroughput": -1})
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})

    def visit(self, path: str) -> dict:
        """Load ``path``; what it cost: kB transferred and the first contentful paint."""
        self.transferred.clear()
        self.page.goto(path, wait_until="load", timeout=120_000)
        first_paint = self.page.evaluate(
            "() => new Promise((resolve) => new PerformanceObserver((list, observer) => {"
            "  const entry = list.getEntries().find((e) => e.name === 'first-contentful-paint');"
            "  if (entry) { observer.disconnect(); resolve(entry.startTime); }"
            "}).observe({type: 'paint', buffered: true}))"
        )
        kB = sum(size for url, size in self.transferred.values() if "/roster.json" not in url) / 1024
        return {"kB": round(kB, 1), "first_paint_s": round(first_paint / 1000, 2)}

    def close(self) -> None:
        self.context.close()


def _median(runs: list[dict]) -> dict:
    return {key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]}


def event_page(browser, base: str) -> dict:
    first, back = [], []
    for _ in range(RUNS):
        phone = Phone(browser, base)
        phone.throttle()
        first.append(phone.visit(f"/events/{EVENT}/"))
        phone.page.wait_for_load_state("networkidle")  # the stylesheet fetched in the background
        back.append(phone.visit(f"/events/{EVENT}/"))  # a return visit: its files come from the cache
        phone.close()
    return {"first_visit": _median(first), "return_visit": _median(back)}


def scanner(browser, base: str) -> dict:
    runs = []
    for _ in range(RUNS):
        phone = Phone(browser, base)
        page = phone.page
        page.goto("/login")
        page.locator("[name=email]").fill(VOLUNTEER[0])
        page.locator("[name=password]").fill(VOLUNTEER[1])
        page.locator("form button[type=submit]").click()
        page.wait_for_url("**/door/")
        phone.cdp.send("Network.clearBrowserCache")
        phone.throttle()
        visit = phone.visit(f"/door/events/{EVENT}/")
        page.wait_for_selector("#door-scanner[data-roster-ready=true]", timeout=120_000)
        roster = page.evaluate(
            "() => performance.getEntriesByType('resource').find((e) => e.name.includes('/roster.json'))"
            "  .toJSON()"
        )
        ready_at = page.evaluate("() => performance.now()")
        rosters = [size for url, size in phone.transferred.values() if "/roster.json" in url]
        assert len(rosters) == 1, "the roster was downloaded twice (its preload was not used)"
        roster_kB = rosters[0] / 1024
        runs.append({
            "page_kB": visit["kB"], "first_paint_s": visit["first_paint_s"],
            "roster_kB": round(roster_kB, 1),
            # From asking for the roster to having it (2 s of it is the round trip).
            "roster_download_s": round((roster["responseEnd"] - roster["startTime"]) / 1000, 2),
            "roster_ready_since_navigation_s": round(ready_at / 1000, 2),
        })
        phone.unthrottle()
        phone.close()
    return _median(runs)


def roster_size(base: str) -> dict:
    """The roster itself, fetched as the scanner does (signed in), with and without gzip."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    login = opener.open(base + "/login").read().decode()
    token = login.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode(
        {"email": VOLUNTEER[0], "password": VOLUNTEER[1], "csrf_token": token}
    ).encode()
    opener.open(base + "/login", data=form).read()
    url = f"{base}/door/events/{EVENT}/roster.json"
    plain = opener.open(urllib.request.Request(url, headers={"Accept": "application/json"})).read()
    gzipped = opener.open(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})).read()
    people = json.loads(plain)["people"]
    return {
        "people": len(people),
        "uncompressed_kB": round(len(plain) / 1024, 1),
        "gzip_kB": round(len(gzipped) / 1024, 1),
    }


def main() -> None:
    env, result = demo_environment()
    with gunicorn(env) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-quic"])
        result["throttling"] = {
            "round_trip_ms": SLOW_3G["latency"],
            "down_kB_per_s": 50,
            "cpu_slowdown": CPU_SLOWDOWN,
            "viewport": "360x740",
            "runs": RUNS,
        }
        result["roster"] = roster_size(base)
        result["event_page"] = event_page(browser, base)
        result["door_scanner"] = scanner(browser, base)
        browser.close()
        print(json.dumps(result, indent=2), flush=True)


if __name__ == "__main__":
    main()
