"""The one write guard of the declaration window: the time is read once, when a request arrives.

A save that arrives inside the window is accepted even if its commit ends after the deadline;
one that arrives after it is refused, and what it carried is kept (see declaration.drafts.store_kept_input).
The deadline second itself is inside the window (Round.accepts_declarations)."""

from flask import g

from . import clock
from .models import Round


def register(app):
    app.before_request(_stamp_arrival)


def _stamp_arrival():
    g.arrived_at = clock.now()


def arrived_at():
    return g.arrived_at


def accepts_writes(round_: Round | None) -> bool:
    return round_ is not None and round_.accepts_declarations(g.arrived_at)
