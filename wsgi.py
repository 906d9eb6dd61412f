"""WSGI entry point: gunicorn 'wsgi:app'."""

from wizard import create_app

app = create_app()
