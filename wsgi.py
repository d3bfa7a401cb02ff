"""The WSGI entry point for gunicorn (``wsgi:app``) and the ``flask --app wsgi`` CLI."""

import sys

from app import create_app
from app.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    sys.exit(f"HireDay cannot start: {exc}")
