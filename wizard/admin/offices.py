"""The office list (search, filters, pages) and one office's whole file for staff."""

import sqlalchemy as sa
from flask import render_template
from flask import request

from ..declaration import drafts
from ..declaration.labels import OFFICE_TYPES
from ..declaration.steps import STEPS
from ..extensions import db
from ..models import Area
from ..models import AuditEvent
from ..models import Declaration
from ..models import Office
from ..models import Result
from ..models import Submission
from ..models import User
from ..rounds import current_round
from .audit_view import describe
from .blueprint import bp
from . import progress
from . import office_list
from .paging import paging_for
from .scope import office_or_404
from .scope import offices_in_scope
from .scope import staff



@bp.get("/offices")
@staff
def offices():
    round_ = current_round()
    chosen = office_list.chosen(request.args, round_)
    query = office_list.filtered(offices_in_scope(sa.select(Office, User, Area).join(User, User.id == Office.holder_id)
                                                  .join(Area, Area.id == Office.area_id)), chosen, round_)
    paging = paging_for(query)
    if round_ is not None:
        query = query.add_columns(progress.status_case(round_.id))
    rows = paging.rows(office_list.sorted_by(query, chosen, round_))
    areas = db.session.scalars(sa.select(Area).where(Area.id.in_(offices_in_scope(sa.select(Office.area_id))))
                               .order_by(Area.province, office_list.persian_order(Area.name))).all()
    return render_template("admin/offices.html", rows=rows, paging=paging, areas=areas, types=OFFICE_TYPES,
                           statuses=progress.STATUSES, chosen=chosen, round=round_,
                           sorts=office_list.SORTS, default_sort=office_list.DEFAULT_SORT)


@bp.get("/offices/<int:office_id>")
@staff
def office(office_id: int):
    found = office_or_404(office_id)
    round_ = current_round()
    draft = submissions = results = None
    if round_ is not None:
        draft = db.session.scalar(sa.select(Declaration).where(Declaration.office_id == found.id,
                                                               Declaration.round_id == round_.id))
        submissions = db.session.scalars(sa.select(Submission).where(
            Submission.office_id == found.id, Submission.round_id == round_.id).order_by(Submission.number)).all()
        results = db.session.scalars(sa.select(Result).where(
            Result.office_id == found.id, Result.round_id == round_.id).order_by(Result.version.desc())).all()
    answers = [(step, drafts.build_form(step.slug, found, (draft.data if draft else {}).get(step.slug)))
               for step in STEPS]
    trail = describe(db.session.execute(
        sa.select(AuditEvent, User.username).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.target.in_([f"office:{found.id}", f"user:{found.holder_id}"]))
        .order_by(AuditEvent.id.desc()).limit(100)).all())
    return render_template("admin/office.html", office=found, round=round_, draft=draft, answers=answers,
                           submissions=submissions or [], results=results or [], trail=trail)
