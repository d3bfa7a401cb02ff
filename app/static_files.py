"""How static files reach a cheap phone on a slow network: compressed, and fingerprinted so a
browser keeps them for a year and never asks again.

Every ``url_for('static', filename=…)`` gets ``?v=<hash of the file's content>``; a request that
carries the current hash is answered with a year-long, immutable cache lifetime, so a changed
file gets a new address instead of a stale copy. Responses (pages, CSS, JavaScript, JSON) are
compressed by Flask-Compress: gzip, or Brotli where the browser takes it (over HTTPS)."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

from app.extensions import compress

#: A year: the longest lifetime browsers honour.
FINGERPRINTED_MAX_AGE = 365 * 24 * 3600


def fingerprint(folder: Path, filename: str) -> str | None:
    """The first 12 hex digits of the SHA-256 of a static file's content, or None when there is
    no such file. Each version of a file (its modification time) is read once."""
    path = (folder / filename).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None
    return _content_hash(str(path), path.stat().st_mtime)


@lru_cache(maxsize=512)
def _content_hash(path: str, modified: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder or "static")
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
        "application/manifest+json", "image/svg+xml",
    ])
    compressible = set(app.config["COMPRESS_MIMETYPES"])
    compress.init_app(app)

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = fingerprint(folder, values["filename"])
            if version:
                values["v"] = version

    @app.after_request  # runs before Flask-Compress's (registered earlier)
    def static_file(response):
        if response.direct_passthrough and response.mimetype in compressible:
            # A file sent as a stream would be compressed as a stream that never closes the file;
            # read whole (these are tens of kB), it is compressed in one go and the file closed
            # with the response.
            response.direct_passthrough = False
            response.make_sequence()
        if request.endpoint == "static" and response.status_code == 200:
            version = request.args.get("v")
            filename = (request.view_args or {}).get("filename", "")
            if version and version == fingerprint(folder, filename):
                response.cache_control.no_cache = None
                response.cache_control.public = True
                response.cache_control.max_age = FINGERPRINTED_MAX_AGE
                response.cache_control.immutable = True
        return response
