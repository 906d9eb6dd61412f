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
from ..rules import national_code
from ..rules.text import normalize_persian
from ..rules.text import parse_id
from ..rules.text import to_ascii_digits
from .audit_view import describe
from .blueprint import bp
from . import progress
from .paging import on_page
from .paging import page_count
from .paging import page_number
from .scope import office_or_404
from .scope import offices_in_scope
from .scope import staff



SEARCH_LENGTH = 100


def _search(query, text: str):
    """Holder name, license number, office code or national code, typed in any digit script.

    Only the first SEARCH_LENGTH characters count: no name or code is longer, and SQLite refuses a LIKE
    pattern of 50,000 bytes ("pattern too complex")."""
    text = normalize_persian(text)[:SEARCH_LENGTH]
    latin = to_ascii_digits(text)
    compact = latin.replace(" ", "").replace("-", "")
    conditions = [User.full_name.contains(text), Office.license_number.contains(latin),
                  Office.office_code.contains(latin)]
    if national_code.is_valid(compact):
        conditions.append(User.national_code == national_code.normalize(compact))
    elif compact.isascii() and compact.isdigit():
        conditions.append(User.national_code.contains(compact))
    return query.where(sa.or_(*conditions))


@bp.get("/offices")
@staff
def offices():
    round_ = current_round()
    args = request.args
    query = offices_in_scope(sa.select(Office, User, Area).join(User, User.id == Office.holder_id)
                             .join(Area, Area.id == Office.area_id))
    if args.get("q", "").strip():
        query = _search(query, args["q"])
    if args.get("type") in OFFICE_TYPES:
        query = query.where(Office.office_type == args["type"])
    if parse_id(args.get("area")) is not None:
        query = query.where(Office.area_id == parse_id(args["area"]))
    if args.get("province"):
        query = query.where(Office.province == args["province"])
    if round_ is not None and args.get("status") in progress.STATUSES:
        query = query.where(progress.status_filter(args["status"], round_.id))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pages = page_count(total)
    page = page_number(pages)
    if round_ is not None:
        query = query.add_columns(progress.status_case(round_.id))
    rows = db.session.execute(on_page(query.order_by(Office.province, Office.license_number), page)).all()
    areas = db.session.scalars(sa.select(Area).where(Area.id.in_(offices_in_scope(sa.select(Office.area_id))))
                               .order_by(Area.province, Area.name)).all()
    return render_template("admin/offices.html", rows=rows, total=total, page=page,
                           pages=pages, areas=areas, types=OFFICE_TYPES,
                           statuses=progress.STATUSES, args=args, round=round_)


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
