"""The RQ job of a message (enqueued by name, "wizard.notify.job.run"): one delivery attempt; RetryLater asks RQ's
Retry to run it again after the backoff. Nothing imports this module, so it may import the app factory."""

from flask import has_app_context

from .delivery import RetryLater
from .delivery import deliver

_worker_app = None


def run(message_id: int) -> str:
    if has_app_context():  # `flask messages worker` runs inside the app
        outcome = deliver(message_id)
    else:  # a plain `rq worker`: the app from the environment, made once per worker process
        global _worker_app
        if _worker_app is None:
            from .. import create_app

            _worker_app = create_app({"MIGRATIONS": False})
        with _worker_app.app_context():
            outcome = deliver(message_id)
    if outcome == "retry":
        raise RetryLater(f"message {message_id}: the provider could not take it now")
    return outcome
