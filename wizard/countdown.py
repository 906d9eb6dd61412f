"""The deadline countdown for the home page and every holder page, and who gets the session-timeout warning."""

from dataclasses import dataclass
from datetime import datetime

from flask import g
from flask import has_request_context
from flask import request
from flask_login import current_user
from markupsafe import Markup
from markupsafe import escape

from . import clock
from .access import _pending_setup
from .access import idle_seconds_left
from .filters import digits
from .filters import jalali_datetime
from .i18n import markup_gettext
from .models import Round
from .rounds import current_round
from .rules.countdown import epoch_ms
from .rules.countdown import tone
from .rules.deadline import remaining_parts


@dataclass(frozen=True)
class Countdown:
    """What the countdown component shows, read once per request."""

    title: str
    phase: str  # upcoming, open or closed (a published round is closed for writes too)
    opens_at: datetime
    deadline: datetime
    remaining: tuple[int, int, int]
    tone: str
    server_now_ms: int
    deadline_ms: int


def build(round_: Round, now: datetime) -> Countdown:
    """The round's countdown at `now` (the caller reads the clock once)."""
    phase = round_.phase(now)
    if phase not in ("upcoming", "open"):
        # Closed by the clock or by an admin before the deadline: the window is shut either way.
        phase, left, shade = "closed", (0, 0, 0), "closed"
    else:
        left, shade = remaining_parts(now, round_.deadline), tone(now, round_.deadline)
    return Countdown(title=round_.title, phase=phase, opens_at=round_.opens_at, deadline=round_.deadline,
                     remaining=left, tone=shade, server_now_ms=epoch_ms(now), deadline_ms=epoch_ms(round_.deadline))


def countdown_card(c: Countdown, heading: bool = False) -> Markup:
    """The countdown component, right without JavaScript; static/js/countdown.js keeps it live from the
    server's time. heading: an <h2> on pages where it is a section of its own (home, dashboard), else a
    plain line above the page's own <h1>. Drawn here, not in a macro: it is on every holder page."""
    title = (f'<h2 id="countdown-title">{escape(c.title)}</h2>' if heading
             else f'<p class="countdown-title" id="countdown-title">{escape(c.title)}</p>')
    closed = markup_gettext("The declaration window has closed.")
    closed_notice = markup_gettext("The declaration window has closed, so this form can no longer be sent. "
                                   "What you typed is still shown on this page.")
    deadline, tehran_time = markup_gettext("Deadline:"), markup_gettext("Tehran time")
    # The time left is polite and atomic: the script changes it once a minute at most, read out whole.
    return Markup(  # nosec B704: every value is escaped, every text is the catalog's own
        f'\n<section class="round-card countdown-card tone-{escape(c.tone)}" aria-labelledby="countdown-title" '
        f'data-countdown\n         data-phase="{escape(c.phase)}" data-deadline-ms="{c.deadline_ms}" '
        f'data-server-now-ms="{c.server_now_ms}"\n         data-closed-text="{closed}"\n'
        f'         data-closed-notice="{closed_notice}">\n  {title}\n'
        f"  <p>{deadline} <strong>{escape(jalali_datetime(c.deadline))}</strong> {tehran_time}</p>\n"
        f'  <p class="countdown" role="timer" aria-live="polite" aria-atomic="true" data-countdown-text>'
        f"{_time_left(c)}</p>\n</section>")


def _time_left(c: Countdown) -> Markup:
    if c.phase == "open":
        days, hours, minutes = (Markup(f'<span data-unit="{unit}">{escape(digits(value))}</span>')  # nosec B704
                                for unit, value in zip(("days", "hours", "minutes"), c.remaining, strict=True))
        return markup_gettext("Time left: %(days)s days, %(hours)s hours and %(minutes)s minutes",
                              days=days, hours=hours, minutes=minutes)
    if c.phase == "upcoming":
        return markup_gettext("The window opens on %(moment)s.", moment=jalali_datetime(c.opens_at))
    return markup_gettext("The declaration window has closed.")


def _wanted() -> bool:
    if not has_request_context():
        return False
    if request.endpoint in ("public.home", "admin.dashboard"):
        return True
    user = current_user._get_current_object()
    return user.is_authenticated and user.role == "holder"


def countdown_context():
    if not _wanted():
        return {"countdown": None}
    if "countdown" not in g:  # built once per request, however many templates render
        found = current_round()
        g.countdown = build(found, clock.now()) if found is not None else None
    return {"countdown": g.countdown}


def session_warning_context():
    # Only a fully signed-in user can reach the keep-alive; one still on a setup step would be redirected.
    user = current_user._get_current_object() if has_request_context() else None
    wanted = user is not None and user.is_authenticated and _pending_setup(user) is None
    return {"session_warning": wanted, "idle_seconds_left": idle_seconds_left() if wanted else None}


def register(app):
    app.add_template_global(countdown_card)
    app.context_processor(countdown_context)
    app.context_processor(session_warning_context)
