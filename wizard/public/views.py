"""Home page and the language switch."""

from flask import redirect
from flask import render_template
from flask import session

from ..access import public
from ..redirects import safe_next
from . import bp
from .forms import LanguageForm


@bp.get("/")
@public
def home():
    return render_template("public/home.html")  # the countdown comes from wizard.countdown


@bp.post("/language")
@public
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data))
