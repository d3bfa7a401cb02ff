"""gunicorn settings (``gunicorn -c python:app.gunicorn_config wsgi:app``), sized from the CPU count.

Sync workers, one request each, on both databases. Threads share a worker's interpreter lock: a
thread back from the database waits for the CPU-bound others, and check-ins at 32 clients on
PostgreSQL had a p99 of 230-600 ms with 4 threads per worker against 100-120 ms with sync workers
at the same throughput (bench/checkin.py, 2 cores). With SQLite, threads competing for its write
lock were as bad. ``WEB_CONCURRENCY`` sets the workers; ``GUNICORN_THREADS`` above 1 gives
threaded workers for those who want them (say, behind a proxy that does not buffer slow clients)."""

import multiprocessing
import os

from gunicorn.glogging import Logger

from app import log_redaction

_cores = multiprocessing.cpu_count()

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", _cores * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 50_000  # recycle workers now and then; jitter keeps them from restarting together
max_requests_jitter = 5_000
control_socket_disable = True  # gunicorn 27 otherwise writes a socket under $HOME
accesslog = "-"
errorlog = "-"

# Every log line of the server, its own error lines too ("Error handling request /r/<token>").
log_redaction.install()


class RedactingLogger(Logger):
    """Access log lines without the secrets some URLs carry (and without query strings)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = log_redaction.redact(environ.get("PATH_INFO", ""))
        method = environ.get("REQUEST_METHOD", "-")
        atoms["U"] = path
        atoms["q"] = ""
        atoms["r"] = f"{method} {path} {environ.get('SERVER_PROTOCOL', '-')}"
        atoms["f"] = "-"  # the referer can carry a secret link too
        return atoms


logger_class = RedactingLogger


def on_starting(server) -> None:
    """No ``Server: gunicorn/<version>`` header: it only tells a scanner which bugs to try."""
    from gunicorn.http import wsgi

    # gunicorn has no setting for it: its method is replaced, once, before the first worker starts.
    wsgi.Response.default_headers = _default_headers_without_server(  # type: ignore[method-assign]
        wsgi.Response.default_headers
    )


def _default_headers_without_server(default_headers):
    def headers(self) -> list[str]:
        return [h for h in default_headers(self) if not h.lower().startswith("server:")]

    return headers
