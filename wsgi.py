"""WSGI entry point: gunicorn 'wsgi:app'. Schema changes run from the command line (flask --app wizard init-db)."""

from wizard import create_app

app = create_app({"MIGRATIONS": False})
