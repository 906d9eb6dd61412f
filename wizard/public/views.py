"""Home page and the language switch."""

import re

from flask import Blueprint
from flask import abort
from flask import redirect
from flask import render_template
from flask import request
from werkzeug.datastructures import MultiDict
from flask import session

from ..access import public
from ..declaration.labels import OFFICE_TYPES
from ..extensions import db
from ..extensions import limiter
from ..models import Office
from ..statistics import published_rounds
from ..statistics import round_statistics
from ..verification import verify as find_result
from ..redirects import safe_next
from .forms import LanguageForm
from .forms import VerifyForm

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def home():
    return render_template("public/home.html")  # the countdown comes from wizard.timers


@bp.post("/language")
@public
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data))


CODE = re.compile(r"[A-Z2-9]{12}")


@bp.get("/verify")
@bp.get("/verify/<code>")
@public
@limiter.limit("30 per minute")
def verify(code: str | None = None):
    """Anyone with a printed result checks it here; nothing personal is shown."""
    form = VerifyForm(request.args if code is None else MultiDict({"code": code}))
    typed = form.code.data or ""
    found = find_result(typed) if CODE.fullmatch(typed) else None
    office = db.session.get(Office, found.result.office_id) if found else None
    return render_template("public/verify.html", form=form, typed=typed, found=found, office=office,
                           office_type=OFFICE_TYPES[office.office_type] if office else None,
                           malformed=bool(typed) and not CODE.fullmatch(typed))


@bp.get("/statistics")
@bp.get("/statistics/<int:round_id>")
@public
def statistics(round_id: int | None = None):
    """Offices by rank per province and office type, for the latest round with published results (or the one asked
    for): counts only, nothing personal."""
    rounds = published_rounds()
    if round_id is None:
        shown = rounds[0] if rounds else None
    else:
        shown = next((found for found in rounds if found.id == round_id), None)
        if shown is None:
            abort(404)  # no such round, or nothing published in it yet
    return render_template("public/statistics.html", stats=round_statistics(shown) if shown else None, rounds=rounds,
                           office_type_labels=OFFICE_TYPES)
