"""How static files reach a cheap phone on a slow network: compressed, and fingerprinted so a
browser keeps them for a year and never asks again.

Every ``url_for('static', filename=…)`` gets ``?v=<hash of the file's content>``; a request that
carries the current hash is answered with a year-long, immutable cache lifetime, so a changed
file gets a new address instead of a stale copy. Responses (pages, CSS, JavaScript, JSON) are
compressed by Flask-Compress: gzip, or Brotli where the browser takes it (over HTTPS).

The stylesheet is the one file a page cannot paint without: on slow 3G asking for it costs a
second 2-second round trip. So a browser that does not have it yet gets it inside the page (a
``<style>`` with a per-response CSP nonce) and fetches the file in the background for the next
page. The file's own response sets a cookie holding its fingerprint (nothing about the person):
a browser that sends it has that version in its cache."""

import hashlib
import secrets
from functools import lru_cache
from pathlib import Path

from flask import Flask, g, request, url_for
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup

from app.extensions import compress
from app.security import CONTENT_SECURITY_POLICY

STYLESHEET = "css/hireday.css"
#: The cookie that says which version of the stylesheet this browser has in its cache.
STYLESHEET_COOKIE = "hd_css"

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


@lru_cache(maxsize=4)
def _stylesheet_text(path: str, version: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def stylesheet_tags(folder: Path) -> Markup:
    """The page's stylesheet: a link when this browser has the current version, else the styles
    themselves and a background fetch of the file (see the module's docstring)."""
    version = fingerprint(folder, STYLESHEET)
    href = url_for("static", filename=STYLESHEET)
    if version is None or request.cookies.get(STYLESHEET_COOKIE) == version:
        return Markup('<link rel="stylesheet" href="{}">').format(href)
    g.style_nonce = secrets.token_urlsafe(16)
    styles = _stylesheet_text(str(folder / STYLESHEET), version).replace("</", "<\\/")
    # Our own stylesheet file, with "</" escaped so it cannot close the element: not user input.
    return Markup('<style nonce="{}">{}</style>\n  <link rel="prefetch" href="{}" as="style">').format(
        g.style_nonce, Markup(styles), href  # nosec B704
    )


class SessionFreeStaticFiles(SecureCookieSessionInterface):
    """Signed-cookie sessions, except that a static file neither saves the session nor varies by
    cookie. Flask-Login looks at the session after every request, which made every file answer
    ``Vary: Cookie``: a browser then refetched a file it had whenever a cookie changed."""

    def save_session(self, app: Flask, session, response) -> None:
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder or "static")
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
        "application/manifest+json", "image/svg+xml",
    ])
    compressible = set(app.config["COMPRESS_MIMETYPES"])
    compress.init_app(app)
    app.session_interface = SessionFreeStaticFiles()

    app.add_template_global(lambda: stylesheet_tags(folder), "stylesheet")

    @app.after_request  # before security's headers (registered earlier), which keep this policy
    def allow_inline_styles(response):
        nonce = g.pop("style_nonce", None)
        if nonce is not None:
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
                "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'"
            )
        return response

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
                if filename == STYLESHEET:  # this browser now keeps this version
                    response.set_cookie(
                        STYLESHEET_COOKIE, version, max_age=FINGERPRINTED_MAX_AGE, samesite="Lax",
                        secure=app.config.get("SESSION_COOKIE_SECURE", False), httponly=True,
                    )
        return response
