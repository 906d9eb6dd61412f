"""Home page and the language switch."""

from flask import redirect
from flask import render_template
from flask import session

from .. import clock
from ..access import public
from ..redirects import safe_next
from ..rounds import open_round
from ..rules.deadline import remaining_parts
from . import bp
from .forms import LanguageForm


@bp.get("/")
@public
def home():
    current = open_round()
    now = clock.now()
    window_open = current is not None and current.accepts_declarations(now)
    left = remaining_parts(now, current.deadline) if window_open else None
    not_yet_open = current is not None and now < current.opens_at
    return render_template("public/home.html", round=current, left=left, not_yet_open=not_yet_open)


@bp.post("/language")
@public
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data))
