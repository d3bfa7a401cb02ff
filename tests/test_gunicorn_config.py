"""Real gunicorn with our config: it serves the app, and its access log never records the
secrets that booth, partner, manage and badge links carry."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.servers import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parent.parent


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_access_log_redacts_secret_links(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        "SECRET_KEY": "x",
    }
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_config", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_listening(port)
        for path in ["/booth/s3cr3t-booth", "/partner/s3cr3t-partner/page", "/r/s3cr3t-manage/badge.pdf",
                     "/b/s3cr3t-badge", "/c/12.s3cr3t-cant-come", "/s/s3cr3t-survey",
                     "/events/some-event/?ref=PILSEN26"]:
            assert _get(base + path) == 404
        with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
            assert "Server" not in response.headers  # no "gunicorn/27.0.1" for scanners to look up
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=10)
    assert '"GET /booth/… HTTP/1.1" 404' in log
    assert '"GET /partner/…/page HTTP/1.1" 404' in log
    assert '"GET /r/…/badge.pdf HTTP/1.1" 404' in log
    assert '"GET /c/… HTTP/1.1" 404' in log  # a reminder's "I can't come" link
    assert '"GET /s/… HTTP/1.1" 404' in log  # personal survey links
    assert '"GET /events/some-event/ HTTP/1.1" 404' in log  # no query string either
    assert "s3cr3t" not in log and "PILSEN26" not in log
