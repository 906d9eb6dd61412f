"""The app as gunicorn serves it, with one fault switch for tests/faults.

A request carrying `X-Fault-Kill-At: N` kills its worker (SIGKILL, as the OOM killer or a lost host
would) just before its Nth SQL statement, commits counted; every answer reports in
`X-Fault-Statements` how many statements it ran, so a test can choose N among them."""

import os
import signal

import sqlalchemy as sa
from flask import g
from flask import has_request_context
from flask import request

from wizard import create_app
from wizard.extensions import db

app = create_app()


def _statement(*_args, **_kwargs):
    if not has_request_context():
        return
    g.fault_statements = g.get("fault_statements", 0) + 1
    if request.headers.get("X-Fault-Kill-At") == str(g.fault_statements):
        os.kill(os.getpid(), signal.SIGKILL)


@app.after_request
def _report(response):
    response.headers["X-Fault-Statements"] = str(g.get("fault_statements", 0))
    return response


with app.app_context():
    sa.event.listen(db.engine, "before_cursor_execute", _statement)
    sa.event.listen(db.engine, "commit", _statement)
