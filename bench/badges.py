"""The batch badge sheet for Hospitality Hires Chicago (every registered person, ~2,500 badges):
wall time, CPU time and peak memory, rendered as the staff page does (two worker processes) and in
one process for comparison. Printed as JSON. Goal: ≤ 10 s and ≤ 500 MB on 2 cores."""

import json
import os
import resource
import sys
import time

from bench.server import ROOT, demo_environment

EVENT = "hospitality-hires-chicago"


def _cpu_s() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _measure(workers: int) -> dict:
    """In a fresh process, so each variant's peak memory is its own."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.formatting import local_date
    from app.models import Event
    from app.services import badge_sheets
    from app.urls import badge_url

    app = create_app()
    with app.test_request_context():
        event = db.session.scalars(select(Event).where(Event.slug == EVENT)).one()
        started, cpu = time.perf_counter(), _cpu_s()
        people = badge_sheets.badges_for(db.session, event, badge_url)
        heading = badge_sheets.SheetHeading(
            event.name, local_date(event.starts_at, event.timezone), app.config["BOARD_NAME"]
        )
        read_s = time.perf_counter() - started
        pdf = badge_sheets.badge_sheet_pdf(people, heading, start_at=1, workers=workers)
        wall = time.perf_counter() - started
        cpu = _cpu_s() - cpu
    qr_started = time.perf_counter()
    for person in people[:500]:
        badge_sheets.qr_data_uri(person.url)
    qr_ms = (time.perf_counter() - qr_started) / 500 * 1000
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "workers": workers,
        "badges": len(people),
        "pages": -(-len(people) // badge_sheets.LABELS_PER_SHEET),
        "pdf_mb": round(len(pdf) / 1e6, 2),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "reading_registrations_s": round(read_s, 3),
        "qr_png_ms_each": round(qr_ms, 2),
        "peak_rss_main_mb": round(own_mb),
        "peak_rss_largest_worker_mb": round(child_mb) if workers > 1 else None,
        # Every worker at its peak at the same moment as the main process: an upper bound.
        "peak_rss_total_upper_bound_mb": round(own_mb + (child_mb * workers if workers > 1 else 0)),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(_measure(int(sys.argv[2]))))
        return
    import subprocess

    env, result = demo_environment()
    for workers in (2, 1):
        out = subprocess.run(
            [sys.executable, "-m", "bench.badges", "--measure", str(workers)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result[f"badge_sheet_{workers}_process{'es' if workers > 1 else ''}"] = json.loads(
            out.strip().splitlines()[-1]
        )
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
