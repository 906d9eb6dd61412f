"""The wizard's pages: office choice, task list, one page per step, check answers, submit, receipt.

Every POST answers with a redirect (Post/Redirect/Get); invalid input is saved as typed and
shown again with its errors, so nothing the user typed is ever dropped.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.wrappers import Response
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import TooManyRequests

from .. import clock
from .. import window
from ..access import roles
from ..extensions import db
from ..models import CorrectionRequest
from ..models import Submission
from ..models import audit
from ..ownership import own_office_or_404
from ..ownership import own_offices
from ..rules.text import parse_id
from . import display
from . import drafts
from . import keeping
from . import saving
from .forms import CorrectionForm
from .forms import ReviewForm
from .forms import options
from .labels import LOCKED_LABELS
from .steps import BY_SLUG
from .steps import STEPS
from .steps import previous_slug

bp = Blueprint("declaration", __name__)
keeping.register(bp)

holder = roles("holder")
LOCKED_FIELDS = ("holder_name", "national_code", "license_number", "office_code", "office_type", "province",
                 "license_date")


def _context(office_id: int):
    office, round_, draft = drafts.wizard_page(office_id)
    if round_ is None or round_.phase(window.arrived_at()) in ("draft", "upcoming"):
        return office, None, None
    return office, round_, draft or drafts.draft_for(office, round_)


@bp.get("/")
@holder
def offices():
    owned = own_offices()
    if len(owned) == 1:
        return redirect(url_for("declaration.tasks", office_id=owned[0].id))
    return render_template("declaration/offices.html", offices=owned)


@bp.get("/<int:office_id>/")
@holder
def tasks(office_id: int):
    office, round_, draft = _context(office_id)
    if draft is None:
        return render_template("declaration/no_round.html", office=office, round=round_)
    return render_template("declaration/tasks.html", office=office, round=round_, draft=draft,
                           states=drafts.step_states(draft), steps=STEPS,
                           latest=drafts.latest_submission(office, round_),
                           writable=window.accepts_writes(round_))


@bp.route("/<int:office_id>/<slug>", methods=["GET", "POST"])
@holder
def step(office_id: int, slug: str):
    if slug not in BY_SLUG:
        abort(404)
    office, round_, draft = _context(office_id)
    if draft is None:
        return redirect(url_for("declaration.tasks", office_id=office.id))
    if request.method == "POST":
        outcome = saving.save_step_page(office, round_, draft, slug, request.form, current_user)
        return _answer_save(office_id, slug, outcome)  # not office.id: the save's commit expired it
    return _show(office, round_, draft, slug)


def _show(office, round_, draft, slug):
    kept = drafts.find_kept_input(request.args.get("restore"), office, current_user.id)
    entry = draft.data.get(slug)
    if kept is not None and kept.step == slug:
        form = drafts.build_form(slug, office, None, formdata=MultiDict(_pairs(kept.payload)))
        form.validate()
    else:
        kept = None
        form = drafts.build_form(slug, office, entry)
        if entry and entry.get("state") == drafts.ERRORS:
            form.validate()
    form.version.data = draft.version
    saved = drafts.build_form(slug, office, entry) if kept is not None and kept.reason == "conflict" else None
    return render_template(f"declaration/step_{slug}.html", office=office, round=round_, draft=draft,
                           step=BY_SLUG[slug], form=form, kept=kept, saved=saved,
                           back=previous_slug(slug), writable=window.accepts_writes(round_))


def _pairs(payload: dict) -> list[tuple[str, str]]:
    return [(key, value) for key, values in payload.items() for value in values]


def _answer_save(office_id: int, slug: str, outcome) -> Response:
    if isinstance(outcome, saving.NotSaved):
        if outcome.kept is None:  # an upper bound: within the hour the oldest of the last hour's saves drops out
            raise TooManyRequests(retry_after=clock.now() + timedelta(hours=1))
        return redirect(url_for("declaration.step", office_id=office_id, slug=slug, restore=outcome.kept.key), 303)
    if outcome.slug is None:
        return redirect(url_for("declaration.review", office_id=office_id), 303)
    return redirect(url_for("declaration.step", office_id=office_id, slug=outcome.slug, _anchor=outcome.anchor), 303)


@bp.get("/<int:office_id>/review")
@holder
def review(office_id: int):
    office, round_, draft = _context(office_id)
    if draft is None:
        return redirect(url_for("declaration.tasks", office_id=office.id))
    answers = {step.slug: drafts.build_form(step.slug, office, draft.data.get(step.slug)) for step in STEPS}
    form = ReviewForm(version=draft.version)
    if request.args.get("unticked"):
        form.validate()
    return render_template("declaration/review.html", office=office, round=round_, draft=draft, steps=STEPS,
                           answers=answers, states=drafts.step_states(draft), form=form,
                           complete=drafts.all_complete(draft), writable=window.accepts_writes(round_),
                           latest=drafts.latest_submission(office, round_))


@bp.post("/<int:office_id>/submit")
@holder
def submit(office_id: int):
    office, round_, draft = _context(office_id)
    if draft is None or not window.accepts_writes(round_):
        flash(_("The declaration window has closed; nothing was submitted. Your last submission, if any, stands."),
              "error")
        return redirect(url_for("declaration.tasks", office_id=office.id), 303)
    form = ReviewForm(request.form)
    if not form.validate():
        return redirect(url_for("declaration.review", office_id=office.id, unticked=1), 303)
    based_on = parse_id(form.version.data)
    answers = _valid_answers(office, draft)
    if answers is None:
        flash(_("Some steps are not complete yet."), "error")
        return redirect(url_for("declaration.review", office_id=office.id), 303)
    submission = drafts.submit(draft, office, based_on or 0, answers, current_user)
    if submission is None:
        latest = drafts.latest_submission(office, round_)
        if latest is not None and based_on is not None and latest.draft_version == based_on + 1:
            submission = latest  # the same draft was submitted by a parallel request: one submission
        else:
            flash(_("Your declaration changed in another window. Check the answers and submit again."), "error")
            return redirect(url_for("declaration.review", office_id=office.id), 303)
    return redirect(url_for("declaration.receipt", office_id=office.id, number=submission.number), 303)


def _valid_answers(office, draft) -> dict | None:
    answers = {}
    for step in STEPS:
        form = drafts.build_form(step.slug, office, draft.data.get(step.slug))
        if not form.validate():
            return None
        answers[step.slug] = form.answers()
    return answers


@bp.get("/<int:office_id>/receipt/<int:number>")
@holder
def receipt(office_id: int, number: int):
    office, round_, _draft = _context(office_id)
    if round_ is None:
        abort(404)
    submission = db.session.scalar(sa.select(Submission).where(
        Submission.office_id == office.id, Submission.round_id == round_.id, Submission.number == number))
    if submission is None:
        abort(404)
    return render_template("declaration/receipt.html", office=office, round=round_, submission=submission)


@bp.route("/<int:office_id>/correction", methods=["GET", "POST"])
@holder
def correction(office_id: int):
    office = own_office_or_404(office_id)
    form = CorrectionForm()
    form.field.choices = options(("", ""), *((name, LOCKED_LABELS[name]) for name in LOCKED_FIELDS))
    if form.validate_on_submit():
        request_ = CorrectionRequest(office_id=office.id, requested_by=current_user.id, field=form.field.data,
                                     current_value=display.locked_values(office)[form.field.data],
                                     requested_value=form.requested_value.data, reason=form.reason.data)
        db.session.add(request_)
        db.session.flush()
        audit("correction-request", target=f"office:{office.id}", field=form.field.data)
        db.session.commit()
        flash(_("Your correction request was sent to your province's office."), "success")
        return redirect(url_for("declaration.step", office_id=office.id, slug="license"), 303)
    return render_template("declaration/correction.html", office=office, form=form, labels=LOCKED_LABELS,
                           requests=db.session.scalars(sa.select(CorrectionRequest)
                                                       .where(CorrectionRequest.office_id == office.id)
                                                       .order_by(CorrectionRequest.id.desc())).all())
