"""WSGI entry point: gunicorn 'wsgi:app'. Schema changes run from the command line (flask --app wizard init-db)."""

import gc

from wizard import create_app

app = create_app({"MIGRATIONS": False})
# What the app built lives as long as the worker: keep it out of every full garbage collection.
gc.freeze()
