"""Shared by the benchmarks: a fresh database with the demo, and real gunicorn serving it."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def demo_environment(**extra: str) -> tuple[dict, dict]:
    """An environment whose database (``BENCH_DATABASE_URL``, else a new SQLite file) holds just the
    demo; returns it with the set-up timings."""
    workdir = tempfile.mkdtemp(prefix="hireday-bench-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "OUTBOX_PATH": f"{workdir}/outbox",
        **extra,
    }
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
    timings = {
        "database": url.split(":")[0],
        "cpus": os.cpu_count(),
        "migrate_s": round(_timed([*FLASK, "db", "upgrade"], env), 2),
        "demo_load_s": round(_timed([*FLASK, "demo"], env), 2),
        "demo_second_run_s": round(_timed([*FLASK, "demo"], env), 2),
    }
    return env, timings


@contextmanager
def gunicorn(env: dict):
    """gunicorn with the project's config on a free port; yields its base URL."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_config", "wsgi:app"],
        cwd=ROOT, env={**env, "PORT": str(port)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a loaded 2-core machine boots 5 workers slowly
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a worker still held by a client's idle connection
            server.kill()
            server.wait()


def summary(samples_ms: list[float], elapsed_s: float, concurrency: int) -> dict:
    samples = sorted(samples_ms)
    return {
        "requests": len(samples),
        "concurrency": concurrency,
        "req_per_s": round(len(samples) / elapsed_s),
        "p50_ms": round(samples[len(samples) // 2], 1),
        "p99_ms": round(samples[max(0, int(len(samples) * 0.99) - 1)], 1),
    }


@contextmanager
def smtp_sink(delay_s: float):
    """A local SMTP server that takes ``delay_s`` to accept each message (a real relay over TLS
    takes a few hundred milliseconds); yields (port, received messages)."""
    import asyncio

    from aiosmtpd.controller import Controller

    received: list[bytes] = []

    class Slow:
        async def handle_DATA(self, server, session, envelope):
            await asyncio.sleep(delay_s)
            received.append(envelope.content)
            return "250 OK"

    controller = Controller(Slow(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller.port, received
    finally:
        controller.stop()


@contextmanager
def job_worker(env: dict):
    """``flask --app wsgi worker`` beside gunicorn, when this tree has one (before the job queue,
    e-mail was sent inside the request and there was no worker to start)."""
    if not (ROOT / "app" / "queue.py").exists():
        yield None
        return
    worker = subprocess.Popen([*FLASK, "worker", "--workers", "2"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)
