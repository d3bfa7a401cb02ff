"""The WSGI entry point for gunicorn (``wsgi:app``) and the ``flask --app wsgi`` CLI."""

from app import create_app

app = create_app()
