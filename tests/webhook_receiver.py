"""A partner's webhook receiver for tests: a real HTTP server on loopback, in a thread, that records
every request and answers as the test says (fail the next few, redirect, hang)."""

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    #: Answer this many requests with 500 before answering 204.
    fail_next: int = 0
    #: Answer every request with this status instead (a redirect, say).
    status: int | None = None
    #: Keep each request waiting this long before answering.
    hang_s: float = 0.0

    def bodies(self) -> list[bytes]:
        return [r.body for r in self.requests]


@contextmanager
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            if state.hang_s:
                time.sleep(state.hang_s)
            if state.status is not None:
                code = state.status
            elif state.fail_next > 0:
                state.fail_next -= 1
                code = 500
            else:
                code = 204
            self.send_response(code)
            if 300 <= code < 400:
                self.send_header("Location", state.url + "elsewhere")
            self.send_header("Content-Length", "0" if code == 204 else "2")
            self.end_headers()
            if code != 204:
                self.wfile.write(b"no")

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
