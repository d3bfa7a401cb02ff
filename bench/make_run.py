"""How long `make run` takes on a fresh clone, from `git clone` to the demo's home page answering.

Clones this repository's committed HEAD into a temporary directory (pip's own cache is kept, as a
newcomer's machine would keep it after the first try), runs `make run` on a free port, and prints
JSON: the seconds from start to each step the Makefile announces, and to the first 200 from the
home page. `BENCH_MAKE_RUN_COLD=1` empties pip's cache first (a first-ever install)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Output lines that mark the end of a step, and the step's name.
MARKS = {
    "Running upgrade": "packages installed (first migration)",
    "Created ": "demo loading",
    "Demo logins": "demo loaded",
    "HireDay is starting": "gunicorn starting",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def measure() -> dict:
    port = int(os.environ.get("BENCH_PORT") or _free_port())
    workdir = Path(tempfile.mkdtemp(prefix="hireday-make-run-"))
    clone = workdir / "hireday"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BASE_URL", "VIRTUAL_ENV")}
    env["PORT"] = str(port)
    if os.environ.get("BENCH_MAKE_RUN_COLD") == "1":
        subprocess.run([sys.executable, "-m", "pip", "cache", "purge"], capture_output=True)
    started = time.monotonic()
    marks: dict[str, float] = {}
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    marks["cloned"] = time.monotonic() - started
    process = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            for prefix, name in MARKS.items():
                if prefix in line and name not in marks:
                    marks[name] = time.monotonic() - started

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = started + 900
        while time.monotonic() < deadline and process.poll() is None:
            if _answers(f"http://127.0.0.1:{port}/"):
                marks["home page answers"] = time.monotonic() - started
                break
            time.sleep(0.2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        reader.join(timeout=5)
        shutil.rmtree(workdir, ignore_errors=True)
    if "home page answers" not in marks:
        raise SystemExit("make run did not serve the home page:\n" + "".join(output[-30:]))
    return {
        "make_run_seconds": round(marks["home page answers"], 1),
        "steps": {name: round(seconds, 1) for name, seconds in marks.items()},
        "said_base_url_unset": any("BASE_URL is not set" in line for line in output),
        "port": port,
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
